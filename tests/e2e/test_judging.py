"""A judge logs in, declares no conflict, scores an entry and submits the sheet."""

from decimal import Decimal

import pytest

from competition.models import ConflictDeclaration, EntryStatus, ScoreSheet, SheetStatus
from tests import factories as f

PASSWORD = "kata-sandi-uji-123"


@pytest.mark.e2e
def test_judge_declares_scores_and_submits(page, log_in):
    stage = f.StageFactory(judges_per_entry=1)
    kebaruan = f.CriterionFactory(stage=stage, order=1, label="Kebaruan", weight=Decimal("50"))
    lanjut = f.CriterionFactory(
        stage=stage,
        order=2,
        label="Keberlanjutan",
        weight=Decimal("50"),
        comment_required=True,
    )
    entry = f.EntryFactory(
        competition=stage.competition,
        innovation__title="Posko Paman",
        status=EntryStatus.PASSED,
        reference="KIPP-2026-0007",
    )
    f.EntryAnswerFactory(entry=entry, section__label="Ringkasan", text="Posko ramah anak.")
    judge = f.JudgeFactory(email="juri@example.ac.id", full_name="Dr. Sari Penilai")
    f.AssignmentFactory(stage=stage, entry=entry, judge=judge)
    page.on("dialog", lambda dialog: dialog.accept())

    # Logging in lands on "Penilaian saya" with the entry not started.
    log_in("juri@example.ac.id", PASSWORD)
    assert "Penilaian saya" in page.inner_text("h1")
    assert "Belum mulai" in page.inner_text("#result_list")

    # Opening the entry asks for the conflict declaration first.
    with page.expect_navigation():
        page.click("#result_list >> text=Posko Paman")
    assert "konflik kepentingan" in page.inner_text("#content")
    page.check("input[value=none]")
    with page.expect_navigation():
        page.click("input[type=submit]")
    assert "Posko ramah anak." in page.inner_text(".desk-proposal")

    # A score outside the scale is refused next to the field, and the rest stays typed.
    page.fill(f"input[name=score_{kebaruan.pk}]", "85")
    page.fill(f"input[name=score_{lanjut.pk}]", "120")
    page.fill(f"textarea[name=comment_{lanjut.pk}]", "Perlu Perwali agar berlanjut.")
    # The browser would stop this too (min/max); the server must refuse it on its own.
    page.evaluate("document.querySelector('.desk-sheet form').noValidate = true")
    with page.expect_navigation():
        page.click("button[value=draft]")
    assert "tidak boleh lebih dari 100" in page.inner_text(".desk-sheet")
    assert page.input_value(f"input[name=score_{kebaruan.pk}]") == "85"
    assert (
        page.input_value(f"textarea[name=comment_{lanjut.pk}]") == "Perlu Perwali agar berlanjut."
    )

    # Corrected and submitted: back on the list, marked as sent.
    page.fill(f"input[name=score_{lanjut.pk}]", "78.5")
    with page.expect_navigation():
        page.click("button[value=submit]")
    assert "Lembar penilaian dikirim" in page.inner_text("body")
    assert "Dikirim" in page.inner_text("#result_list")

    sheet = ScoreSheet.objects.get()
    assert sheet.status == SheetStatus.SUBMITTED
    assert dict(sheet.scores.values_list("criterion__label", "value")) == {
        "Kebaruan": Decimal("85"),
        "Keberlanjutan": Decimal("78.5"),
    }
    assert ConflictDeclaration.objects.get(judge=judge).has_conflict is False
