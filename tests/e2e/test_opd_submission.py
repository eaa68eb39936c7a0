"""An OPD user carries an innovation from a blank form to a submitted proposal."""

import pytest

from competition.models import Entry, EntryStatus
from tests import factories as f
from tests.uploads import pdf_bytes

PASSWORD = "kata-sandi-uji-123"


@pytest.mark.e2e
def test_opd_user_registers_an_innovation_and_submits_its_proposal(page, log_in, tmp_path):
    competition = f.CompetitionFactory(open=True)
    competition.sections.filter(key="ringkasan").update(word_limit=20)
    agency = f.AgencyFactory(name="Dinas Kesehatan", short_name="Dinkesppkb")
    f.UserFactory(email="dinkes@example.go.id", agency=agency, full_name="Staf Dinkes")
    pdf = tmp_path / "SK Tim Inovasi.pdf"
    pdf.write_bytes(pdf_bytes())
    page.on("dialog", lambda dialog: dialog.accept())

    # Logging in lands on the OPD dashboard.
    log_in("dinkes@example.go.id", PASSWORD)
    assert "Beranda OPD" in page.inner_text("h1")

    # A new innovation with its innovator.
    page.click("main >> text=Daftarkan inovasi baru")
    page.fill("input[name=title]", "Gerbang Layanan Terpadu dan Terintegrasi")
    page.fill("input[name=brand_name]", "Gayatri")
    page.fill("input[name=started_on]", "2022-03-01")
    page.fill("input[name=innovators-0-name]", "dr. Ayu Lestari")
    page.fill("input[name=innovators-0-nip]", "198001012005012001")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "Gerbang Layanan Terpadu dan Terintegrasi" in page.inner_text("h1")

    # Open this year's entry.
    with page.expect_navigation():
        page.click(f"main >> text=Ikut kompetisi {competition.year}")
    # No group is chosen for the OPD: it picks one.
    assert page.input_value("select[name=group]") == ""
    page.select_option("select[name=group]", label="Umum")
    page.select_option("select[name=category]", label="Kesehatan")
    with page.expect_navigation():
        page.click("main form button[type=submit]")

    # Write the sections; the counter follows the typing.
    ringkasan, latar = competition.sections.order_by("order")
    page.fill(f"textarea[name=section_{ringkasan.pk}]", "Layanan kesehatan terpadu satu pintu.")
    assert page.inner_text(f"#count-{ringkasan.pk}") == "5 / 20 kata"
    page.fill(f"textarea[name=section_{latar.pk}]", "Antrean panjang di puskesmas sebelum 2022.")
    page.set_input_files(f"input[name=file_{competition.attachment_kinds.get(key='sk').pk}]", pdf)
    page.fill("input[name=video_url]", "https://youtu.be/dQw4w9WgXcQ")
    page.check("input[name=declaration_accepted]")
    with page.expect_navigation():
        page.click("button[value=submit]")

    # The check page finds nothing missing; submitting gives the reference number.
    assert "Proposal lengkap" in page.inner_text("main")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    reference = f"KIPP-{competition.year}-0001"
    assert reference in page.inner_text("#reference")
    entry = Entry.objects.get()
    assert (entry.status, entry.reference) == (EntryStatus.SUBMITTED, reference)
    assert entry.attachments.get().original_name == "SK Tim Inovasi.pdf"
