"""Invariants of the pure assignment planner, over random inputs (hypothesis)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_flow

from competition.assignment import SHORT_CAP, SHORT_CONFLICTS, plan_assignments


@st.composite
def instances(draw, with_conflicts=True, with_existing=True):
    n_entries = draw(st.integers(0, 12))
    n_judges = draw(st.integers(0, 8))
    entries = list(range(100, 100 + n_entries))
    judges = list(range(1, 1 + n_judges))
    pairs = [(e, j) for e in entries for j in judges]
    conflicts = set()
    existing = set()
    if pairs and with_conflicts:
        conflicts = set(draw(st.lists(st.sampled_from(pairs), max_size=len(pairs))))
    if pairs and with_existing:
        free = [p for p in pairs if p not in conflicts]
        if free:
            existing = set(draw(st.lists(st.sampled_from(free), max_size=6)))
    k = draw(st.integers(1, 4))
    cap = draw(st.one_of(st.none(), st.integers(1, 8)))
    seed = draw(st.integers(0, 1000))
    return {
        "entries": entries,
        "judges": judges,
        "k": k,
        "cap": cap,
        "existing": existing,
        "conflicts": conflicts,
        "seed": seed,
    }


def max_new_pairs(inst):
    """The largest number of new pairs the rules allow, by max-flow (independent oracle)."""
    entries, judges = inst["entries"], inst["judges"]
    k, cap = inst["k"], inst["cap"]
    existing = inst["existing"]
    n = 2 + len(entries) + len(judges)
    source, sink = 0, n - 1
    cap_matrix = np.zeros((n, n), dtype=np.int32)
    e_index = {e: 1 + i for i, e in enumerate(entries)}
    j_index = {j: 1 + len(entries) + i for i, j in enumerate(judges)}
    for e in entries:
        have = sum(1 for (e2, _j) in existing if e2 == e)
        cap_matrix[source, e_index[e]] = max(0, k - have)
        for j in judges:
            if (e, j) not in inst["conflicts"] and (e, j) not in existing:
                cap_matrix[e_index[e], j_index[j]] = 1
    for j in judges:
        load = sum(1 for (_e, j2) in existing if j2 == j)
        room = 10_000 if cap is None else max(0, cap - load)
        cap_matrix[j_index[j], sink] = room
    return maximum_flow(csr_matrix(cap_matrix), source, sink).flow_value


def check_rules(inst, plan):
    new = set(plan.pairs)
    assert not new & inst["conflicts"]
    assert not new & inst["existing"]
    per_entry = dict.fromkeys(inst["entries"], 0)
    per_judge = dict.fromkeys(inst["judges"], 0)
    for e, j in new | inst["existing"]:
        per_entry[e] += 1
        per_judge[j] += 1
    for e, n in per_entry.items():
        # never more than k, unless existing pairs already exceeded it
        have = sum(1 for (e2, _j) in inst["existing"] if e2 == e)
        assert n <= max(inst["k"], have)
    if inst["cap"] is not None:
        for j, n in per_judge.items():
            have = sum(1 for (_e, j2) in inst["existing"] if j2 == j)
            assert n <= max(inst["cap"], have)
    assert plan.loads == per_judge
    return per_entry, per_judge


@settings(max_examples=300, deadline=None)
@given(instances())
def test_plan_respects_rules_and_is_maximal(inst):
    plan = plan_assignments(**inst)

    per_entry, _ = check_rules(inst, plan)

    assert len(plan.pairs) == max_new_pairs(inst)
    short = {s.entry for s in plan.shortfalls}
    assert short == {e for e, n in per_entry.items() if n < inst["k"]}


@settings(max_examples=300, deadline=None)
@given(instances())
def test_plan_gives_every_entry_k_judges_when_feasible(inst):
    needed = sum(
        max(0, inst["k"] - sum(1 for (e2, _j) in inst["existing"] if e2 == e))
        for e in inst["entries"]
    )

    plan = plan_assignments(**inst)

    if max_new_pairs(inst) == needed:
        assert plan.shortfalls == []


@settings(max_examples=300, deadline=None)
@given(instances(with_conflicts=False, with_existing=False))
def test_plan_balances_loads_within_one_without_conflicts(inst):
    plan = plan_assignments(**inst)

    loads = list(plan.loads.values())
    binding = inst["cap"] is not None and any(n == inst["cap"] for n in loads)
    if loads and not binding:
        assert max(loads) - min(loads) <= 1


@settings(max_examples=300, deadline=None)
@given(instances())
def test_plan_leaves_no_allowed_move_from_heavy_to_light_judge(inst):
    plan = plan_assignments(**inst)

    new = set(plan.pairs)
    on_entry = {}
    for e, j in new | inst["existing"]:
        on_entry.setdefault(e, set()).add(j)
    for heavy in inst["judges"]:
        for light in inst["judges"]:
            if plan.loads[heavy] - plan.loads[light] < 2:
                continue
            if inst["cap"] is not None and plan.loads[light] >= inst["cap"]:
                continue
            for e, j in new:
                if j == heavy:
                    assert (e, light) in inst["conflicts"] or light in on_entry[e]


@settings(max_examples=100, deadline=None)
@given(instances())
def test_plan_is_deterministic_for_a_seed(inst):
    assert plan_assignments(**inst) == plan_assignments(**inst)


def test_plan_explains_shortfall_by_conflicts():
    plan = plan_assignments(
        entries=[1], judges=[10, 11, 12], k=3, cap=None, conflicts={(1, 10)}, seed=1
    )

    assert len(plan.pairs) == 2
    [short] = plan.shortfalls
    assert (short.entry, short.assigned, short.eligible_judges, short.reason) == (
        1,
        2,
        2,
        SHORT_CONFLICTS,
    )


def test_plan_explains_shortfall_by_cap():
    plan = plan_assignments(entries=[1, 2], judges=[10, 11], k=2, cap=1, seed=1)

    assert len(plan.pairs) == 2
    assert {s.reason for s in plan.shortfalls} == {SHORT_CAP}


def test_plan_keeps_existing_pairs_and_counts_their_load():
    plan = plan_assignments(
        entries=[1, 2], judges=[10, 11], k=1, cap=None, existing={(1, 10)}, seed=3
    )

    assert plan.pairs == [(2, 11)]
    assert plan.loads == {10: 1, 11: 1}
