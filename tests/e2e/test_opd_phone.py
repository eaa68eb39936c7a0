"""The OPD on a phone (390 x 844), autosave that survives a reload, a coaching round trip that
no judge ever sees, and axe on the new pages."""

import datetime as dt

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from competition.models import CoachingComment, Entry, EntryAnswer, EntryStatus
from competition.services import coaching as coaching_services
from competition.services.entries import entry_save_draft
from competition.services.snapshot import result_finalise, result_publish
from opd.models import User
from tests import factories as f
from tests.e2e.test_accessibility import problems
from tests.uploads import image_bytes, pdf_bytes

PASSWORD = "kata-sandi-uji-123"
PHONE = {"width": 390, "height": 844}
NO_OVERFLOW_JS = "() => document.documentElement.scrollWidth"


def opd_with_entries(n=2):
    """``n`` drafts of one OPD and, last, one submitted proposal."""
    competition = f.CompetitionFactory(open=True)
    agency = f.AgencyFactory(name="Dinas Kesehatan, Pengendalian Penduduk dan KB")
    f.UserFactory(email="dinkes@example.go.id", agency=agency)
    entries = [
        f.EntryFactory(
            competition=competition,
            category=competition.categories.first(),
            innovation=f.InnovationFactory(
                agency=agency, title=f"Gerbang Layanan Terpadu dan Terintegrasi nomor {i}"
            ),
        )
        for i in range(n + 1)
    ]
    submitted = entries[-1]
    submitted.status = EntryStatus.SUBMITTED
    submitted.reference = f"KIPP-{competition.year}-0001"
    submitted.submitted_at = timezone.now()
    submitted.save()
    return competition, agency, entries


def assert_fits_the_phone(page, url):
    page.goto(url)
    width = page.evaluate(NO_OVERFLOW_JS)
    assert width == PHONE["width"], f"{url} is {width} px wide on a {PHONE['width']} px phone"


@pytest.mark.e2e
def test_opd_beranda_fits_a_phone_with_its_actions_visible(page, log_in):
    _competition, _agency, entries = opd_with_entries()
    page.set_viewport_size(PHONE)

    log_in("dinkes@example.go.id", PASSWORD)

    assert "Beranda OPD" in page.inner_text("h1")
    assert page.evaluate(NO_OVERFLOW_JS) == PHONE["width"]
    for label in ("Lanjutkan", "Lihat"):
        button = page.locator("main table a.btn", has_text=label).first
        button.scroll_into_view_if_needed()
        box = button.bounding_box()
        assert button.is_visible()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    # The proposal pages fit too.
    draft = entries[0]
    for url in (
        reverse("competition:entry_edit", args=[draft.pk]),
        reverse("competition:entry_detail", args=[entries[-1].pk]),
        reverse("competition:entry_submit", args=[draft.pk]),
        reverse("competition:entry_open", args=[f.InnovationFactory(agency=draft.agency).pk]),
        reverse("competition:innovation_list"),
        reverse("competition:innovation_detail", args=[draft.innovation.pk]),
        reverse("competition:innovation_create"),
        reverse("competition:entry_receipt", args=[entries[-1].pk]),
        reverse("competition:entry_coaching", args=[draft.pk]),
    ):
        assert_fits_the_phone(page, url)


@pytest.mark.e2e
def test_autosave_keeps_the_typing_through_a_reload(page, log_in):
    competition, _agency, entries = opd_with_entries(1)
    draft = entries[0]
    section = competition.sections.get(key="latar-belakang")
    page.set_viewport_size(PHONE)
    log_in("dinkes@example.go.id", PASSWORD)
    page.goto(reverse("competition:entry_edit", args=[draft.pk]))

    page.locator(f"textarea[name=section_{section.pk}]").press_sequentially(
        "Antrean panjang sebelum inovasi."
    )
    page.wait_for_selector("[data-autosave-status]:has-text('Draf tersimpan otomatis pukul')")
    page.reload()

    assert (
        page.input_value(f"textarea[name=section_{section.pk}]")
        == "Antrean panjang sebelum inovasi."
    )
    assert EntryAnswer.objects.get(entry=draft, section=section).text.startswith("Antrean")
    # The page now carries the saved version: saving by hand is not refused as a stale tab.
    page.fill(f"textarea[name=section_{section.pk}]", "Diubah lagi lalu disimpan manual.")
    page.click("button[value=save]")
    page.wait_for_selector("[data-autosave-status]:has-text('Draf disimpan pukul')")
    answer = EntryAnswer.objects.get(entry=draft, section=section)
    assert answer.text == "Diubah lagi lalu disimpan manual."


@pytest.mark.e2e
def test_save_draft_keeps_the_phone_in_place_and_lists_what_to_fix(page, log_in):
    competition, _agency, entries = opd_with_entries(1)
    draft = entries[0]
    section = competition.sections.get(key="latar-belakang")
    section.word_limit = 3
    section.save(update_fields=["word_limit"])
    box = page.locator(f"textarea[name=section_{section.pk}]")
    page.set_viewport_size(PHONE)
    log_in("dinkes@example.go.id", PASSWORD)
    page.goto(reverse("competition:entry_edit", args=[draft.pk]))

    box.fill("Satu dua tiga empat lima.")
    # Bootstrap scrolls smoothly: jump at once, so the figure read next is the final one.
    page.evaluate(
        "() => { window.scrollTo({top: 600, behavior: 'instant'}); window.notReloaded = true; }"
    )
    scrolled = page.evaluate("() => window.scrollY")
    page.click("button[value=save]")
    page.wait_for_selector("[data-autosave-status]:has-text('Draf disimpan pukul')")

    assert scrolled > 0
    assert page.evaluate("() => [window.notReloaded, window.scrollY]") == [True, scrolled]
    assert page.inner_text("[data-autosave-warnings]") == (
        f"“{section.label}”: 5 kata, melebihi batas 3 kata."
    )
    assert EntryAnswer.objects.get(entry=draft, section=section).text == "Satu dua tiga empat lima."

    # Shortened and saved again: nothing is left to fix.
    box.fill("Satu dua.")
    page.click("button[value=save]")
    page.wait_for_selector("[data-autosave-warnings]", state="hidden")
    assert EntryAnswer.objects.get(entry=draft, section=section).text == "Satu dua."


@pytest.mark.e2e
def test_save_draft_clicked_twice_saves_once(page, log_in):
    competition, _agency, entries = opd_with_entries(1)
    draft = entries[0]
    section = competition.sections.get(key="latar-belakang")
    log_in("dinkes@example.go.id", PASSWORD)
    page.goto(reverse("competition:entry_edit", args=[draft.pk]))

    posts = []
    page.on("request", lambda request: posts.append(request) if request.method == "POST" else 0)

    page.fill(f"textarea[name=section_{section.pk}]", "Sekali saja.")
    page.dblclick("button[value=save]")
    page.wait_for_selector("[data-autosave-status]:has-text('Draf disimpan pukul')")
    # A second save would follow the first at once; give it the time to show itself.
    page.wait_for_timeout(1000)

    assert len(posts) == 1
    saved = Entry.objects.get(pk=draft.pk)
    assert saved.version == draft.version + 1
    assert page.input_value("input[name=version]") == str(saved.version)


@pytest.mark.e2e
def test_save_draft_uploads_in_place_and_names_a_refused_file(page, log_in, tmp_path):
    competition, _agency, entries = opd_with_entries(1)
    draft = entries[0]
    photo = competition.attachment_kinds.get(key="foto")
    section = competition.sections.get(key="latar-belakang")
    box = f"input[name=file_{photo.pk}]"
    (tmp_path / "sebelum.png").write_bytes(image_bytes())
    (tmp_path / "laporan.pdf").write_bytes(pdf_bytes())
    (tmp_path / "sesudah.png").write_bytes(image_bytes())
    page.set_viewport_size(PHONE)
    log_in("dinkes@example.go.id", PASSWORD)
    page.goto(reverse("competition:entry_edit", args=[draft.pk]))
    page.evaluate("() => { window.notReloaded = true; }")

    page.set_input_files(box, [tmp_path / "sebelum.png", tmp_path / "laporan.pdf"])
    page.click("button[value=save]")
    page.wait_for_selector("[data-autosave-attachments] >> text=sebelum.png")

    assert page.evaluate("() => window.notReloaded") is True
    assert "Berkas “laporan.pdf” berupa PDF" in page.inner_text(
        "[data-autosave-warnings] .text-danger"
    )
    assert page.evaluate(f"() => document.querySelector('{box}').files.length") == 0
    # Typing saves by itself and still says which file was refused.
    page.locator(f"textarea[name=section_{section.pk}]").press_sequentially("Foto sebelum.")
    page.wait_for_selector("[data-autosave-status]:has-text('Draf tersimpan otomatis')")
    assert "laporan.pdf" in page.inner_text("[data-autosave-warnings] .text-danger")
    # The input put in place takes the kind's last photo, saved in place again.
    page.set_input_files(box, tmp_path / "sesudah.png")
    page.click("button[value=save]")
    page.wait_for_selector("[data-autosave-attachments] >> text=sesudah.png")
    assert page.locator("[data-autosave-warnings] .text-danger").count() == 0
    assert page.locator(box).count() == 0  # the kind's two photos are in
    assert page.evaluate("() => window.notReloaded") is True
    assert sorted(draft.attachments.values_list("original_name", flat=True)) == [
        "sebelum.png",
        "sesudah.png",
    ]


@pytest.mark.e2e
def test_save_draft_of_a_wrong_field_shows_the_page_then_clears_it_once_saved(page, log_in):
    _competition, _agency, entries = opd_with_entries(1)
    draft = entries[0]
    log_in("dinkes@example.go.id", PASSWORD)
    page.goto(reverse("competition:entry_edit", args=[draft.pk]))

    page.fill("input[name=video_url]", "https://vimeo.com/123")
    with page.expect_navigation():
        page.click("button[value=save]")
    # The server's page, as without the script: the field marked and the message on top.
    assert "Tautan video harus alamat YouTube" in page.inner_text("#div_id_video_url")
    assert "draf belum disimpan" in page.inner_text("main [data-page-message]")

    page.fill("input[name=video_url]", "https://youtu.be/dQw4w9WgXcQ")
    page.click("button[value=save]")
    page.wait_for_selector("[data-autosave-status]:has-text('Draf disimpan pukul')")

    assert page.locator("main [data-page-message], main .invalid-feedback").count() == 0
    assert page.locator("input[name=video_url]").get_attribute("class") == "form-control"
    assert page.locator("input[name=video_url]").get_attribute("aria-invalid") is None
    assert Entry.objects.get(pk=draft.pk).video_url == "https://youtu.be/dQw4w9WgXcQ"


@pytest.mark.e2e
def test_save_draft_refused_in_place_sends_the_page_that_says_why(page, log_in):
    competition, _agency, entries = opd_with_entries(1)
    draft = entries[0]
    section = competition.sections.get(key="latar-belakang")
    box = f"textarea[name=section_{section.pk}]"
    log_in("dinkes@example.go.id", PASSWORD)
    page.goto(reverse("competition:entry_edit", args=[draft.pk]))
    # Another tab saves meanwhile.
    Entry.objects.filter(pk=draft.pk).update(version=F("version") + 1)

    page.fill(box, "Dari tab yang tertinggal.")
    with page.expect_navigation():
        page.click("button[value=save]")

    assert "sudah diubah di tab" in page.inner_text("main .alert-danger")
    # The server's page keeps the typing; nothing was overwritten.
    assert page.input_value(box) == "Dari tab yang tertinggal."
    assert not EntryAnswer.objects.filter(entry=draft, section=section).exists()


@pytest.mark.e2e
def test_coaching_round_trip_that_no_judge_sees(page, log_in):
    competition, _agency, entries = opd_with_entries(1)
    draft = entries[0]
    section = competition.sections.get(key="ringkasan")
    f.OrganiserFactory(email="organisasi@example.go.id")
    f.JudgeFactory(email="juri@example.go.id")
    coaching_url = reverse("competition:entry_coaching", args=[draft.pk])

    # The OPD asks for a review from the editor.
    log_in("dinkes@example.go.id", PASSWORD)
    page.goto(reverse("competition:entry_edit", args=[draft.pk]))
    with page.expect_navigation():
        page.click("main >> text=Pembinaan: minta tinjauan")
    page.fill("textarea[name=message]", "Mohon dicek bagian ringkasan.")
    with page.expect_navigation():
        page.click("button[value=request]")
    assert "sedang ditinjau" in page.inner_text("main")

    # The organiser comments on the section from the review list.
    page.context.clear_cookies()
    log_in("organisasi@example.go.id", PASSWORD)
    page.goto(reverse("competition:organiser_reviews"))
    with page.expect_navigation():
        page.click("main a.btn:has-text('Tinjau')")
    box = page.locator("section", has_text="Ringkasan").locator("textarea[name=text]")
    box.fill("Tambahkan angka antrean sebelum dan sesudah.")
    with page.expect_navigation():
        page.locator("section", has_text="Ringkasan").locator("button[value=comment]").click()
    assert CoachingComment.objects.get().section == section

    # The OPD sees it beside the section and marks it done.
    page.context.clear_cookies()
    log_in("dinkes@example.go.id", PASSWORD)
    page.goto(coaching_url)
    ringkasan = page.locator("section", has_text="Ringkasan")
    assert "Tambahkan angka antrean sebelum dan sesudah." in ringkasan.inner_text()
    with page.expect_navigation():
        ringkasan.locator("button[value=done]").click()
    assert "sudah ditandai selesai" in page.inner_text("main")

    # A judge never reaches it, by URL or on the desk.
    page.context.clear_cookies()
    log_in("juri@example.go.id", PASSWORD)
    response = page.goto(coaching_url)
    assert response.status == 404
    assert "Tambahkan angka antrean" not in page.content()


@pytest.mark.e2e
def test_new_opd_and_organiser_pages_are_accessible(page, log_in):
    competition, _agency, entries = opd_with_entries(1)
    draft = entries[0]
    section = competition.sections.get(key="ringkasan")
    organiser = f.OrganiserFactory(email="organisasi@example.go.id")
    staff = User.objects.get(email="dinkes@example.go.id")
    # Two people save in turn: two versions, so the diff has something to show.
    for author, text in (
        (staff, "Antrean <b>panjang</b>."),
        (f.UserFactory(agency=draft.agency), "Antrean pendek."),
    ):
        draft.refresh_from_db()
        entry_save_draft(
            entry=draft, user=author, version=draft.version, answers={section.pk: text}
        )
    coaching_services.review_request_open(entry=draft, user=staff, message="Mohon dicek.")
    coaching_services.coaching_comment_add(
        entry=draft, section=section, text="Sebutkan angkanya.", author=organiser
    )
    urls = [
        reverse("competition:entry_coaching", args=[draft.pk]),
        reverse("competition:entry_section_versions", args=[draft.pk, section.pk]),
    ]
    found = []
    for viewport in (PHONE, {"width": 1366, "height": 768}):
        page.set_viewport_size(viewport)
        page.context.clear_cookies()
        log_in("dinkes@example.go.id", PASSWORD)
        for url in [*urls, reverse("competition:entry_edit", args=[draft.pk])]:
            found += problems(page, url)
        page.context.clear_cookies()
        log_in("organisasi@example.go.id", PASSWORD)
        for url in [*urls, reverse("competition:organiser_reviews")]:
            found += problems(page, url)
    assert not found, "accessibility problems:\n" + "\n".join(found)


@pytest.mark.e2e
def test_released_feedback_page_is_accessible_and_fits_a_phone(page, log_in):
    agency = f.AgencyFactory(name="Dinas Lingkungan Hidup")
    f.UserFactory(email="dlh@example.go.id", agency=agency)
    organiser = f.OrganiserFactory()
    stage = f.StageFactory(closed=True, rubric=(60, 40))
    competition = stage.competition
    competition.feedback_released = True
    competition.save(update_fields=["feedback_released"])
    entry = f.EntryFactory(
        competition=competition,
        reference="KIPP-0001",
        titled_by_reference=True,
        innovation__agency=agency,
        screened_in=True,
    )
    for values in ((90, 80), (70, 75)):
        sheet = f.ScoreSheetFactory(
            stage=stage,
            entry=entry,
            judge=f.JudgeFactory(),
            submitted=True,
            assigned=True,
            scores=values,
        )
        sheet.scores.update(comment="Ukur dampaknya dengan data sebelum dan sesudah.")
    snapshot = result_finalise(
        competition=competition,
        actor=organiser,
        decree_number="188.45/9/417.101/2026",
        decree_date=dt.date(2026, 11, 20),
    )
    result_publish(snapshot=snapshot, actor=organiser)
    page.set_viewport_size(PHONE)

    log_in("dlh@example.go.id", PASSWORD)
    page.goto(reverse("competition:opd_results", args=[competition.year]))
    with page.expect_navigation():
        page.click("main a:has-text('Umpan balik juri')")

    assert "Juri 2" in page.inner_text("main")
    assert page.evaluate(NO_OVERFLOW_JS) == PHONE["width"]
    found = problems(page) + problems(
        page, reverse("competition:opd_results", args=[competition.year])
    )
    assert not found, "accessibility problems:\n" + "\n".join(found)


@pytest.mark.e2e
def test_autosave_in_a_stale_tab_stops_instead_of_overwriting(page, log_in):
    competition, _agency, entries = opd_with_entries(1)
    draft = entries[0]
    section = competition.sections.get(key="latar-belakang")
    box = f"textarea[name=section_{section.pk}]"
    log_in("dinkes@example.go.id", PASSWORD)
    url = reverse("competition:entry_edit", args=[draft.pk])
    page.goto(url)
    other = page.context.new_page()
    other.goto(url)

    page.locator(box).press_sequentially("Dari tab pertama.")
    page.wait_for_selector("[data-autosave-status]:has-text('Draf tersimpan otomatis')")
    other.locator(box).press_sequentially("Dari tab kedua.")
    other.wait_for_selector("[data-autosave-status]:has-text('sudah diubah di tab')")

    assert EntryAnswer.objects.get(entry=draft, section=section).text == "Dari tab pertama."
