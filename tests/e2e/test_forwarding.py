"""The organiser forwards an entry to a target round; its OPD shortens the section that is
over the round's limit; the organiser then downloads the exchange package."""

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
    f.UserFactory(email="dinkes@example.go.id", agency=entry.agency, full_name="Staf OPD")
    target = round_services.round_create_from_format(format_key="kovablik-jatim", year=2027)

    log_in("organisasi@example.go.id", PASSWORD)
    page.goto(f"/organisasi/putaran/{target.slug}/?tahun=2027")
    assert "Memenuhi semua aturan" in page.inner_text(f"#candidate-{entry.pk}")
    with page.expect_navigation():
        page.click(f"#candidate-{entry.pk} button[type=submit]")

    forwarded = page.inner_text("#round-forwarded")
    assert "KIPP-2027-0007" in forwarded
    assert "Ringkasan: 230 / 200 kata, melebihi batas putaran" in forwarded

    # The OPD adapts its proposal: the round's section starts from its text, over the limit.
    page.context.clear_cookies()
    log_in("dinkes@example.go.id", PASSWORD)
    page.goto(f"/proposal/{entry.pk}/")
    with page.expect_navigation():
        page.click("text=Sesuaikan dengan format putaran")
    section = page.locator("#bagian-ringkasan")
    assert "230 / 200 kata" in section.inner_text()
    section.locator("textarea").fill("kata " * 150)
    assert "150 / 200 kata" in section.inner_text()  # the live counter
    with page.expect_navigation():
        section.locator("button[type=submit]").click()
    assert "“Ringkasan” disimpan." in page.inner_text("body")
    assert "150 / 200 kata" in page.inner_text("#bagian-ringkasan")

    page.context.clear_cookies()
    log_in("organisasi@example.go.id", PASSWORD)
    page.goto(f"/organisasi/putaran/{target.slug}/?tahun=2027")
    forwarded = page.inner_text("#round-forwarded")
    assert "melebihi batas putaran" not in forwarded
    assert "disesuaikan OPD" in forwarded
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
        "text": ("kata " * 150).strip(),
        "word_count": 150,
        "adapted": True,
    }
