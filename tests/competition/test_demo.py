import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfReader

from competition import demo
from competition.models import Attachment, Award, Competition, Entry, EntryStatus, StatusChange
from competition.uploads import check_upload
from opd import demo as opd_demo


@pytest.fixture
def seeded(db):
    opd_demo.seed()
    return demo.seed()


def test_demo_seed_opens_this_years_competition_and_keeps_last_years(seeded):
    year = timezone.localdate().year
    current = Competition.objects.get(year=year)
    previous = Competition.objects.get(year=year - 1)

    assert current.is_submission_open()
    left = current.submission_closes_at - timezone.now()
    assert dt.timedelta(days=20) < left < dt.timedelta(days=22)
    assert set(current.categories.values_list("name", flat=True)) == set(demo.CATEGORIES)
    assert current.sections.count() == 12
    assert current.stages.exists()
    assert previous.submission_closes_at < timezone.now()
    assert previous.sections.count() == 12


def test_demo_seed_has_entries_at_every_screening_status(seeded):
    year = timezone.localdate().year
    statuses = set(Entry.objects.filter(competition__year=year).values_list("status", flat=True))

    assert statuses == {
        EntryStatus.DRAFT,
        EntryStatus.SUBMITTED,
        EntryStatus.RETURNED,
        EntryStatus.PASSED,
        EntryStatus.FAILED,
    }
    assert Entry.objects.filter(competition__year=year).count() == 12
    assert Entry.objects.filter(competition__year=year - 1, status="finalist").count() == 2
    returned = Entry.objects.get(competition__year=year, status=EntryStatus.RETURNED)
    assert returned.innovation.brand_name == "Pete Jawa Rasa Timun"
    assert returned.agency.name == "UPT Puskesmas Gedongan"
    assert returned.revision_due_at > timezone.now()
    assert "ditandatangani" in returned.screening_reason
    submitted = Entry.objects.exclude(status=EntryStatus.DRAFT).filter(competition__year=year)
    assert all(e.reference.startswith(f"KIPP-{year}-") for e in submitted)
    assert StatusChange.objects.filter(entry=returned).count() == 2


def test_demo_seed_records_the_seed_articles_innovations_and_awards(seeded):
    expected = {
        ("Posko Paman", "UPT Puskesmas Wates", "national", 2019),
        (
            "Gayatri",
            "Dinas Kesehatan, Pengendalian Penduduk dan Keluarga Berencana",
            "national",
            2021,
        ),
        ("Bapak Samerto", "Dinas Lingkungan Hidup", "province", 2018),
        ("Pete Jawa Rasa Timun", "UPT Puskesmas Gedongan", "province", 2022),
        (
            "Kencana Mojo",
            "Dinas Kesehatan, Pengendalian Penduduk dan Keluarga Berencana",
            "province",
            2025,
        ),
    }

    found = set(
        Award.objects.values_list(
            "innovation__brand_name", "innovation__agency__name", "level", "year"
        )
    )

    assert expected <= found
    assert Award.objects.get(innovation__brand_name="Kencana Mojo").label == "Top 45 Kovablik Jatim"
    gayatri = Entry.objects.get(
        innovation__brand_name="Gayatri", competition__year=timezone.localdate().year
    )
    assert gayatri.innovation.brand_long_form == "gerbang layanan terpadu dan terintegrasi"
    assert gayatri.answers.filter(section__key="ringkasan", word_count__gt=10).exists()


def test_demo_seed_attachments_are_valid_pdfs(seeded):
    attachment = Attachment.objects.filter(content_type="application/pdf").first()

    with attachment.file.open("rb") as handle:
        data = handle.read()

    assert len(PdfReader(io.BytesIO(data)).pages) == 1
    checked = check_upload(SimpleUploadedFile("sk.pdf", data), allowed_types=["pdf"], max_size_mb=2)
    assert checked.content_type == "application/pdf"
    entry = Entry.objects.get(
        innovation__brand_name="Posko Paman", competition__year=timezone.localdate().year
    )
    assert (
        entry.attachments.count()
        == entry.competition.attachment_kinds.filter(required=True).count()
    )


def test_demo_seed_twice_adds_nothing(seeded):
    counts = (Entry.objects.count(), Attachment.objects.count(), Award.objects.count())

    result = demo.seed()

    assert (Entry.objects.count(), Attachment.objects.count(), Award.objects.count()) == counts
    assert result["entries_created"] == 0
