"""The arithmetic of results against hand-computed values and independent computations."""

import itertools
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from competition import stats
from competition.ranking import (
    RankInput,
    WeightsError,
    combine_stages,
    first_places,
    leave_one_judge_out,
    level_on_score,
    rank_with_ladder,
    top_n,
)

CRITERIA = [
    stats.CriterionSpec("kebaruan", 100, 40),
    stats.CriterionSpec("efektif", 100, 35),
    stats.CriterionSpec("berkelanjutan", 5, 25),
]


def test_sheet_total_is_score_over_max_times_weight():
    # 80/100x40 + 70/100x35 + 4/5x25 = 32 + 24.5 + 20
    total = stats.sheet_total({"kebaruan": 80, "efektif": 70, "berkelanjutan": 4}, CRITERIA)

    assert total == pytest.approx(76.5)


def test_sheet_total_of_full_marks_is_100():
    total = stats.sheet_total({"kebaruan": 100, "efektif": 100, "berkelanjutan": 5}, CRITERIA)

    assert total == pytest.approx(100)


def test_sheet_total_missing_criterion_is_none():
    assert stats.sheet_total({"kebaruan": 80, "efektif": 70}, CRITERIA) is None


def test_weights_sum_to_100_refuses_95():
    assert stats.weights_sum_to_100([40, 35, 25])
    assert not stats.weights_sum_to_100([40, 35, 20])


def test_summarise_entry_mean_sample_sd_and_range():
    summary = stats.summarise_entry([70, 80, 90], n_assigned=3)

    assert summary.complete
    assert summary.score == pytest.approx(80)
    # deviations -10, 0, 10: (100 + 0 + 100) / (3 - 1) = 100, sd 10
    assert summary.sd == pytest.approx(10)
    assert summary.range == pytest.approx(20)
    assert summary.sd == pytest.approx(np.std([70, 80, 90], ddof=1))


def test_summarise_entry_with_a_missing_sheet_is_incomplete_not_low():
    summary = stats.summarise_entry([70, 80], n_assigned=3)

    assert not summary.complete
    assert summary.score is None
    assert summary.n_sheets == 2
    assert summary.range == pytest.approx(10)


def test_summarise_entry_with_no_sheet_is_incomplete():
    summary = stats.summarise_entry([], n_assigned=2)

    assert summary.score is None
    assert summary.sd is None
    assert summary.range is None


def test_summarise_entry_single_sheet_has_no_sd():
    summary = stats.summarise_entry([64.25], n_assigned=1)

    assert summary.score == pytest.approx(64.25)
    assert summary.sd is None
    assert summary.range == 0


def _cells():
    # 3 judges x 5 entries, judge "c" missing entry "e5".
    rows = {
        "a": {"e1": 80, "e2": 70, "e3": 60, "e4": 75, "e5": 65},
        "b": {"e1": 90, "e2": 85, "e3": 70, "e4": 80, "e5": 72},
        "c": {"e1": 60, "e2": 62, "e3": 40, "e4": 55},
    }
    return {(e, j): v for j, es in rows.items() for e, v in es.items()}


def test_judge_z_scores_match_numpy_zscores():
    cells = _cells()

    z = stats.judge_z_scores(cells)

    for judge in "abc":
        keys = [k for k in cells if k[1] == judge]
        own = np.array([cells[k] for k in keys], dtype=float)
        expected = (own - own.mean()) / own.std(ddof=1)
        for key, zi in zip(keys, expected, strict=True):
            assert z[key] == pytest.approx(zi)


def test_normalised_scores_hidden_when_a_judge_scored_too_few():
    cells = _cells()

    shown = stats.normalised_scores(cells, ["e1", "e5"], min_entries=5)

    # Judge c scored only 4 entries, so e1 (scored by c) has no normalised score;
    # e5 was scored by a and b (5 each).
    assert shown["e1"] is None
    assert shown["e5"] is not None


def test_normalised_scores_rescale_mean_z_to_the_raw_scores_mean_and_sd():
    cells = _cells()
    entries = ["e1", "e2", "e3", "e4", "e5"]
    z = stats.judge_z_scores(cells)
    zbar = np.array([np.mean([z[k] for k in cells if k[0] == e]) for e in entries], dtype=float)
    raw = np.array(
        [np.mean([v for k, v in cells.items() if k[0] == e]) for e in entries], dtype=float
    )

    shown = stats.normalised_scores(cells, entries, min_entries=4)

    expected = raw.mean() + (zbar - zbar.mean()) / zbar.std(ddof=1) * raw.std(ddof=1)
    assert [shown[e] for e in entries] == pytest.approx(list(expected))
    assert np.mean([shown[e] for e in entries]) == pytest.approx(raw.mean())
    assert np.std([shown[e] for e in entries], ddof=1) == pytest.approx(raw.std(ddof=1))


def test_normalised_scores_equal_raw_scores_when_judges_agree_exactly():
    totals = {"e1": 83.715, "e2": 70.0, "e3": 91.25, "e4": 64.5}
    cells = {(e, j): v for e, v in totals.items() for j in "abc"}

    shown = stats.normalised_scores(cells, list(totals), min_entries=3)

    assert shown == pytest.approx(totals)


def test_normalised_scores_of_a_single_entry_is_its_raw_score():
    cells = {("e1", "a"): 80.0, ("e1", "b"): 70.0, ("e2", "a"): 60.0, ("e2", "b"): 50.0}

    shown = stats.normalised_scores(cells, ["e1"], min_entries=2)

    assert shown == {"e1": pytest.approx(75.0)}


def test_judge_figures_leniency_on_shared_entries():
    cells = {("e1", "a"): 80, ("e1", "b"): 70, ("e2", "a"): 60, ("e2", "b"): 50, ("e3", "a"): 90}

    figures = stats.judge_figures(cells)

    # e3 is not shared; on e1 and e2 judge a is 10 above judge b.
    assert figures["a"].leniency == pytest.approx(10)
    assert figures["a"].n_shared == 2
    assert figures["a"].mean == pytest.approx(230 / 3)
    assert figures["b"].leniency == pytest.approx(-10)


def test_judge_figures_alone_has_no_leniency():
    figures = stats.judge_figures({("e1", "a"): 80})

    assert figures["a"].leniency is None
    assert figures["a"].sd is None


# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C:
# four observers, twelve units, missing values; interval alpha = 0.849.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


def _units(matrix):
    return [[row[u] for row in matrix if row[u] is not None] for u in range(len(matrix[0]))]


def _alpha_from_coincidences(units):
    """The textbook computation: a coincidence matrix and squared differences."""
    values = sorted({v for u in units for v in u})
    index = {v: i for i, v in enumerate(values)}
    o = np.zeros((len(values), len(values)))
    for unit in units:
        m = len(unit)
        if m < 2:
            continue
        for i, j in itertools.permutations(range(m), 2):
            o[index[unit[i]], index[unit[j]]] += 1 / (m - 1)
    n_c = o.sum(axis=1)
    n = n_c.sum()
    v = np.array(values, dtype=float)
    delta = (v[:, None] - v[None, :]) ** 2
    return 1 - (n - 1) * (o * delta).sum() / (np.outer(n_c, n_c) * delta).sum()


def test_krippendorff_alpha_matches_the_2011_paper():
    alpha = stats.krippendorff_alpha_interval(_units(KRIPPENDORFF_2011))

    assert alpha == pytest.approx(0.849, abs=0.0005)


def test_krippendorff_alpha_matches_coincidence_matrix_on_random_data():
    rng = np.random.default_rng(7)
    matrix = rng.integers(40, 95, size=(5, 20)).astype(float)
    matrix[rng.random(matrix.shape) < 0.3] = np.nan
    units = [[x for x in matrix[:, u] if not np.isnan(x)] for u in range(matrix.shape[1])]

    alpha = stats.krippendorff_alpha_interval(units)

    assert alpha == pytest.approx(_alpha_from_coincidences(units))


def test_krippendorff_alpha_perfect_agreement_is_one():
    assert stats.krippendorff_alpha_interval([[70, 70], [80, 80, 80], [60, 60]]) == 1


def test_krippendorff_alpha_undefined_without_pairs_or_variation():
    assert stats.krippendorff_alpha_interval([[70], [80]]) is None
    assert stats.krippendorff_alpha_interval([[70, 70], [70, 70]]) is None


@pytest.mark.parametrize(
    ("alpha", "reading"),
    [
        (0.9, "high"),
        (0.8, "high"),
        (0.7, "fair"),
        (0.667, "fair"),
        (0.5, "low"),
        (None, "undefined"),
    ],
)
def test_agreement_reading_thresholds(alpha, reading):
    assert stats.agreement_reading(alpha) == reading


def test_agreement_counts_pairable_units():
    figure = stats.agreement({("e1", "a"): 1, ("e1", "b"): 2, ("e2", "a"): 3})

    assert figure.n_units == 1
    assert figure.n_values == 2


def test_leave_one_judge_out_reports_a_judge_who_decides_the_podium():
    cells = {
        ("e1", "a"): 90, ("e1", "b"): 60,
        ("e2", "a"): 70, ("e2", "b"): 76,
        ("e3", "a"): 72, ("e3", "b"): 70,
        ("e4", "a"): 50, ("e4", "b"): 90,
    }  # fmt: skip
    # Means: e1 75, e2 73, e3 71, e4 70.
    full, checks = leave_one_judge_out(cells, ["e1", "e2", "e3", "e4"])

    assert full == ["e1", "e2", "e3"]
    # Without a: b's totals alone: e4 90, e2 76, e3 70.
    assert checks["a"].top == ["e4", "e2", "e3"]
    assert checks["a"].changed
    assert checks["a"].dropped == ["e1"]
    assert checks["a"].entered == ["e4"]
    # Without b: a's totals alone: e1 90, e3 72, e2 70: same three, new order.
    assert not checks["b"].changed
    assert checks["b"].order_changed


def test_leave_one_judge_out_ignores_incomplete_entries():
    cells = {("e1", "a"): 90, ("e2", "a"): 80, ("e3", "a"): 70, ("e4", "a"): 99}

    full, _ = leave_one_judge_out(cells, ["e1", "e2", "e3"])

    assert full == ["e1", "e2", "e3"]


def _leave_one_judge_out_by_resorting(cells, complete_entries, n):
    """The definition, computed the slow way: every entry rescored and re-sorted per judge."""
    complete = set(complete_entries)
    per_entry = {}
    for (entry, judge), value in cells.items():
        per_entry.setdefault(entry, {})[judge] = value
    full = top_n(
        {e: stats.mean(list(per_entry[e].values())) for e in complete if e in per_entry}, n
    )
    tops = {}
    judges = {j for (_, j) in cells}
    for judge in judges if len(judges) > 1 else ():
        scores = {
            e: stats.mean([v for j, v in per_entry.get(e, {}).items() if j != judge])
            for e in complete
        }
        tops[judge] = top_n(scores, n)
    return full, tops


@given(
    cells=st.dictionaries(
        st.tuples(st.integers(0, 30), st.integers(0, 6)),
        # Near 80: level as shown, one step apart, and either side of the two steps
        # within which the ranking compares totals as shown.
        st.sampled_from(
            [
                50.0,
                60.0,
                70.0,
                72.5,
                79.998,
                79.9985,
                79.9995,
                80.0,
                80.0004,
                80.0015,
                90.0,
                1e2 / 3,
            ]
        ),
        max_size=120,
    ),
    complete=st.sets(st.integers(0, 32)),
    n=st.integers(1, 5),
)
def test_leave_one_judge_out_equals_resorting_every_entry(cells, complete, n):
    full, checks = leave_one_judge_out(cells, complete, n)

    expected_full, expected_tops = _leave_one_judge_out_by_resorting(cells, complete, n)
    assert full == expected_full
    assert {j: c.top for j, c in checks.items()} == expected_tops
    for check in checks.values():
        assert check.changed == (set(check.top) != set(full))
        assert check.dropped == [e for e in full if e not in check.top]


# Near 80: level as shown, one step apart, either side of the two steps within which
# scores are compared as shown, and equal as floats.
NEAR_LEVEL = st.sampled_from(
    [60.0, 79.997, 79.998, 79.9985, 79.9995, 80.0, 80.0004, 80.0005, 80.0015, 80.0025, 1e2 / 3]
)


@given(
    scores=st.dictionaries(st.integers(0, 40), NEAR_LEVEL, min_size=1, max_size=40),
    order=st.permutations(range(41)),
)
def test_rank_with_ladder_orders_as_sorting_every_score_as_shown(scores, order):
    """Only neighbours within two display steps are rounded; the order and the shared
    ranks are those of rounding every score and sorting."""
    ranked = rank_with_ladder([RankInput(k, v) for k, v in scores.items()], [], order=order)

    place = {k: i for i, k in enumerate(order)}
    expected = sorted(scores, key=lambda k: (-stats.score_shown(scores[k]), place[k]))
    assert [r.key for r in ranked] == expected
    first_with = {}
    for position, k in enumerate(expected, start=1):
        first_with.setdefault(stats.score_shown(scores[k]), position)
    assert [r.rank for r in ranked] == [first_with[stats.score_shown(scores[k])] for k in expected]


@given(st.dictionaries(st.integers(0, 40), NEAR_LEVEL, max_size=40))
def test_level_on_score_names_every_key_whose_shown_score_repeats(scores):
    shown = [stats.score_shown(v) for v in scores.values()]

    level = level_on_score(scores)

    assert sorted(level) == sorted(
        k for k, v in scores.items() if shown.count(stats.score_shown(v)) > 1
    )


@given(
    cells=st.dictionaries(
        st.tuples(st.integers(0, 12), st.integers(0, 4)),
        st.floats(min_value=0, max_value=100, allow_nan=False),
        min_size=1,
        max_size=40,
    )
)
def test_grouped_cells_give_every_figure_of_plain_cells(cells):
    """Grouped once and shared, the groupings give the same figures, float for float."""
    grouped = stats.GroupedCells(cells)
    complete = sorted({e for e, _j in cells})

    assert stats.normalised_scores(grouped, complete, 2) == stats.normalised_scores(
        cells, complete, 2
    )
    assert stats.judge_figures(grouped) == stats.judge_figures(cells)
    assert stats.agreement(grouped) == stats.agreement(cells)
    assert leave_one_judge_out(grouped, complete) == leave_one_judge_out(cells, complete)
    assert first_places(grouped) == first_places(cells)


def test_first_places_counts_each_judges_best():
    cells = {("e1", "a"): 90, ("e2", "a"): 80, ("e1", "b"): 70, ("e2", "b"): 70, ("e2", "c"): 88}

    assert first_places(cells) == {"e1": 2, "e2": 2}


@given(
    cells=st.dictionaries(
        st.tuples(st.integers(0, 20), st.integers(0, 4)),
        st.sampled_from([70.0, 79.998, 79.9985, 79.9995, 80.0, 80.0004, 80.0005, 80.0015]),
        min_size=1,
        max_size=60,
    )
)
def test_first_places_compares_every_total_as_shown(cells):
    expected = {}
    for judge in {j for (_, j) in cells}:
        shown = {e: stats.score_shown(v) for (e, j), v in cells.items() if j == judge}
        for entry, value in shown.items():
            if value == max(shown.values()):
                expected[entry] = expected.get(entry, 0) + 1

    assert first_places(cells) == expected


def test_combine_stages_weights_and_parts():
    combined = combine_stages(
        {"desk": {"e1": 80, "e2": 90, "e3": 60}, "pres": {"e1": 90, "e2": 70}},
        {"desk": 70, "pres": 30},
    )

    # e1: 80 x 0.7 + 90 x 0.3 = 56 + 27 = 83; e2: 63 + 21 = 84; e3 has no presentation.
    assert combined["e1"][0] == pytest.approx(83)
    assert combined["e2"][0] == pytest.approx(84)
    assert "e3" not in combined
    assert [p.contribution for p in combined["e1"][1]] == pytest.approx([56, 27])


def test_combine_stages_refuses_weights_not_summing_to_100():
    with pytest.raises(WeightsError):
        combine_stages({"desk": {"e1": 80}}, {"desk": 70})


def test_rank_with_ladder_plain_order():
    ranked = rank_with_ladder(
        [RankInput("a", 70), RankInput("b", 90), RankInput("c", 80)],
        stats.RUNGS,
    )

    assert [(r.key, r.rank, r.broken_by) for r in ranked] == [
        ("b", 1, None),
        ("c", 2, None),
        ("a", 3, None),
    ]


def test_rank_with_ladder_top_criterion_breaks_tie():
    ranked = rank_with_ladder(
        [RankInput("a", 80, top_criterion=70), RankInput("b", 80, top_criterion=75)],
        stats.RUNGS,
    )

    assert [r.key for r in ranked] == ["b", "a"]
    assert all(r.broken_by == "top_criterion" for r in ranked)
    assert ranked[0].tie_group == ["a", "b"]


def test_rank_with_ladder_falls_to_first_places_then_chair():
    items = [
        RankInput("a", 80, top_criterion=70, first_places=1),
        RankInput("b", 80, top_criterion=70, first_places=2),
        RankInput("c", 80, top_criterion=70, first_places=1),
        RankInput("d", 95),
    ]

    ranked = rank_with_ladder(items, stats.RUNGS, chair_order=["c", "a"])

    assert [(r.key, r.rank, r.broken_by) for r in ranked] == [
        ("d", 1, None),
        ("b", 2, "first_places"),
        ("c", 3, "chair_decision"),
        ("a", 4, "chair_decision"),
    ]


def test_rank_with_ladder_unresolved_tie_shares_rank_never_random():
    items = [RankInput("a", 80), RankInput("b", 80), RankInput("c", 70)]

    ranked = rank_with_ladder(items, stats.RUNGS)

    assert [(r.key, r.rank, r.tied) for r in ranked] == [
        ("a", 1, True),
        ("b", 1, True),
        ("c", 3, False),
    ]


def test_rank_with_ladder_follows_the_competitions_order_of_rungs():
    items = [
        RankInput("a", 80, top_criterion=90, first_places=0),
        RankInput("b", 80, top_criterion=60, first_places=3),
    ]

    ranked = rank_with_ladder(items, ["first_places", "top_criterion"])

    assert [r.key for r in ranked] == ["b", "a"]
    assert ranked[0].broken_by == "first_places"


def test_rank_with_ladder_ties_at_display_precision():
    ranked = rank_with_ladder([RankInput("a", 80.00001), RankInput("b", 80.0)], [])

    assert all(r.tied and r.rank == 1 for r in ranked)


def test_stats_module_imports_no_django():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(stats))
    modules = [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    ] + [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]

    assert not [m for m in modules if m and m.startswith("django")]


score_values = st.floats(min_value=0, max_value=100, allow_nan=False)


@given(st.lists(score_values, min_size=3, max_size=3))
def test_sheet_total_stays_within_0_and_100(values):
    specs = [stats.CriterionSpec(i, 100, w) for i, w in enumerate([50, 30, 20])]

    total = stats.sheet_total(dict(enumerate(values)), specs)

    assert -1e-9 <= total <= 100 + 1e-9


@given(
    st.lists(
        st.tuples(score_values, st.floats(min_value=0, max_value=100), st.integers(0, 3)),
        min_size=1,
        max_size=12,
    ),
    st.permutations(list(stats.RUNGS)),
)
def test_rank_with_ladder_ranks_everyone_once_best_first(rows, ladder):
    items = [
        RankInput(f"e{i}", round(s, 1), top_criterion=t, first_places=p)
        for i, (s, t, p) in enumerate(rows)
    ]

    ranked = rank_with_ladder(items, ladder, chair_order=[f"e{i}" for i in range(3)])

    assert sorted(r.key for r in ranked) == sorted(it.key for it in items)
    scores = [round(r.score, stats.SCORE_PLACES) for r in ranked]
    assert scores == sorted(scores, reverse=True)
    assert [r.rank for r in ranked] == sorted(r.rank for r in ranked)
    assert all(r.rank <= position for position, r in enumerate(ranked, start=1))


@given(
    st.lists(
        st.lists(st.integers(min_value=0, max_value=100), min_size=1, max_size=4),
        min_size=1,
        max_size=10,
    )
)
def test_krippendorff_alpha_never_exceeds_one_and_matches_coincidences(units):
    alpha = stats.krippendorff_alpha_interval(units)

    if alpha is not None:
        assert alpha <= 1 + 1e-9
        assert alpha == pytest.approx(_alpha_from_coincidences(units))


@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [
        (83.7155, 3, "83.716"),
        (80.0015, 3, "80.002"),  # round() gives 80.001: the float lies a hair below
        (83.715, 2, "83.72"),
        (0.3745, 3, "0.375"),
        (Decimal("70.0005"), 3, "70.001"),
        (-0.0005, 3, "-0.001"),
        ((83.711 + 83.720) / 2, 3, "83.716"),  # 83.71549999999999 as a float
        ("83.715500", 3, "83.716"),  # as a snapshot stores it
    ],
)
def test_half_up_rounds_the_shortest_representation_half_up(value, places, shown):
    assert stats.half_up(value, places) == Decimal(shown)
    assert str(stats.half_up(value, places)) == shown


def test_rank_with_ladder_ties_on_the_half_up_score_not_on_round():
    # round(80.0015, 3) == 80.001 but both print 80,002: the same score, the same rank.
    ranked = rank_with_ladder([RankInput("a", 80.0015), RankInput("b", 80.002)], [])

    assert [r.rank for r in ranked] == [1, 1]
    assert all(r.tied for r in ranked)


def test_rank_with_ladder_lists_an_unresolved_tie_in_the_given_order():
    items = [RankInput(10, 80.0), RankInput(9, 80.0)]

    ranked = rank_with_ladder(items, [], order=[9, 10])

    assert [r.key for r in ranked] == [9, 10]


def test_agreement_reading_is_taken_from_alpha_as_printed():
    # 0.6666 prints 0,667, the cut-off for "fair"; 0.79951 prints 0,800.
    assert stats.agreement_reading(0.6666) == "fair"
    assert stats.agreement_reading(0.79951) == "high"
    assert stats.agreement_reading(0.66649) == "low"


def test_agreement_says_why_alpha_is_undefined():
    flat = stats.agreement({("e1", "a"): 70, ("e1", "b"): 70, ("e2", "a"): 70, ("e2", "b"): 70})
    few = stats.agreement({("e1", "a"): 70, ("e2", "a"): 80})

    assert (flat.alpha, flat.undefined_reason) == (None, stats.UNDEFINED_FLAT)
    assert (few.alpha, few.undefined_reason) == (None, stats.UNDEFINED_FEW)
    assert stats.agreement({("e1", "a"): 70, ("e1", "b"): 80}).undefined_reason is None


def test_leave_one_judge_out_has_no_check_with_a_single_judge():
    cells = {("e1", "a"): 90, ("e2", "a"): 80, ("e3", "a"): 70}

    full, checks = leave_one_judge_out(cells, ["e1", "e2", "e3"])

    assert full == ["e1", "e2", "e3"]
    assert checks == {}


def test_leave_one_judge_out_breaks_ties_in_the_leaderboards_order_not_by_id():
    # e10 and e9 tie at 80; the leaderboard's ladder put e9 first. Keys as strings sort
    # "e10" before "e9", which is what the old check used.
    cells = {
        ("e1", "a"): 90, ("e1", "b"): 90,
        ("e10", "a"): 80, ("e10", "b"): 80,
        ("e9", "a"): 80, ("e9", "b"): 80,
        ("e2", "a"): 85, ("e2", "b"): 85,
    }  # fmt: skip
    entries = ["e1", "e10", "e9", "e2"]

    full, checks = leave_one_judge_out(cells, entries, order=["e1", "e2", "e9", "e10"])

    assert full == ["e1", "e2", "e9"]
    assert all(c.top == ["e1", "e2", "e9"] and not c.order_changed for c in checks.values())
