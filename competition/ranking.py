"""Ranking, as pure functions over plain numbers: the top n, leave-one-judge-out
stability, first places, stages combined by their weights, and the tie-break ladder.

Like :mod:`competition.stats`, whose shown scores it compares, nothing here imports
Django. Equal scores are compared as shown (rounded half-up to
:data:`~competition.stats.SCORE_PLACES` decimals), then down the ladder; nothing is
ever decided at random.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import TypeVar

from competition.stats import (
    RUNG_CHAIR_DECISION,
    RUNG_FIRST_PLACES,
    RUNG_TOP_CRITERION,
    SCORE_PLACES,
    Cells,
    by_entry,
    by_judge,
    mean,
    score_shown,
    weights_sum_to_100,
)

# Two numbers further apart than two display steps never show the same score (each
# rounding moves a number by half a step at most): the ranking compares only nearer ones
# as shown, which spares rounding thousands of totals that cannot be level.
_SHOWN_APART = 2 * 10.0**-SCORE_PLACES

T = TypeVar("T")


def _tie_order(order: Sequence[Hashable] | None) -> Callable[[Hashable], tuple]:
    """Where an entry stands among equal scores: its place in ``order`` (the
    leaderboard, ladder applied), then by key for entries not in it."""
    position = {key: i for i, key in enumerate(order or ())}
    return lambda key: (position.get(key, len(position)), str(key))


def _shown_groups(
    scored: Iterable[tuple[T, float]], tie: Callable[[T], tuple] | None = None
) -> list[list[T]]:
    """The items of ``scored`` ((item, score) pairs) grouped by score as shown, best
    first, the items of a group in ``tie`` order (as given without it).

    Rounding never reverses an order, so sorted by their raw scores the items that show
    the same score stand next to each other, and neighbours further apart than
    :data:`_SHOWN_APART` never show the same: only nearer neighbours are rounded, a few
    hundred of a national stage's 3,500 scores instead of every one.
    """
    groups: list[list[T]] = []
    last_value = last_shown = None
    for item, value in sorted(scored, key=itemgetter(1), reverse=True):
        if groups and last_value - value <= _SHOWN_APART:
            if last_shown is None:
                last_shown = score_shown(last_value)
            shown = score_shown(value)
            if shown == last_shown:
                groups[-1].append(item)
            else:
                groups.append([item])
            last_shown = shown
        else:
            groups.append([item])
            last_shown = None
        last_value = value
    if tie is not None:
        for group in groups:
            if len(group) > 1:
                group.sort(key=tie)
    return groups


def top_n(
    scores: Mapping[Hashable, float | None],
    n: int = 3,
    order: Sequence[Hashable] | None = None,
) -> list[Hashable]:
    """The n best entries by score as shown; equal shown scores keep their place in
    ``order`` (the leaderboard's), then key order (stable, never random)."""
    tie = _tie_order(order)
    scored = [(k, score_shown(v)) for k, v in scores.items() if v is not None]
    scored.sort(key=lambda kv: (-kv[1], tie(kv[0])))
    return [k for k, _ in scored[:n]]


@dataclass(frozen=True)
class StabilityCheck:
    judge: Hashable
    top: list
    changed: bool
    order_changed: bool
    dropped: list
    entered: list


def leave_one_judge_out(
    cells: Cells,
    complete_entries: Iterable[Hashable],
    n: int = 3,
    order: Sequence[Hashable] | None = None,
) -> tuple[list, dict[Hashable, StabilityCheck]]:
    """Would the top ``n`` change if any single judge's sheets were left out?

    Only entries complete in the full data take part. Without judge j, an entry's score
    is the mean of its other sheets; an entry scored by j alone drops out. Scores are
    compared as shown (:func:`score_shown`); equal ones keep their place in ``order``,
    the leaderboard's order with its tie-break ladder, so the full top ``n`` is the
    leaderboard's. Returns the full top n and, per judge, the top n without them:
    ``changed`` when the set differs, ``order_changed`` when only the order does (both
    matter: Juara I, II and III carry different prizes). With fewer than two judges
    there is nobody to leave out: no checks.

    Leaving judge j out changes only the entries j scored, so the full ranking is sorted
    once: the new top n lies among the first n entries of it that j did not score plus
    j's own entries rescored (n + k_j candidates instead of a re-sort of every entry).
    """
    complete = set(complete_entries)
    per_entry = by_entry(cells)
    tie = _tie_order(order)

    def key(entry: Hashable, score: float) -> tuple:
        return (-score_shown(score), tie(entry))

    sums = {e: (sum(per_entry[e].values()), len(per_entry[e])) for e in complete if e in per_entry}
    scores = {e: total / count for e, (total, count) in sums.items()}
    ranking = [e for group in _shown_groups(scores.items(), tie) for e in group]
    full = ranking[:n]
    # Sort keys of the full scores, worked out for the few entries compared below.
    full_key: dict[Hashable, tuple] = {}
    judges = sorted(by_judge(cells), key=str)
    if len(judges) < 2:
        return full, {}
    entries_of: dict[Hashable, list[Hashable]] = defaultdict(list)
    for e in complete:
        for j in per_entry.get(e, {}):
            entries_of[j].append(e)
    checks = {}
    for judge in judges:
        touched = set(entries_of.get(judge, ()))
        candidates = []
        for e in ranking:
            if len(candidates) == n:
                break
            if e not in touched:
                if e not in full_key:
                    full_key[e] = key(e, scores[e])
                candidates.append((full_key[e], e))
        # n untouched entries already stand above any rescored one that shows less than
        # the n-th of them: such an entry is not rescored exactly (a national stage
        # rescores a handful of its 10,000 sheets instead of every one).
        bar = scores[candidates[-1][1]] - _SHOWN_APART if len(candidates) == n else -math.inf
        for e in touched:
            total, count = sums[e]
            if count < 2 or (total - per_entry[e][judge]) / (count - 1) < bar:
                continue
            rest = mean([v for j, v in per_entry[e].items() if j != judge])
            candidates.append((key(e, rest), e))
        candidates.sort(key=lambda c: c[0])
        without = [e for _, e in candidates[:n]]
        checks[judge] = StabilityCheck(
            judge=judge,
            top=without,
            changed=set(without) != set(full),
            order_changed=set(without) == set(full) and without != full,
            dropped=[e for e in full if e not in without],
            entered=[e for e in without if e not in full],
        )
    return full, checks


def first_places(cells: Cells) -> dict[Hashable, int]:
    """How many judges gave each entry their highest total (ties at the top all count).

    Rounding never reverses an order, so a judge's highest total shows their highest
    score, and only totals within :data:`_SHOWN_APART` of it can show the same.
    """
    counts: dict[Hashable, int] = defaultdict(int)
    for entries in by_judge(cells).values():
        top = max(entries.values())
        best, near = score_shown(top), top - _SHOWN_APART
        for entry, value in entries.items():
            if value >= near and score_shown(value) == best:
                counts[entry] += 1
    return dict(counts)


def level_on_score(scores: Mapping[Hashable, float]) -> list[Hashable]:
    """The keys whose score as shown equals another's: only they go down the tie-break
    ladder, so only they need its rungs' figures."""
    return [key for group in _shown_groups(scores.items()) if len(group) > 1 for key in group]


class WeightsError(ValueError):
    """Stage weights of a final ranking do not add up to 100."""


@dataclass(frozen=True)
class StagePart:
    stage: Hashable
    score: float
    weight: float
    contribution: float


def combine_stages(
    stage_scores: Mapping[Hashable, Mapping[Hashable, float | None]],
    weights: Mapping[Hashable, float],
) -> dict[Hashable, tuple[float, list[StagePart]]]:
    """Final score = sum over stages of stage score x stage weight / 100.

    ``weights`` are the included stages' shares in percent and must sum to 100, else
    :class:`WeightsError`. An entry gets a final score only with a score in every
    included stage; the parts show how it was made.
    """
    if not weights or not weights_sum_to_100(weights.values()):
        raise WeightsError(sum(weights.values()))
    entries = set()
    for scores in stage_scores.values():
        entries.update(scores)
    out = {}
    for entry in entries:
        parts = []
        for stage, weight in weights.items():
            score = stage_scores.get(stage, {}).get(entry)
            if score is None:
                break
            parts.append(StagePart(stage, score, float(weight), score * float(weight) / 100))
        else:
            out[entry] = (sum(p.contribution for p in parts), parts)
    return out


@dataclass(frozen=True)
class RankInput:
    key: Hashable
    score: float
    top_criterion: float | None = None
    first_places: int = 0


@dataclass
class Ranked:
    key: Hashable
    score: float
    rank: int
    tied: bool = False  # still level after every rung
    broken_by: str | None = None  # the rung that separated it from a level neighbour
    tie_group: list = field(default_factory=list)  # everyone it was level with on score


def _rung_value(item: RankInput, rung: str, chair: Mapping[Hashable, int]):
    """A sort key where larger is better; ``None`` sorts last."""
    if rung == RUNG_TOP_CRITERION:
        return score_shown(item.top_criterion)
    if rung == RUNG_FIRST_PLACES:
        return item.first_places
    if rung == RUNG_CHAIR_DECISION:
        return -chair[item.key] if item.key in chair else None
    raise ValueError(rung)


def rank_with_ladder(
    items: Sequence[RankInput],
    ladder: Sequence[str],
    chair_order: Sequence[Hashable] = (),
    order: Sequence[Hashable] | None = None,
) -> list[Ranked]:
    """Rank by score; break ties by the ladder's rungs in order, saying which did it.

    Rungs: ``top_criterion`` (higher mean on the highest-weighted criterion),
    ``first_places`` (more judges' first places), ``chair_decision`` (the order the
    chair recorded, earlier is better). Scores are compared as shown
    (:func:`score_shown`). Entries still level after the last rung share a rank
    (1, 1, 3) and are marked ``tied``: a person decides, never a coin; they are listed
    in ``order`` (then by key).
    """
    chair = {key: i for i, key in enumerate(chair_order)}
    tie = _tie_order(order)
    groups = _shown_groups(((it, it.score) for it in items), lambda it: tie(it.key))

    result: list[Ranked] = []

    def split(group: list[RankInput], rungs: Sequence[str], everyone: list, broken: str | None):
        if len(group) == 1:
            rank = len(result) + 1
            result.append(
                Ranked(group[0].key, group[0].score, rank, broken_by=broken, tie_group=everyone)
            )
            return
        if not rungs:
            shared = len(result) + 1
            for it in group:
                result.append(Ranked(it.key, it.score, shared, tied=True, tie_group=everyone))
            return
        rung, rest = rungs[0], rungs[1:]
        buckets: dict = defaultdict(list)
        for it in group:
            buckets[_rung_value(it, rung, chair)].append(it)
        if len(buckets) == 1:
            split(group, rest, everyone, broken)
            return
        keys = sorted(buckets, key=lambda v: (v is None, -(v or 0)))
        for value in keys:
            split(buckets[value], rest, everyone, rung)

    for group in groups:
        everyone = [it.key for it in group] if len(group) > 1 else []
        split(group, list(ladder), everyone, None)
    return result
