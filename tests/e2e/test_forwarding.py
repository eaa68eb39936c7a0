"""The organiser forwards an entry to a target round and downloads the exchange package."""

import json
import zipfile

import pytest

from competition.models import EntryStatus, GroupCode
from competition.services import rounds as round_services
from tests import factories as f

PASSWORD = "kata-sandi-uji-123"


@pytest.mark.e2e
def test_organiser_forwards_an_entry_over_a_sections_limit_and_downloads_the_package(page, log_in):
    f.OrganiserFactory(email="organisasi@example.go.id", full_name="Bagian Organisasi")
    competition = f.CompetitionFactory(year=2027)
    ringkasan = f.SectionSpecFactory(competition=competition, key="ringkasan", label="Ringkasan")
    entry = f.EntryFactory(
        competition=competition,
        reference="KIPP-2027-0007",
        status=EntryStatus.PASSED,
        group=f.CompetitionGroupFactory(competition=competition, code=GroupCode.UMUM),
    )
    f.EntryAnswerFactory(entry=entry, section=ringkasan, text="kata " * 230)
    target = round_services.round_create_from_format(format_key="kovablik-jatim", year=2027)

    log_in("organisasi@example.go.id", PASSWORD)
    page.goto(f"/organisasi/putaran/{target.slug}/?tahun=2027")
    assert "Memenuhi semua aturan" in page.inner_text(f"#candidate-{entry.pk}")
    with page.expect_navigation():
        page.click(f"#candidate-{entry.pk} button[type=submit]")

    forwarded = page.inner_text("#round-forwarded")
    assert "KIPP-2027-0007" in forwarded
    assert "Ringkasan: 230 / 200 kata, melebihi batas putaran" in forwarded
    with page.expect_download() as download_info:
        page.click("text=Unduh paket data (ZIP)")
    path = download_info.value.path()
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    sections = manifest["entries"][0]["sections"]
    assert sections[0] == {
        "key": "ringkasan",
        "label": "Ringkasan",
        "word_limit": 200,
        "text": "kata " * 230,
        "word_count": 230,
    }
