"""Verification recomputes: a stored total changed behind the portal's back is caught."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from competition import stats
from competition.models import Placement, ResultSnapshot, Score, ScoreSheet
from competition.selectors import finalise
from competition.selectors.verification import TOLERANCE, sheet_total_mismatches
from competition.services.freeze import result_revision_open
from competition.services.judging import score_sheet_reopen, score_sheet_save
from competition.services.snapshot import result_finalise, result_publish
from competition.services.verification import result_check, result_verify
from tests import factories as f

pytestmark = pytest.mark.django_db

DECREE = {"decree_number": "188.45/123/417.101/2026", "decree_date": dt.date(2026, 11, 20)}


@pytest.fixture
def scored(judge, other_judge):
    """Four entries scored by two judges on a closed stage: A > B > C > D."""
    stage = f.StageFactory(closed=True, rubric=(60, 40))
    criteria = list(stage.criteria.order_by("order"))
    entries = {}
    for ref, (a, b) in zip("ABCD", [(90, 88), (85, 84), (80, 79), (75, 74)], strict=True):
        entries[ref] = f.EntryFactory(
            competition=stage.competition,
            reference=f"KIPP-{ref}",
            titled_by_reference=True,
            screened_in=True,
        )
        f.ScoreSheetFactory(
            stage=stage,
            entry=entries[ref],
            judge=judge,
            submitted=True,
            assigned=True,
            scores=[a, a],
        )
        f.ScoreSheetFactory(
            stage=stage,
            entry=entries[ref],
            judge=other_judge,
            submitted=True,
            assigned=True,
            scores=[b, b],
        )
    return stage, criteria, entries


def tamper(stage, entry, judge, total):
    """The database edited behind the portal's back: the total, not the scores."""
    ScoreSheet.objects.filter(stage=stage, entry=entry, judge=judge).update(total=total)


def test_a_clean_result_verifies(scored, organiser):
    stage, _, _entries = scored

    snapshot = result_finalise(competition=stage.competition, actor=organiser, **DECREE)

    check = result_check(snapshot)
    assert check.ok, check.differences
    assert result_verify(snapshot)


def test_changed_total_fails_verification_shown_per_sheet(scored, organiser, judge):
    stage, _, entries = scored
    snapshot = result_finalise(competition=stage.competition, actor=organiser, **DECREE)

    tamper(stage, entries["D"], judge, 99.0)

    check = result_check(snapshot)
    assert not result_verify(snapshot)
    assert [(d.where, d.what, d.expected, d.found) for d in check.sheets] == [
        (
            "Lembar Dr. Juri Penilai untuk KIPP-D (tahap “Penilaian proposal”)",
            "nilai total tersimpan, dihitung ulang dari nilai per kriteria",
            "75,000",
            "99,000",
        )
    ]


def test_snapshot_page_shows_the_difference_and_offers_no_publishing(
    client, scored, organiser, judge
):
    stage, _, entries = scored
    snapshot = result_finalise(competition=stage.competition, actor=organiser, **DECREE)
    tamper(stage, entries["D"], judge, 99.0)
    client.force_login(organiser)

    html = client.get(
        reverse("competition:results_snapshot", args=[stage.competition.year, snapshot.version])
    ).content.decode()

    assert "Tidak cocok" in html
    assert "Lembar Dr. Juri Penilai untuk KIPP-D" in html
    assert "99,000" in html
    assert "Umumkan hasil" not in html


def test_changed_total_blocks_publishing(scored, organiser, judge):
    stage, _, entries = scored
    snapshot = result_finalise(competition=stage.competition, actor=organiser, **DECREE)
    tamper(stage, entries["D"], judge, 99.0)

    with pytest.raises(ValidationError) as exc:
        result_publish(snapshot=snapshot, actor=organiser)

    assert exc.value.code == "not_verified"
    snapshot.refresh_from_db()
    assert snapshot.published_at is None


def test_changed_total_blocks_finalising(client, scored, organiser, judge):
    stage, _, entries = scored
    # Enough to lift D (74,5) above C (79,5) into Juara III on stored totals alone.
    tamper(stage, entries["D"], judge, 95.0)

    with pytest.raises(ValidationError) as exc:
        result_finalise(competition=stage.competition, actor=organiser, **DECREE)

    assert exc.value.code == "sheet_total_mismatch"
    assert "Lembar Dr. Juri Penilai untuk KIPP-D" in exc.value.messages[0]
    assert (
        "tersimpan 95,000, dihitung ulang dari nilai per kriteria 75,000" in (exc.value.messages[0])
    )
    assert not ResultSnapshot.objects.exists()
    client.force_login(organiser)
    page = client.get(reverse("competition:results_final", args=[stage.competition.year]))
    assert "Lembar Dr. Juri Penilai untuk KIPP-D" in page.content.decode()


def test_a_snapshot_frozen_from_a_changed_total_fails_verification(
    scored, organiser, judge, monkeypatch
):
    """As finalising did before it recomputed: the frozen total is not its frozen scores'."""
    stage, _, entries = scored
    tamper(stage, entries["D"], judge, 95.0)
    monkeypatch.setattr(finalise, "sheet_total_mismatches", lambda *args, **kwargs: [])
    snapshot = result_finalise(competition=stage.competition, actor=organiser, **DECREE)
    assert snapshot.placements.get(rank=3).entry == entries["D"]
    monkeypatch.undo()

    check = result_check(snapshot)

    frozen = [d for d in check.sheets if d.what.startswith("nilai total yang dibekukan")]
    assert [(d.where, d.expected, d.found) for d in frozen] == [
        ("Lembar Dr. Juri Penilai untuk KIPP-D (tahap “Penilaian proposal”)", "75,000", "95,000")
    ]
    ranks = {(d.where, d.what): (d.expected, d.found) for d in check.entries}
    assert ranks[("KIPP-D", "peringkat akhir")] == ("3", "4")
    assert ranks[("KIPP-C", "peringkat akhir")] == ("4", "3")


def test_a_changed_placement_fails_verification(scored, organiser):
    stage, _, entries = scored
    snapshot = result_finalise(competition=stage.competition, actor=organiser, **DECREE)

    Placement.objects.filter(snapshot=snapshot, entry=entries["C"]).update(prize=0, rank=9)

    check = result_check(snapshot)
    assert [(d.where, d.what) for d in check.entries] == [("KIPP-C", "predikat tersimpan")]


def test_verify_results_exits_non_zero_on_a_mismatch_and_zero_when_clean(scored, organiser, judge):
    stage, _, entries = scored
    snapshot = result_finalise(competition=stage.competition, actor=organiser, **DECREE)
    result_publish(snapshot=snapshot, actor=organiser)
    out = io.StringIO()

    call_command("verify_results", stdout=out)
    assert f"{stage.competition.year} v1: OK" in out.getvalue()

    tamper(stage, entries["B"], judge, 10.0)
    out = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("verify_results", stdout=out)

    assert exc.value.returncode == 1
    assert f"{stage.competition.year} v1: TIDAK COCOK" in out.getvalue()
    assert "Lembar Dr. Juri Penilai untuk KIPP-B" in out.getvalue()


def test_snapshot_page_speaks_indonesian(client, scored, organiser):
    stage, _, _entries = scored
    snapshot = result_finalise(competition=stage.competition, actor=organiser, **DECREE)
    client.force_login(organiser)

    html = client.get(
        reverse("competition:results_snapshot", args=[stage.competition.year, snapshot.version])
    ).content.decode()

    for raw in ("entry_score", "top_criterion", "first_places", "sheet_total", "final_score"):
        assert raw not in html
    assert "Nilai proposal" in html
    assert "1. nilai lebih tinggi pada kriteria berbobot terbesar" in html
    assert "Terverifikasi" in html


def test_verify_results_checks_only_the_frozen_content_while_a_new_version_is_prepared(
    scored, organiser, judge
):
    stage, _, entries = scored
    snapshot = result_finalise(competition=stage.competition, actor=organiser, **DECREE)
    result_publish(snapshot=snapshot, actor=organiser)
    result_revision_open(
        competition=stage.competition, actor=organiser, reason="Sanggah OPD diterima."
    )
    # The revision reopens a sheet and the judge scores it anew: the scores rightly differ.
    sheet = ScoreSheet.objects.get(stage=stage, entry=entries["B"], judge=judge)
    reopen_and_rescore(sheet, organiser)
    assert ScoreSheet.objects.get(pk=sheet.pk).total == 50.0
    out = io.StringIO()

    call_command("verify_results", stdout=out)

    assert "v1 (versi baru sedang disiapkan: isi beku saja): OK" in out.getvalue()
    assert not result_check(snapshot).ok


def reopen_and_rescore(sheet, organiser):
    """The organiser reopens the sheet and its judge submits new scores, as on the desk."""
    score_sheet_reopen(sheet=sheet, actor=organiser, reason="Sanggah diterima.")
    f.ConflictDeclarationFactory(
        stage=sheet.stage, entry=sheet.entry, judge=sheet.judge, has_conflict=False
    )
    sheet.refresh_from_db()
    criteria = list(sheet.stage.criteria.all())
    score_sheet_save(
        sheet_or_assignment=sheet,
        judge=sheet.judge,
        values={c.pk: 50 for c in criteria},
        comments={},
        expected_version=sheet.version,
        submit=True,
    )


def _sheet(stage, entry, judge):
    return ScoreSheet.objects.get(stage=stage, entry=entry, judge=judge)


def test_a_stored_total_just_past_the_tolerance_is_caught_and_one_within_it_is_not(
    scored, judge, django_assert_num_queries
):
    """The database confirms totals with half the tolerance to spare; what it cannot
    confirm is recomputed exactly, so the bound is the tolerance either way."""
    stage, _, entries = scored
    sheet = _sheet(stage, entries["B"], judge)
    tamper(stage, entries["B"], judge, sheet.total + TOLERANCE / 10)

    # Criteria, then the sheets the database cannot confirm: none.
    with django_assert_num_queries(2):
        assert sheet_total_mismatches([stage.pk]) == []

    tamper(stage, entries["B"], judge, sheet.total + 2 * TOLERANCE)
    # ... then their scores and their names.
    with django_assert_num_queries(4):
        mismatches = sheet_total_mismatches([stage.pk])
    assert [(m.sheet_id, m.recomputed) for m in mismatches] == [(sheet.pk, sheet.total)]


def test_a_submitted_sheet_missing_a_score_is_caught(scored, judge):
    stage, criteria, entries = scored
    sheet = _sheet(stage, entries["C"], judge)
    Score.objects.filter(sheet=sheet, criterion=criteria[1]).delete()

    [mismatch] = sheet_total_mismatches([stage.pk])

    assert (mismatch.sheet_id, mismatch.stored, mismatch.recomputed) == (sheet.pk, 80.0, None)


def test_totals_are_checked_against_the_rubric_given(scored, django_assert_num_queries):
    """A frozen result is checked against the weights it was frozen with: every sheet of
    the stage scored 60/40 differs under 50/50 unless both of its scores are equal."""
    stage, criteria, _entries = scored
    rubric = {
        stage.pk: [
            stats.CriterionSpec(criteria[0].pk, 100.0, 50.0),
            stats.CriterionSpec(criteria[1].pk, 100.0, 50.0),
        ]
    }
    with django_assert_num_queries(1):
        assert sheet_total_mismatches([stage.pk], rubric=rubric) == []

    Score.objects.filter(sheet__stage=stage, criterion=criteria[0]).update(value=100)
    ScoreSheet.objects.filter(stage=stage).update(total=80.0)
    mismatches = sheet_total_mismatches([stage.pk], rubric=rubric)

    # (100 + the second score) / 2 under 50/50, none of them the 80 stored.
    assert sorted(round(m.recomputed, 6) for m in mismatches) == [
        87.0,
        87.5,
        89.5,
        90.0,
        92.0,
        92.5,
        94.0,
        95.0,
    ]
