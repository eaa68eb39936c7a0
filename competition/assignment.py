"""Automatic judge assignment as a pure function over ids (no Django import).

Every entry should get ``k`` judges, no judge more than ``cap`` entries, no pair in
``conflicts`` and no existing pair repeated. Judges are chosen least-loaded first with a
seeded tie-break, the most constrained entries first; entries still short afterwards are
completed through augmenting paths (moving a new pair to another judge to free a place),
so that no entry stays short while a reshuffle could fill it. A last pass moves new pairs
from heavy to light judges while allowed, so that loads end up within one where the rules
permit.
The same inputs and seed always give the same plan.
"""

from __future__ import annotations

import random
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field

# Why an entry could not get k judges.
SHORT_CONFLICTS = "conflicts"  # fewer than k judges are free of conflicts with it
SHORT_CAP = "cap"  # enough judges without conflict, but they are all at their cap


@dataclass(frozen=True)
class Shortfall:
    entry: int
    assigned: int
    needed: int
    eligible_judges: int
    reason: str


@dataclass
class Plan:
    pairs: list[tuple[int, int]]  # new (entry, judge) pairs, sorted
    loads: dict[int, int]  # judge -> total load (existing + new)
    shortfalls: list[Shortfall] = field(default_factory=list)


def plan_assignments(
    *,
    entries: Iterable[int],
    judges: Iterable[int],
    k: int,
    cap: int | None,
    existing: Iterable[tuple[int, int]] = (),
    conflicts: Iterable[tuple[int, int]] = (),
    seed: int = 0,
) -> Plan:
    """Propose new (entry, judge) pairs; ``existing`` and ``conflicts`` are (entry, judge)."""
    return _Planner(entries, judges, k, cap, existing, conflicts, seed).run()


class _Planner:
    def __init__(self, entries, judges, k, cap, existing, conflicts, seed):
        self.entries = sorted(set(entries))
        self.judges = sorted(set(judges))
        self.k = k
        self.cap = cap
        self.conflicts = set(conflicts)
        rng = random.Random(seed)  # noqa: S311 - a reproducible tie-break, not a secret
        self.tie = {j: rng.random() for j in self.judges}
        self.on_entry: dict[int, set[int]] = defaultdict(set)
        self.load: dict[int, int] = dict.fromkeys(self.judges, 0)
        for e, j in set(existing):
            self.on_entry[e].add(j)
            if j in self.load:
                self.load[j] += 1
        self.new: dict[int, set[int]] = defaultdict(set)  # judge -> entries newly given
        self.eligible = {
            e: [j for j in self.judges if (e, j) not in self.conflicts] for e in self.entries
        }
        rank = {e: rng.random() for e in self.entries}
        # Entries with the fewest possible judges choose first.
        self.order = sorted(self.entries, key=lambda e: (len(self.eligible[e]), rank[e]))

    def has_room(self, j: int) -> bool:
        return self.cap is None or self.load[j] < self.cap

    def may_take(self, e: int, j: int) -> bool:
        return (e, j) not in self.conflicts and j not in self.on_entry[e]

    def give(self, e: int, j: int) -> None:
        self.on_entry[e].add(j)
        self.new[j].add(e)
        self.load[j] += 1

    def take_back(self, e: int, j: int) -> None:
        self.on_entry[e].discard(j)
        self.new[j].discard(e)
        self.load[j] -= 1

    def run(self) -> Plan:
        for e in self.order:
            while len(self.on_entry[e]) < self.k:
                free = [j for j in self.eligible[e] if self.may_take(e, j) and self.has_room(j)]
                if not free:
                    break
                self.give(e, min(free, key=lambda j: (self.load[j], self.tie[j])))
        for e in self.order:
            while len(self.on_entry[e]) < self.k and self.augment(e):
                pass
        self.rebalance()

        pairs = sorted((e, j) for j, es in self.new.items() for e in es)
        shortfalls = []
        for e in self.entries:
            if len(self.on_entry[e]) < self.k:
                n_eligible = len(set(self.eligible[e]) | self.on_entry[e])
                reason = SHORT_CONFLICTS if n_eligible < self.k else SHORT_CAP
                shortfalls.append(Shortfall(e, len(self.on_entry[e]), self.k, n_eligible, reason))
        return Plan(pairs=pairs, loads=dict(self.load), shortfalls=shortfalls)

    def augment(self, start: int) -> bool:
        """Give ``start`` one more judge, moving other new pairs along a path if needed.

        Breadth-first over judges: start→j1; j1 is full, so one of j1's new entries moves
        to j2; ... until a judge with room is reached. Returns True when a path was applied.
        """
        parent: dict[int, tuple[int | None, int]] = {}  # judge -> (judge before, entry)
        queue: deque[int] = deque()
        for j in self.eligible[start]:
            if self.may_take(start, j):
                parent[j] = (None, start)
                queue.append(j)
        while queue:
            j = queue.popleft()
            if self.has_room(j):
                self._apply(j, parent)
                return True
            for e in sorted(self.new[j]):
                for j2 in self.eligible[e]:
                    if j2 not in parent and self.may_take(e, j2):
                        parent[j2] = (j, e)
                        queue.append(j2)
        return False

    def _apply(self, end: int, parent) -> None:
        moves = []
        j = end
        while True:
            prev, e = parent[j]
            moves.append((prev, e, j))
            if prev is None:
                break
            j = prev
        for prev, e, _j in moves:
            if prev is not None:
                self.take_back(e, prev)
        for _prev, e, j in moves:
            self.give(e, j)

    def rebalance(self) -> None:
        """Move new pairs from a judge to one with at least two fewer, while allowed."""
        while self._move_one():
            pass

    def _move_one(self) -> bool:
        by_load = sorted(self.judges, key=lambda j: (self.load[j], self.tie[j]))
        for heavy in reversed(by_load):
            for light in by_load:
                if self.load[heavy] - self.load[light] < 2:
                    break
                if not self.has_room(light):
                    continue
                for e in sorted(self.new[heavy]):
                    if self.may_take(e, light):
                        self.take_back(e, heavy)
                        self.give(e, light)
                        return True
        return False
