"""A judge's sitting in Chromium: every conflict declared on one page, three proposals scored
with "Simpan dan lanjut" while the progress counter moves, the running total, Enter that does
not send, the proposal's PDF inline, and axe on the new pages."""

from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from competition.models import ConflictDeclaration, EntryStatus, ScoreSheet, SheetStatus
from competition.services.judging import score_sheet_save
from tests import factories as f
from tests.e2e.test_accessibility import error_problems

PASSWORD = "kata-sandi-uji-123"
BLOCKING = {"serious", "critical"}


def blocking_violations(page):
    results = Axe().run(page)
    return [
        f"{page.url} [{v['impact']}] {v['id']}: {node['target']}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
        for node in v["nodes"]
    ]


@pytest.fixture
def sitting():
    stage = f.StageFactory(judges_per_entry=1)
    kebaruan = f.CriterionFactory(
        stage=stage, order=1, label="Kebaruan", weight=Decimal("40"), max_score=Decimal("100")
    )
    manfaat = f.CriterionFactory(
        stage=stage, order=2, label="Kemanfaatan", weight=Decimal("60"), max_score=Decimal("10")
    )
    judge = f.JudgeFactory(email="juri@example.ac.id", full_name="Dr. Sari Penilai")
    entries = []
    for n, title in enumerate(("Posko Paman", "Gayatri", "Bapak Samerto"), start=1):
        entry = f.EntryFactory(
            competition=stage.competition,
            innovation__title=title,
            status=EntryStatus.PASSED,
            reference=f"KIPP-2026-000{n}",
        )
        f.EntryAnswerFactory(entry=entry, section__label="Ringkasan", text=f"Uraian {title}.")
        f.AssignmentFactory(stage=stage, entry=entry, judge=judge)
        entries.append(entry)
    f.AttachmentFactory(entry=entries[0], original_name="sk-tim-posko.pdf")
    return stage, (kebaruan, manfaat), judge, entries


@pytest.mark.e2e
def test_judge_declares_all_then_scores_three_with_save_and_next(page, log_in, sitting):
    _stage, (kebaruan, manfaat), judge, entries = sitting

    # Every conflict declaration on one page, with one click for "no conflict" everywhere.
    log_in("juri@example.ac.id", PASSWORD)
    assert "3 proposal menunggu pernyataan konflik kepentingan." in page.inner_text("#content")
    assert blocking_violations(page) == []
    with page.expect_navigation():
        page.click("text=Nyatakan untuk semua sekaligus")
    for entry in entries:
        assert entry.innovation.title in page.inner_text("table.desk-declare-all")
    assert blocking_violations(page) == []
    page.click("button[data-check-all=none]")
    with page.expect_navigation():
        page.click("input[type=submit]")
    assert "Pernyataan untuk 3 proposal dicatat." in page.inner_text("body")
    assert ConflictDeclaration.objects.filter(judge=judge, has_conflict=False).count() == 3
    assert "0 dari 3 selesai" in page.inner_text("#content")

    # The first proposal: progress, its PDF inline beside the sheet.
    with page.expect_navigation():
        page.click("#result_list >> text=Posko Paman")
    assert "0 dari 3 selesai" in page.inner_text(".desk-progress")
    frame_src = page.get_attribute("iframe.desk-pdf", "src")
    pdf = page.request.get(frame_src)
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"].startswith("inline")
    assert pdf.headers["content-security-policy"].startswith("sandbox;")
    assert pdf.body().startswith(b"%PDF")
    # Chromium's PDF viewer opens inside the frame despite (and under) the sandbox policy.
    for _ in range(50):
        if any(fr.url.startswith("chrome-extension://") for fr in page.frames):
            break
        page.wait_for_timeout(100)
    assert any(fr.url.startswith("chrome-extension://") for fr in page.frames)

    # The running total follows what is typed; Enter moves on instead of sending.
    score_1 = f"input[name=score_{kebaruan.pk}]"
    score_2 = f"input[name=score_{manfaat.pk}]"
    page.fill(score_1, "80")
    assert page.inner_text("#desk-live-total") == "32,00 (belum lengkap)"
    page.focus(score_1)
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.name") == f"comment_{kebaruan.pk}"
    assert ScoreSheet.objects.count() == 0
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == f"score_{manfaat.pk}"
    page.keyboard.type("7.5")
    assert page.inner_text("#desk-live-total") == "77,00"
    assert blocking_violations(page) == []

    for done, (title, following) in enumerate(
        [("Posko Paman", "Gayatri"), ("Gayatri", "Bapak Samerto")], start=1
    ):
        assert title in page.inner_text("h1")
        page.fill(score_1, "80")
        page.fill(score_2, "7.5")
        with page.expect_navigation():
            page.click("button[value=submit_next]")
        assert following in page.inner_text("h1")
        assert f"{done} dari 3 selesai" in page.inner_text(".desk-progress")

    page.fill(score_1, "90")
    page.fill(score_2, "9")
    with page.expect_navigation():
        page.click("button[value=submit_next]")
    assert "Semua proposal pada tahap ini sudah Anda nilai." in page.inner_text("body")
    assert "3 dari 3 selesai" in page.inner_text("#content")
    assert ScoreSheet.objects.filter(judge=judge, status=SheetStatus.SUBMITTED).count() == 3


@pytest.mark.e2e
def test_clash_hint_after_two_tabs_passes_axe(page, log_in, sitting):
    stage, (kebaruan, manfaat), judge, entries = sitting
    for entry in entries:
        f.ConflictDeclarationFactory(stage=stage, entry=entry, judge=judge)
    log_in("juri@example.ac.id", PASSWORD)
    with page.expect_navigation():
        page.click("#result_list >> text=Gayatri")
    # Another tab saves first.
    assignment = judge.assignments.get(entry=entries[1])
    score_sheet_save(
        sheet_or_assignment=assignment,
        judge=judge,
        values={kebaruan.pk: Decimal("79"), manfaat.pk: None},
        comments={},
        expected_version=0,
        submit=False,
    )

    page.fill(f"input[name=score_{kebaruan.pk}]", "85")
    with page.expect_navigation():
        page.click("button[value=draft]")

    assert "Nilai tersimpan saat ini: 79" in page.inner_text(".desk-sheet")
    assert blocking_violations(page) == []


@pytest.mark.e2e
def test_declare_all_refusal_is_read_with_its_field(page, log_in, sitting):
    _stage, _criteria, judge, entries = sitting
    log_in("juri@example.ac.id", PASSWORD)
    page.goto(reverse("judge_desk:competition_assignment_declare_all"))

    page.click("button[data-check-all=none]")
    assignment = judge.assignments.get(entry=entries[1])
    page.check(f"input[name=decision_{assignment.pk}][value=conflict]")
    with page.expect_navigation():
        page.click("input[type=submit]")

    assert "Tuliskan alasan konflik kepentingan Anda." in page.inner_text("#content")
    assert ConflictDeclaration.objects.count() == 0
    assert error_problems(page) == []
