"""The organiser takes scored sheets to published winners, and the public sees them."""

import pytest

from competition.models import EntryStatus, ResultSnapshot
from tests import factories as f

PASSWORD = "kata-sandi-uji-123"


@pytest.mark.e2e
def test_organiser_selects_finalists_finalises_and_publishes(page, log_in):
    f.OrganiserFactory(email="organisasi@example.go.id", full_name="Bagian Organisasi")
    judges = [f.JudgeFactory(full_name=f"Juri {n}") for n in (1, 2)]
    stage = f.StageFactory(closed=True, rubric=(60, 40))
    competition = stage.competition
    entries = {}
    for ref, (a, b) in zip("ABCD", [(90, 88), (85, 84), (80, 79), (60, 62)], strict=True):
        entries[ref] = f.EntryFactory(
            competition=competition,
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
        f.ScoreSheetFactory(
            stage=stage,
            entry=entries[ref],
            judge=judges[1],
            submitted=True,
            assigned=True,
            scores=[b, b],
        )
    page.on("dialog", lambda dialog: dialog.accept())

    log_in("organisasi@example.go.id", PASSWORD)

    # The leaderboard: three best become finalists.
    page.goto(f"/organisasi/hasil/tahap/{stage.pk}/")
    assert "KIPP-A" in page.inner_text("#leaderboard")
    page.fill("input[name=top_n]", "3")
    with page.expect_navigation():
        page.click("text=Tetapkan finalis >> nth=-1")
    assert "3 proposal ditetapkan sebagai finalis" in page.inner_text("main")
    entries["D"].refresh_from_db()
    assert entries["D"].status == EntryStatus.PASSED

    # The final ranking explains each score; finalising freezes a verified snapshot.
    with page.expect_navigation():
        page.click("text=Peringkat akhir >> nth=-1")
    assert "89,000" in page.inner_text("#final-ranking")
    page.fill("input[name=decree_number]", "188.45/321/417.101/2026")
    page.fill("input[name=decree_date]", "2026-11-20")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "Terverifikasi" in page.inner_text("#verify-status")

    with page.expect_navigation():
        page.click("text=Umumkan hasil")
    assert ResultSnapshot.objects.get(competition=competition).published_at is not None

    # Anyone can now read the winners.
    page.goto("/pengumuman/")
    with page.expect_navigation():
        page.click(f"text={competition.name} {competition.year}")
    winners = page.inner_text("#winners")
    assert "Juara I" in winners and "Inovasi KIPP-A" in winners
    assert "Inovasi KIPP-C" in winners
    assert "Inovasi KIPP-D" not in page.inner_text("main")
