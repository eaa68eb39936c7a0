"""The leaderboard and the final ranking, from submitted sheets in the database."""

from decimal import Decimal

import numpy as np
import pytest

from competition.models import EntryStatus
from competition.selectors.final_ranking import final_ranking
from competition.selectors.leaderboard import leaderboard_criterion_means, stage_leaderboard
from competition.selectors.score_matrix import stage_score_matrix
from tests import factories as f
from tests.competition.results_data import make_entry, make_stage, score

pytestmark = pytest.mark.django_db


def test_leaderboard_scores_are_means_of_weighted_totals(judge, other_judge):
    stage, criteria = make_stage(weights=(60, 40))
    entry = make_entry(stage.competition, reference="KIPP-001")
    score(stage, criteria, entry, judge, [80, 70])  # 48 + 28 = 76
    score(stage, criteria, entry, other_judge, [90, 50])  # 54 + 20 = 74

    board = stage_leaderboard(stage)

    row = board.rows[0]
    assert row.score == pytest.approx(75)
    assert row.n_sheets == 2 and row.n_assigned == 2
    assert row.criterion_means[criteria[0].pk] == pytest.approx(85)
    assert row.criterion_means[criteria[1].pk] == pytest.approx(60)
    assert row.sd == pytest.approx(np.std([76, 74], ddof=1))
    assert row.range == pytest.approx(2)
    assert row.rank == 1
    assert board.weights_ok


def test_leaderboard_page_averages_criteria_of_the_rows_it_shows_only(judge):
    stage, criteria = make_stage(weights=(60, 40))
    shown = make_entry(stage.competition, reference="KIPP-001")
    other = make_entry(stage.competition, reference="KIPP-002")
    score(stage, criteria, shown, judge, [80, 70])
    score(stage, criteria, other, judge, [50, 50])

    board = stage_leaderboard(stage, criterion_means=False)
    assert all(row.criterion_means == {} for row in board.rows)
    leaderboard_criterion_means(board, [board.row_for(shown.pk)])

    assert board.row_for(shown.pk).criterion_mean_list == [80, 70]
    assert board.row_for(other.pk).criterion_means == {}


def test_leaderboard_incomplete_entry_has_no_score_and_ranks_last(judge, other_judge):
    stage, criteria = make_stage()
    done = make_entry(stage.competition, reference="KIPP-001")
    waiting = make_entry(stage.competition, reference="KIPP-002")
    score(stage, criteria, done, judge, [10, 10])
    score(stage, criteria, waiting, judge, [100, 100])
    f.AssignmentFactory(stage=stage, entry=waiting, judge=other_judge)
    # A draft is invisible: it does not complete the entry.
    score(stage, criteria, waiting, other_judge, [100, 100], submitted=False, assign=False)

    board = stage_leaderboard(stage)

    assert [r.entry.reference for r in board.rows] == ["KIPP-001", "KIPP-002"]
    last = board.rows[1]
    assert last.score is None and last.incomplete and last.rank is None
    assert (last.n_sheets, last.n_assigned) == (1, 2)


def test_leaderboard_flags_disagreement_above_threshold(judge, other_judge):
    stage, criteria = make_stage()
    stage.competition.disagreement_threshold = Decimal("10")
    stage.competition.save()
    entry = make_entry(stage.competition, reference="KIPP-001")
    score(stage, criteria, entry, judge, [90, 90])
    score(stage, criteria, entry, other_judge, [70, 70])  # sd = 14.14

    board = stage_leaderboard(stage)

    assert board.rows[0].flagged
    assert board.flagged_without_note == [board.rows[0]]
    f.ModerationNoteFactory(stage=stage, entry=entry)
    assert stage_leaderboard(stage).flagged_without_note == []


def test_leaderboard_normalised_only_when_judges_scored_enough(judge, other_judge):
    stage, criteria = make_stage(min_entries_for_normalisation=3)
    entries = [make_entry(stage.competition, reference=f"KIPP-00{i}") for i in range(3)]
    for entry, (a, b) in zip(entries, [(80, 60), (70, 65), (60, 50)], strict=True):
        score(stage, criteria, entry, judge, [a, a])
        score(stage, criteria, entry, other_judge, [b, b])

    board = stage_leaderboard(stage)

    assert all(r.normalised is not None for r in board.rows)
    stage.min_entries_for_normalisation = 4
    assert all(r.normalised is None for r in stage_leaderboard(stage).rows)


def test_leaderboard_judges_panel_agreement_and_stability(judge, other_judge):
    stage, criteria = make_stage()
    for i, (a, b) in enumerate([(90, 88), (80, 79), (70, 72), (60, 61)]):
        entry = make_entry(stage.competition, reference=f"KIPP-00{i}")
        score(stage, criteria, entry, judge, [a, a])
        score(stage, criteria, entry, other_judge, [b, b])

    board = stage_leaderboard(stage)

    panel = {p.judge.name: p for p in board.judges}
    assert panel["Dr. Juri Penilai"].leniency == pytest.approx(0)
    assert panel["Dr. Juri Penilai"].mean == pytest.approx(75)
    assert board.agreement.alpha > 0.9
    assert board.agreement.reading == "high"
    assert board.agreement.reading_label.startswith("tinggi")
    assert [e.reference for e in board.top] == ["KIPP-000", "KIPP-001", "KIPP-002"]
    assert not board.stability_changed


def test_leaderboard_weights_not_100_are_reported(judge):
    stage, criteria = make_stage(weights=(60, 30))
    score(stage, criteria, make_entry(stage.competition, reference="KIPP-001"), judge, [50, 50])

    board = stage_leaderboard(stage)

    assert not board.weights_ok
    assert board.weight_total == Decimal("90")


def _many_entries(stage, criteria, judges, n):
    for i in range(n):
        entry = make_entry(stage.competition, reference=f"KIPP-{i:03d}")
        for j, judge in enumerate(judges):
            score(stage, criteria, entry, judge, [50 + i % 40, 40 + j])
        f.ModerationNoteFactory(stage=stage, entry=entry)


@pytest.mark.parametrize("n", [1, 30])
def test_leaderboard_query_count_does_not_grow_with_entries(
    n, judge, other_judge, django_assert_max_num_queries
):
    stage, criteria = make_stage()
    _many_entries(stage, criteria, [judge, other_judge], n)
    stage = type(stage).objects.select_related("competition").get(pk=stage.pk)

    with django_assert_max_num_queries(6):
        board = stage_leaderboard(stage)

    assert len(board.rows) == n


@pytest.mark.parametrize("n", [1, 30])
def test_final_ranking_query_count_does_not_grow_with_entries(
    n, judge, other_judge, django_assert_max_num_queries
):
    stage, criteria = make_stage()
    _many_entries(stage, criteria, [judge, other_judge], n)

    with django_assert_max_num_queries(7):
        ranking = final_ranking(stage.competition)

    assert len(ranking.rows) == n


def test_score_matrix_lists_every_submitted_score(judge, other_judge):
    stage, criteria = make_stage()
    entry = make_entry(stage.competition, reference="KIPP-001")
    score(stage, criteria, entry, judge, [80, 70])
    score(stage, criteria, entry, other_judge, [60, 65])

    matrix = stage_score_matrix(stage_leaderboard(stage, sheet_scores=True))

    assert [r.judge.name for r in matrix.rows] == ["Dr. Juri Lain", "Dr. Juri Penilai"]
    assert matrix.rows[1].cells[criteria[0].pk].value == Decimal("80")
    assert matrix.rows[1].total == pytest.approx(76)


def test_final_ranking_combines_stage_weights(judge, other_judge):
    competition = f.CompetitionFactory()
    desk, desk_criteria = make_stage(competition, weights=(100,), final_weight=Decimal("70"))
    pres, pres_criteria = make_stage(
        competition, weights=(100,), final_weight=Decimal("30"), kind="presentation"
    )
    a = make_entry(competition, reference="KIPP-A", status=EntryStatus.FINALIST)
    b = make_entry(competition, reference="KIPP-B", status=EntryStatus.FINALIST)
    c = make_entry(competition, reference="KIPP-C")
    score(desk, desk_criteria, a, judge, [80])
    score(desk, desk_criteria, b, judge, [90])
    score(desk, desk_criteria, c, judge, [99])
    score(pres, pres_criteria, a, other_judge, [90])
    score(pres, pres_criteria, b, other_judge, [70])

    ranking = final_ranking(competition)

    # A: 56 + 27 = 83; B: 63 + 21 = 84; C has no presentation score.
    assert [(r.entry.reference, r.final_score) for r in ranking.rows] == [
        ("KIPP-B", pytest.approx(84)),
        ("KIPP-A", pytest.approx(83)),
    ]
    assert [e.reference for e in ranking.unranked] == ["KIPP-C"]
    assert [p.contribution for p in ranking.rows[1].parts] == pytest.approx([56, 27])


def test_final_ranking_refuses_weights_not_summing_to_100(judge):
    stage, criteria = make_stage(final_weight=Decimal("70"))
    score(stage, criteria, make_entry(stage.competition, reference="KIPP-1"), judge, [80, 80])

    ranking = final_ranking(stage.competition)

    assert "harus tepat 100" in ranking.problem
    assert ranking.rows == []


def test_final_ranking_breaks_tie_on_top_criterion_and_says_so(judge):
    stage, criteria = make_stage(weights=(60, 40))
    a = make_entry(stage.competition, reference="KIPP-A")
    b = make_entry(stage.competition, reference="KIPP-B")
    score(stage, criteria, a, judge, [70, 85])  # 42 + 34 = 76
    score(stage, criteria, b, judge, [80, 70])  # 48 + 28 = 76

    ranking = final_ranking(stage.competition)

    assert [r.entry.reference for r in ranking.rows] == ["KIPP-B", "KIPP-A"]
    assert ranking.rows[0].broken_by == "top_criterion"
    assert "kriteria berbobot terbesar" in ranking.rows[0].broken_by_label


def test_final_ranking_chair_decides_a_full_tie(judge):
    stage, criteria = make_stage(weights=(60, 40))
    a = make_entry(stage.competition, reference="KIPP-A")
    b = make_entry(stage.competition, reference="KIPP-B")
    score(stage, criteria, a, judge, [80, 70])
    score(stage, criteria, b, judge, [80, 70])

    tied = final_ranking(stage.competition)
    decided = final_ranking(stage.competition, chair_order=[b.pk, a.pk])

    assert tied.has_unresolved_ties
    assert [r.rank for r in tied.rows] == [1, 1]
    assert [r.entry.reference for r in decided.rows] == ["KIPP-B", "KIPP-A"]
    assert decided.rows[0].broken_by == "chair_decision"
