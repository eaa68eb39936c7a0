"""The leaderboard and the final ranking, from submitted sheets in the database."""

from decimal import Decimal

import numpy as np
import pytest

from competition.models import EntryStatus
from competition.selectors.final_ranking import final_ranking
from competition.selectors.leaderboard import (
    leaderboard_criterion_means,
    stage_leaderboard,
    stage_scores,
)
from competition.selectors.score_matrix import stage_score_matrix
from competition.selectors.scoring import load_stage_data
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_leaderboard_scores_are_means_of_weighted_totals(judge, other_judge):
    stage = f.StageFactory(closed=True, rubric=(60, 40))
    criteria = list(stage.criteria.order_by("order"))
    entry = f.EntryFactory(
        competition=stage.competition,
        reference="KIPP-001",
        titled_by_reference=True,
        screened_in=True,
    )
    f.ScoreSheetFactory(
        stage=stage, entry=entry, judge=judge, submitted=True, assigned=True, scores=[80, 70]
    )  # 48 + 28 = 76
    f.ScoreSheetFactory(
        stage=stage, entry=entry, judge=other_judge, submitted=True, assigned=True, scores=[90, 50]
    )  # 54 + 20 = 74

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
    stage = f.StageFactory(closed=True, rubric=(60, 40))
    shown, other = f.scored_entries(stage, judge, {"KIPP-001": [80, 70], "KIPP-002": [50, 50]})

    board = stage_leaderboard(stage, criterion_means=False)
    assert all(row.criterion_means == {} for row in board.rows)
    leaderboard_criterion_means(board, [board.row_for(shown.pk)])

    assert board.row_for(shown.pk).criterion_mean_list == [80, 70]
    assert board.row_for(other.pk).criterion_means == {}


def test_leaderboard_incomplete_entry_has_no_score_and_ranks_last(judge, other_judge):
    stage = f.StageFactory(closed=True, rubric=(60, 40))
    _done, waiting = f.scored_entries(stage, judge, {"KIPP-001": [10, 10], "KIPP-002": [100, 100]})
    f.AssignmentFactory(stage=stage, entry=waiting, judge=other_judge)
    # A draft is invisible: it does not complete the entry.
    f.ScoreSheetFactory(stage=stage, entry=waiting, judge=other_judge, scores=[100, 100])

    board = stage_leaderboard(stage)

    assert [r.entry.reference for r in board.rows] == ["KIPP-001", "KIPP-002"]
    last = board.rows[1]
    assert last.score is None and last.incomplete and last.rank is None
    assert (last.n_sheets, last.n_assigned) == (1, 2)


def test_leaderboard_flags_disagreement_above_threshold(judge, other_judge):
    stage = f.StageFactory(closed=True, rubric=(60, 40))
    stage.competition.disagreement_threshold = Decimal("10")
    stage.competition.save()
    entry = f.EntryFactory(
        competition=stage.competition,
        reference="KIPP-001",
        titled_by_reference=True,
        screened_in=True,
    )
    f.ScoreSheetFactory(
        stage=stage, entry=entry, judge=judge, submitted=True, assigned=True, scores=[90, 90]
    )
    f.ScoreSheetFactory(
        stage=stage, entry=entry, judge=other_judge, submitted=True, assigned=True, scores=[70, 70]
    )  # sd = 14.14

    board = stage_leaderboard(stage)

    assert board.rows[0].flagged
    assert board.flagged_without_note == [board.rows[0]]
    f.ModerationNoteFactory(stage=stage, entry=entry)
    assert stage_leaderboard(stage).flagged_without_note == []


def test_leaderboard_normalised_only_when_judges_scored_enough(judge, other_judge):
    stage = f.StageFactory(closed=True, rubric=(60, 40), min_entries_for_normalisation=3)
    entries = [
        f.EntryFactory(
            competition=stage.competition,
            reference=f"KIPP-00{i}",
            titled_by_reference=True,
            screened_in=True,
        )
        for i in range(3)
    ]
    for entry, (a, b) in zip(entries, [(80, 60), (70, 65), (60, 50)], strict=True):
        f.ScoreSheetFactory(
            stage=stage, entry=entry, judge=judge, submitted=True, assigned=True, scores=[a, a]
        )
        f.ScoreSheetFactory(
            stage=stage,
            entry=entry,
            judge=other_judge,
            submitted=True,
            assigned=True,
            scores=[b, b],
        )

    board = stage_leaderboard(stage)

    assert all(r.normalised is not None for r in board.rows)
    stage.min_entries_for_normalisation = 4
    assert all(r.normalised is None for r in stage_leaderboard(stage).rows)


def test_leaderboard_judges_panel_agreement_and_stability(judge, other_judge):
    stage = f.StageFactory(closed=True, rubric=(60, 40))
    for i, (a, b) in enumerate([(90, 88), (80, 79), (70, 72), (60, 61)]):
        entry = f.EntryFactory(
            competition=stage.competition,
            reference=f"KIPP-00{i}",
            titled_by_reference=True,
            screened_in=True,
        )
        f.ScoreSheetFactory(
            stage=stage, entry=entry, judge=judge, submitted=True, assigned=True, scores=[a, a]
        )
        f.ScoreSheetFactory(
            stage=stage,
            entry=entry,
            judge=other_judge,
            submitted=True,
            assigned=True,
            scores=[b, b],
        )

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
    stage = f.StageFactory(closed=True, rubric=(60, 30))
    f.ScoreSheetFactory(
        stage=stage,
        entry=f.EntryFactory(
            competition=stage.competition,
            reference="KIPP-001",
            titled_by_reference=True,
            screened_in=True,
        ),
        judge=judge,
        submitted=True,
        assigned=True,
        scores=[50, 50],
    )

    board = stage_leaderboard(stage)

    assert not board.weights_ok
    assert board.weight_total == Decimal("90")


def _many_entries(stage, criteria, judges, n):
    for i in range(n):
        entry = f.EntryFactory(
            competition=stage.competition,
            reference=f"KIPP-{i:03d}",
            titled_by_reference=True,
            screened_in=True,
        )
        for j, judge in enumerate(judges):
            f.ScoreSheetFactory(
                stage=stage,
                entry=entry,
                judge=judge,
                submitted=True,
                assigned=True,
                scores=[50 + i % 40, 40 + j],
            )
        f.ModerationNoteFactory(stage=stage, entry=entry)


@pytest.mark.parametrize("n", [1, 30])
def test_leaderboard_query_count_does_not_grow_with_entries(
    n, judge, other_judge, django_assert_num_queries
):
    stage = f.StageFactory(closed=True, rubric=(60, 40))
    criteria = list(stage.criteria.order_by("order"))
    _many_entries(stage, criteria, [judge, other_judge], n)
    stage = type(stage).objects.select_related("competition").get(pk=stage.pk)

    with django_assert_num_queries(6):
        board = stage_leaderboard(stage)

    assert sorted(row.entry.reference for row in board.rows) == [f"KIPP-{i:03d}" for i in range(n)]


@pytest.mark.parametrize("n", [1, 30])
def test_final_ranking_query_count_does_not_grow_with_entries(
    n, judge, other_judge, django_assert_num_queries
):
    stage = f.StageFactory(closed=True, rubric=(60, 40))
    criteria = list(stage.criteria.order_by("order"))
    _many_entries(stage, criteria, [judge, other_judge], n)

    with django_assert_num_queries(7):
        ranking = final_ranking(stage.competition)

    assert sorted(row.entry.reference for row in ranking.rows) == [
        f"KIPP-{i:03d}" for i in range(n)
    ]


def test_score_matrix_lists_every_submitted_score(judge, other_judge):
    stage = f.StageFactory(closed=True, rubric=(60, 40))
    entry = f.EntryFactory(
        competition=stage.competition,
        reference="KIPP-001",
        titled_by_reference=True,
        screened_in=True,
    )
    f.ScoreSheetFactory(
        stage=stage, entry=entry, judge=judge, submitted=True, assigned=True, scores=[80, 70]
    )
    f.ScoreSheetFactory(
        stage=stage, entry=entry, judge=other_judge, submitted=True, assigned=True, scores=[60, 65]
    )

    matrix = stage_score_matrix(stage_leaderboard(stage, sheet_scores=True))

    assert [r.judge.name for r in matrix.rows] == ["Dr. Juri Lain", "Dr. Juri Penilai"]
    assert matrix.rows[1].values == [Decimal("80"), Decimal("70")]
    assert matrix.rows[1].total == pytest.approx(76)


def test_final_ranking_combines_stage_weights(judge, other_judge):
    competition = f.CompetitionFactory()
    desk = f.StageFactory(
        competition=competition, closed=True, rubric=(100,), final_weight=Decimal("70")
    )
    pres = f.StageFactory(
        competition=competition,
        closed=True,
        rubric=(100,),
        final_weight=Decimal("30"),
        kind="presentation",
    )
    a = f.EntryFactory(
        competition=competition,
        reference="KIPP-A",
        titled_by_reference=True,
        status=EntryStatus.FINALIST,
    )
    b = f.EntryFactory(
        competition=competition,
        reference="KIPP-B",
        titled_by_reference=True,
        status=EntryStatus.FINALIST,
    )
    c = f.EntryFactory(
        competition=competition,
        reference="KIPP-C",
        titled_by_reference=True,
        screened_in=True,
    )
    f.ScoreSheetFactory(
        stage=desk, entry=a, judge=judge, submitted=True, assigned=True, scores=[80]
    )
    f.ScoreSheetFactory(
        stage=desk, entry=b, judge=judge, submitted=True, assigned=True, scores=[90]
    )
    f.ScoreSheetFactory(
        stage=desk, entry=c, judge=judge, submitted=True, assigned=True, scores=[99]
    )
    f.ScoreSheetFactory(
        stage=pres, entry=a, judge=other_judge, submitted=True, assigned=True, scores=[90]
    )
    f.ScoreSheetFactory(
        stage=pres, entry=b, judge=other_judge, submitted=True, assigned=True, scores=[70]
    )

    ranking = final_ranking(competition)

    # A: 56 + 27 = 83; B: 63 + 21 = 84; C has no presentation score.
    assert [(r.entry.reference, r.final_score) for r in ranking.rows] == [
        ("KIPP-B", pytest.approx(84)),
        ("KIPP-A", pytest.approx(83)),
    ]
    assert [e.reference for e in ranking.unranked] == ["KIPP-C"]
    assert [p.contribution for p in ranking.rows[1].parts] == pytest.approx([56, 27])


def test_final_ranking_refuses_weights_not_summing_to_100(judge):
    stage = f.StageFactory(closed=True, rubric=(60, 40), final_weight=Decimal("70"))
    f.ScoreSheetFactory(
        stage=stage,
        entry=f.EntryFactory(
            competition=stage.competition,
            reference="KIPP-1",
            titled_by_reference=True,
            screened_in=True,
        ),
        judge=judge,
        submitted=True,
        assigned=True,
        scores=[80, 80],
    )

    ranking = final_ranking(stage.competition)

    assert "harus tepat 100" in ranking.problem
    assert ranking.rows == []


def _scored(stage, ref, judges, values):
    entry = f.EntryFactory(
        competition=stage.competition,
        reference=ref,
        titled_by_reference=True,
        screened_in=True,
    )
    for judge in judges:
        f.ScoreSheetFactory(
            stage=stage, entry=entry, judge=judge, submitted=True, assigned=True, scores=values
        )
    return entry


def test_leaderboard_reads_the_top_criterion_only_for_entries_level_on_score(
    judge, django_assert_num_queries
):
    stage = f.StageFactory(closed=True, rubric=(60, 40))
    for ref, values in [("KIPP-A", [70, 85]), ("KIPP-B", [80, 70]), ("KIPP-C", [90, 90])]:
        _scored(stage, ref, [judge], values)
    stage = type(stage).objects.select_related("competition").get(pk=stage.pk)

    # Criteria, sheets, assignments, notes, entries; then the top criterion's means of
    # A and B, level on 76.
    with django_assert_num_queries(6):
        board = stage_leaderboard(stage, criterion_means=False)

    assert [(r.entry.reference, r.rank) for r in board.rows] == [
        ("KIPP-C", 1),
        ("KIPP-B", 2),
        ("KIPP-A", 3),
    ]
    assert "kriteria berbobot terbesar" in board.rows[1].broken_by_label
    assert board.rows[0].broken_by_label == ""


def test_leaderboard_without_a_tie_reads_no_criterion_mean(judge, django_assert_num_queries):
    stage = f.StageFactory(closed=True, rubric=(60, 40))
    for ref, values in [("KIPP-A", [70, 85]), ("KIPP-B", [80, 80])]:
        _scored(stage, ref, [judge], values)
    stage = type(stage).objects.select_related("competition").get(pk=stage.pk)

    with django_assert_num_queries(5):
        board = stage_leaderboard(stage, criterion_means=False)

    assert [r.entry.reference for r in board.rows] == ["KIPP-B", "KIPP-A"]


def test_final_ranking_breaks_tie_on_top_criterion_and_says_so(judge):
    stage = f.StageFactory(closed=True, rubric=(60, 40))
    a = f.EntryFactory(
        competition=stage.competition,
        reference="KIPP-A",
        titled_by_reference=True,
        screened_in=True,
    )
    b = f.EntryFactory(
        competition=stage.competition,
        reference="KIPP-B",
        titled_by_reference=True,
        screened_in=True,
    )
    f.ScoreSheetFactory(
        stage=stage, entry=a, judge=judge, submitted=True, assigned=True, scores=[70, 85]
    )  # 42 + 34 = 76
    f.ScoreSheetFactory(
        stage=stage, entry=b, judge=judge, submitted=True, assigned=True, scores=[80, 70]
    )  # 48 + 28 = 76

    ranking = final_ranking(stage.competition)

    assert [r.entry.reference for r in ranking.rows] == ["KIPP-B", "KIPP-A"]
    assert ranking.rows[0].broken_by == "top_criterion"
    assert "kriteria berbobot terbesar" in ranking.rows[0].broken_by_label


def test_final_ranking_without_stage_figures_ranks_the_same(judge, other_judge):
    """The page's ranking skips the boards' panels and criterion means, never a rung."""
    stage = f.StageFactory(closed=True, rubric=(60, 40))
    for ref, values in [("KIPP-A", [70, 85]), ("KIPP-B", [80, 70]), ("KIPP-C", [90, 60])]:
        _scored(stage, ref, [judge, other_judge], values)

    full = final_ranking(stage.competition)
    page = final_ranking(stage.competition, stage_figures=False)

    def ranked(ranking):
        return [(r.entry.reference, r.rank, r.final_score, r.broken_by) for r in ranking.rows]

    assert ranked(page) == ranked(full)
    assert ranked(page)[1][0] == "KIPP-B" and ranked(page)[1][3] == "top_criterion"
    # The top criterion's means are read for the entries level on score only (B and A).
    assert [r.top_criterion for r in page.rows] == [None, 80.0, 70.0]
    assert [r.top_criterion for r in full.rows] == [90.0, 80.0, 70.0]
    board = page.leaderboards[stage.pk]
    assert (board.judges, board.agreement, board.stability) == ([], None, [])
    assert full.leaderboards[stage.pk].agreement is not None


def test_stage_scores_are_the_scores_of_the_boards_complete_rows(judge, other_judge):
    stage = f.StageFactory(closed=True, rubric=(60, 40))
    _scored(stage, "KIPP-A", [judge, other_judge], [70.3, 85.1])
    _scored(stage, "KIPP-B", [judge], [80, 70])
    incomplete = _scored(stage, "KIPP-C", [judge], [90, 90])
    f.AssignmentFactory(stage=stage, entry=incomplete, judge=other_judge)
    stage = type(stage).objects.select_related("competition").get(pk=stage.pk)
    data, _entries = load_stage_data([stage])

    scores = stage_scores(data[stage.pk])

    board = stage_leaderboard(stage)
    assert scores == {r.entry.id: r.score for r in board.rows if r.score is not None}
    assert incomplete.pk not in scores and len(scores) == 2


def test_final_ranking_page_reads_level_entries_top_means_in_one_query(
    judge, django_assert_num_queries
):
    """Level on the desk score (A, B) and on the final score (B, C): one query reads the
    top criterion's means for both stages, and the ranking is the one with every mean."""
    competition = f.CompetitionFactory()
    desk = f.StageFactory(
        competition=competition, closed=True, rubric=(60, 40), final_weight=Decimal("50")
    )
    pres = f.StageFactory(
        competition=competition,
        closed=True,
        rubric=(60, 40),
        final_weight=Decimal("50"),
        kind="presentation",
    )
    # Desk 76, 76, 78; presentation 80, 78, 76; final 78, 77, 77.
    for ref, desk_values, pres_values in [
        ("KIPP-A", [70, 85], [80, 80]),
        ("KIPP-B", [80, 70], [90, 60]),
        ("KIPP-C", [90, 60], [70, 85]),
    ]:
        entry = _scored(desk, ref, [judge], desk_values)
        f.ScoreSheetFactory(
            stage=pres, entry=entry, judge=judge, submitted=True, assigned=True, scores=pres_values
        )

    # Stages, criteria, sheets, assignments, notes, entries, the level entries' means.
    with django_assert_num_queries(7):
        page = final_ranking(competition, stage_figures=False)
    full = final_ranking(competition)

    def ranked(ranking):
        return [(r.entry.reference, r.rank, r.broken_by) for r in ranking.rows]

    assert ranked(page) == ranked(full)
    assert ranked(page) == [
        ("KIPP-A", 1, None),
        ("KIPP-C", 2, "top_criterion"),
        ("KIPP-B", 3, "top_criterion"),
    ]
    board = [(r.entry.reference, r.rank) for r in page.leaderboards[desk.pk].rows]
    assert board == [("KIPP-C", 1), ("KIPP-B", 2), ("KIPP-A", 3)]
    assert board == [(r.entry.reference, r.rank) for r in full.leaderboards[desk.pk].rows]


def test_final_ranking_chair_decides_a_full_tie(judge):
    stage = f.StageFactory(closed=True, rubric=(60, 40))
    a, b = f.scored_entries(stage, judge, {"KIPP-A": [80, 70], "KIPP-B": [80, 70]})

    tied = final_ranking(stage.competition)
    decided = final_ranking(stage.competition, chair_order=[b.pk, a.pk])

    assert tied.has_unresolved_ties
    assert [r.rank for r in tied.rows] == [1, 1]
    assert [r.entry.reference for r in decided.rows] == ["KIPP-B", "KIPP-A"]
    assert decided.rows[0].broken_by == "chair_decision"
