"""The organiser closes a stage with missing sheets, reopens it, finalises, and the
finalised year then refuses a change of finalists, naming the new-version path."""

import pytest

from competition.models import EntryStatus, Stage
from tests import factories as f

PASSWORD = "kata-sandi-uji-123"


@pytest.mark.e2e
def test_close_with_missing_sheets_reopen_finalise_then_finalists_are_frozen(page, log_in):
    f.OrganiserFactory(email="organisasi@example.go.id", full_name="Bagian Organisasi")
    judges = [f.JudgeFactory(full_name=f"Juri {n}") for n in (1, 2)]
    stage = f.StageFactory(rubric=(60, 40))
    entries = {}
    for ref, (a, b) in zip("ABCD", [(90, 88), (85, 84), (80, 79), (60, 62)], strict=True):
        entries[ref] = f.EntryFactory(
            competition=stage.competition,
            reference=f"KIPP-{ref}",
            titled_by_reference=True,
            screened_in=True,
        )
        f.ScoreSheetFactory(
            stage=stage,
            entry=entries[ref],
            judge=judges[0],
            submitted=True,
            assigned=True,
            scores=[a, a],
        )
        if ref != "D":
            f.ScoreSheetFactory(
                stage=stage,
                entry=entries[ref],
                judge=judges[1],
                submitted=True,
                assigned=True,
                scores=[b, b],
            )
    # Juri 2 has KIPP-D on the desk but has not sent the sheet.
    f.AssignmentFactory(stage=stage, entry=entries["D"], judge=judges[1])
    page.on("dialog", lambda dialog: dialog.accept())
    log_in("organisasi@example.go.id", PASSWORD)

    # Closing shows what is missing, per judge, and asks for a reason.
    page.goto(f"/organisasi/penilaian/tahap/{stage.pk}/")
    with page.expect_navigation():
        page.click("main a:has-text('Tutup tahap')")
    missing = page.inner_text("#missing-sheets")
    assert "1 lembar penilaian belum dikirim" in missing
    assert "Juri 2: KIPP-D Inovasi KIPP-D" in missing
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "Tuliskan alasan menutup tahap sekarang" in page.inner_text("main")
    assert Stage.objects.get(pk=stage.pk).closed_at is None
    page.fill("textarea[name=reason]", "Rapat pleno dimajukan.")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "semua lembar penilaian beku" in page.inner_text("main")

    # Reopened with a reason; the judge then sends the missing sheet and it closes cleanly.
    with page.expect_navigation():
        page.click("main a:has-text('Buka kembali tahap')")
    page.fill("textarea[name=reason]", "Juri 2 sakit; lembar KIPP-D menyusul.")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "dibuka kembali; juri diberi tahu" in page.inner_text("main")
    assert Stage.objects.get(pk=stage.pk).closed_at is None
    f.ScoreSheetFactory(
        stage=stage, entry=entries["D"], judge=judges[1], submitted=True, scores=[62, 62]
    )
    with page.expect_navigation():
        page.click("main a:has-text('Tutup tahap')")
    assert "Semua lembar penilaian yang ditugaskan sudah dikirim" in page.inner_text("main")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert Stage.objects.get(pk=stage.pk).closed_at is not None

    # Finalists, then a second tab keeps the leaderboard open while the year is finalised.
    page.goto(f"/organisasi/hasil/tahap/{stage.pk}/")
    page.fill("input[name=top_n]", "3")
    with page.expect_navigation():
        page.click("text=Tetapkan finalis >> nth=-1")
    assert "3 proposal ditetapkan sebagai finalis" in page.inner_text("main")
    stale = page.context.new_page()
    stale.on("dialog", lambda dialog: dialog.accept())
    stale.goto(f"/organisasi/hasil/tahap/{stage.pk}/")

    with page.expect_navigation():
        page.click("text=Peringkat akhir >> nth=-1")
    page.fill("input[name=decree_number]", "188.45/321/417.101/2026")
    page.fill("input[name=decree_date]", "2026-11-20")
    with page.expect_navigation():
        page.click("main form button[type=submit] >> text=Finalkan hasil")
    assert "Terverifikasi" in page.inner_text("#verify-status")

    # The stale tab tries to make KIPP-D a finalist: refused, naming the new-version path.
    stale.check("#mode-pick")
    stale.check(f"#pick-{entries['D'].pk}")
    stale.fill("textarea[name=reason]", "Sanggah OPD.")
    with stale.expect_navigation():
        stale.click("text=Tetapkan finalis >> nth=-1")
    refusal = stale.inner_text("main")
    assert "sudah difinalkan" in refusal
    assert "Perubahan hanya melalui versi baru hasil akhir" in refusal
    assert "Buka versi baru hasil" in refusal
    entries["D"].refresh_from_db()
    assert entries["D"].status == EntryStatus.PASSED
    # The leaderboard no longer offers the form, only the way to a new version.
    assert "daftar finalis tidak dapat diubah lagi" in stale.inner_text("#finalists-locked")
    assert stale.locator("input[name=top_n]").count() == 0
