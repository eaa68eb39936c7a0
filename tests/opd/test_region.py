"""The organising region is data: documents, pages and e-mails read one profile."""

import io
import re
from pathlib import Path

from django.conf import settings
from django.core import mail
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from competition.exports.certificates import certificate_pages
from opd import services
from opd.models import RegionKind, RegionProfile
from tests import factories as f
from tests.competition.test_exports import scored_year

ROOT = Path(settings.BASE_DIR)


def _pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_region_profile_of_a_kabupaten_prints_bupati_on_the_minutes(client, organiser):
    f.RegionProfileFactory(kind=RegionKind.KABUPATEN, name="Sidoarjo", place="Sidoarjo")
    _competition, stage, _entries = scored_year(2, organiser, finalise=False)
    client.force_login(organiser)

    response = client.get(
        reverse("competition:export_stage", args=[2026, stage.order, "berita-acara", "pdf"])
    )

    text = _pdf_text(response)
    assert "Keputusan Bupati Sidoarjo" in text
    assert "Kepala Bagian Organisasi Sekretariat Daerah Kabupaten Sidoarjo" in text
    assert "Sidoarjo, " in text
    assert "Wali Kota" not in text and "Mojokerto" not in text


def test_region_profile_of_a_kabupaten_prints_bupati_on_the_certificates(organiser):
    f.RegionProfileFactory(kind=RegionKind.KABUPATEN, name="Sidoarjo", place="Sidoarjo")
    competition, _stage, _entries = scored_year(1, organiser)

    pages = certificate_pages(competition)

    assert "PEMERINTAH KABUPATEN SIDOARJO" in pages[0]
    assert "Berdasarkan Keputusan Bupati Sidoarjo Nomor" in pages[0]
    assert "BUPATI SIDOARJO" in pages[0]
    assert "Sidoarjo, " in pages[0]
    assert "WALI KOTA" not in pages[0]


def test_region_profile_head_title_follows_the_kind_unless_given():
    assert (
        RegionProfile(kind=RegionKind.KOTA, name="Mojokerto").head_of_region
        == "Wali Kota Mojokerto"
    )
    assert RegionProfile(kind=RegionKind.PROVINSI, name="Jawa Timur").head == "Gubernur"
    assert RegionProfile(kind=RegionKind.KOTA, name="Batu", head_title="Pj. Wali Kota").head == (
        "Pj. Wali Kota"
    )
    assert RegionProfile().government == "Pemerintah Daerah"


def test_base_layout_names_the_region_and_reads_it_once_per_process(client, db):
    f.RegionProfileFactory(
        kind=RegionKind.PROVINSI, name="Jawa Timur", unit="Biro Organisasi Sekretariat Daerah"
    )
    client.get(reverse("home"))  # the first page reads the profile

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))

    page = response.content.decode()
    assert "Kovablik Provinsi Jawa Timur" in page
    assert "Biro Organisasi Sekretariat Daerah Provinsi Jawa Timur" in page
    assert not [q for q in queries if "regionprofile" in q["sql"]]


def test_saving_the_profile_shows_at_once(client, db):
    profile = f.RegionProfileFactory(kind=RegionKind.KOTA, name="Batu")
    assert "Kovablik Kota Batu" in client.get(reverse("home")).content.decode()

    profile.kind, profile.name = RegionKind.KABUPATEN, "Malang"
    profile.save()

    assert "Kovablik Kabupaten Malang" in client.get(reverse("home")).content.decode()


def test_registration_page_names_the_regions_government(client, db):
    f.RegionProfileFactory(kind=RegionKind.KABUPATEN, name="Sidoarjo")

    response = client.get(reverse("opd:register"))

    assert "OPD Pemerintah Kabupaten Sidoarjo" in response.content.decode()


def test_judge_invitation_email_names_the_region(organiser, django_capture_on_commit_callbacks):
    f.RegionProfileFactory(kind=RegionKind.KABUPATEN, name="Sidoarjo")

    with django_capture_on_commit_callbacks(execute=True):
        services.judge_create(
            full_name="Dr. Ani", email="ani@example.ac.id", institution="Unair", actor=organiser
        )

    message = mail.outbox[0]
    assert message.subject == "Undangan sebagai juri Kompetisi Inovasi Kabupaten Sidoarjo"
    assert "Bagian Organisasi Sekretariat Daerah Kabupaten Sidoarjo mengundang Anda" in message.body
    assert "Kompetisi Inovasi Pelayanan Publik Kabupaten Sidoarjo." in message.body


def test_region_logo_is_served_to_everyone(client, db):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    profile = f.RegionProfileFactory()
    profile.logo.save("logo.png", ContentFile(buffer.getvalue()))

    response = client.get(reverse("competition:public_region_logo"))

    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == buffer.getvalue()
    assert 'src="/logo-daerah/"' in client.get(reverse("login")).content.decode()


def test_region_profile_admin_opens_the_one_profile(client, organiser):
    client.force_login(organiser)
    url = reverse("admin:opd_regionprofile_changelist")

    assert client.get(url).url == reverse("admin:opd_regionprofile_add")
    f.RegionProfileFactory()
    assert client.get(url).url == reverse("admin:opd_regionprofile_change", args=[1])


def test_no_region_is_named_in_code_or_templates():
    """Mojokerto is one region's data (the demo's); nothing else may name it or its head."""
    pattern = re.compile(r"mojokerto|wali\s*kota", re.IGNORECASE)
    allowed = {
        "competition/demo.py",  # the demo's own data
        "opd/demo.py",
        "competition/management/commands/seed_demo.py",
        "opd/region.py",  # the default head's title of each kind of region
    }
    found = []
    for folder in ("templates", "competition", "opd", "kovablik"):
        for path in sorted((ROOT / folder).rglob("*")):
            relative = path.relative_to(ROOT).as_posix()
            if path.suffix not in {".py", ".html", ".txt"} or "/migrations/" in relative:
                continue
            if relative in allowed:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if pattern.search(line):
                    found.append(f"{relative}:{number}: {line.strip()}")
    assert found == []
