"""The year's final ranking: the stages' scores combined by their weights and ranked
with the tie-break ladder; what a result snapshot freezes.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from competition import stats
from competition.models import Competition, Stage
from competition.ranking import (
    RankInput,
    WeightsError,
    combine_stages,
    first_places,
    rank_with_ladder,
)
from competition.selectors.leaderboard import Leaderboard, build_leaderboard
from competition.selectors.scoring import (
    CriterionInfo,
    EntryInfo,
    StageData,
    load_stage_data,
    rung_label,
)


@dataclass
class StagePartRow:
    stage_id: int
    stage_name: str
    score: float
    weight: float
    contribution: float


@dataclass
class FinalRow:
    """One ranked entry: its final score, how it was made, and any tie it was in.

    ``broken_by`` is the ladder rung that separated it from entries level on score
    (``broken_by_label`` in words); ``tied`` means still level after every rung, so
    the chair must decide before finalising.
    """

    entry: EntryInfo
    rank: int
    final_score: float
    parts: list[StagePartRow]
    tied: bool
    broken_by: str | None
    broken_by_label: str
    tie_group: list[int]
    top_criterion: float | None
    first_places: int


@dataclass
class FinalRanking:
    """The combined ranking of a competition over stages with a weight above 0.

    When ``problem`` is set (no stage, weights not adding up to 100) ``rows`` is empty
    and nothing can be finalised. ``unranked`` lists entries lacking a score in some
    included stage (incomplete, or not a finalist).
    """

    competition: Competition
    stages: list[Stage]
    weights: dict[int, Decimal]
    ladder: list[str]
    chair_order: list[int]
    top_criterion: CriterionInfo | None
    rows: list[FinalRow]
    unranked: list[EntryInfo]
    leaderboards: dict[int, Leaderboard]
    problem: str = ""

    @property
    def has_unresolved_ties(self) -> bool:
        return any(r.tied for r in self.rows)

    @property
    def ladder_labels(self) -> list[str]:
        return [rung_label(r) for r in self.ladder]


def _top_criterion(stages: list[Stage], data: dict[int, StageData]) -> CriterionInfo | None:
    """The criterion weighing most in the final score (criterion weight x stage weight);
    on equal weight the earlier stage, then the earlier criterion."""
    best, best_weight = None, None
    for stage in stages:
        for c in data[stage.pk].criteria:
            effective = c.weight * stage.final_weight
            if best_weight is None or effective > best_weight:
                best, best_weight = c, effective
    return best


def final_ranking(
    competition: Competition,
    chair_order: list[int] | None = None,
    *,
    weights: dict[int, Decimal] | None = None,
    ladder: list[str] | None = None,
    sheet_scores: bool = False,
    recompute_totals: bool = False,
) -> FinalRanking:
    """Combine the stages of ``competition`` into the final ranking, ties broken.

    Final score = sum over stages with ``final_weight`` > 0 of stage score x weight /
    100; the weights must add up to 100. Ties on the final score (to 3 decimals) go
    down the competition's ``tie_break_ladder``; ``chair_order`` (entry ids, best
    first) is the chair's recorded decision for the last rung. ``weights`` (stage id ->
    percent) and ``ladder`` replace the competition's current settings: a frozen
    snapshot is re-checked with the method it was made with. ``sheet_scores`` loads
    every score into the stage boards' sheets, as a snapshot records them; with it,
    ``recompute_totals`` works every sheet's total out from its scores instead of reading
    the stored one (verification).
    """
    chair_order = list(chair_order or [])
    all_stages = Stage.objects.filter(competition=competition).order_by("order")
    if weights is None:
        stages = [s for s in all_stages if s.final_weight > 0]
        weights = {s.pk: s.final_weight for s in stages}
    else:
        stages = [s for s in all_stages if s.pk in weights]
        for s in stages:
            s.final_weight = Decimal(weights[s.pk])
    for s in stages:
        s.competition = competition
    if ladder is None:
        ladder = competition.tie_break_ladder or []
    ladder = [r for r in ladder if r in stats.RUNGS]
    data, entries = load_stage_data(
        stages, sheet_scores=sheet_scores, recompute_totals=sheet_scores and recompute_totals
    )
    boards = {s.pk: build_leaderboard(data[s.pk], entries, ladder) for s in stages}
    result = FinalRanking(
        competition=competition,
        stages=stages,
        weights=weights,
        ladder=ladder,
        chair_order=chair_order,
        top_criterion=_top_criterion(stages, data),
        rows=[],
        unranked=[],
        leaderboards=boards,
    )
    if not stages:
        result.problem = _("Belum ada tahap penilaian dengan bobot nilai akhir di atas 0.")
        return result
    try:
        combined = combine_stages(
            {s.pk: {r.entry.id: r.score for r in boards[s.pk].rows} for s in stages},
            {s.pk: float(weights[s.pk]) for s in stages},
        )
    except WeightsError:
        result.problem = _(
            "Bobot tahap dalam nilai akhir berjumlah %(total)s%%, harus tepat 100%%. "
            "Ubah bobot tahap di pengaturan kompetisi."
        ) % {"total": sum(weights.values())}
        return result

    all_cells: dict[tuple[int, tuple[int, int]], float] = {}
    top_values: dict[int, float | None] = {}
    top = result.top_criterion
    for s in stages:
        for row in boards[s.pk].rows:
            for judge_id, total in row.judge_totals.items():
                all_cells[(row.entry.id, (s.pk, judge_id))] = total
            if top is not None and top.id in row.criterion_means:
                top_values[row.entry.id] = row.criterion_means[top.id]
    places = first_places(all_cells)
    ranked = rank_with_ladder(
        [
            RankInput(
                key=e,
                score=score,
                top_criterion=top_values.get(e),
                first_places=places.get(e, 0),
            )
            for e, (score, _parts) in combined.items()
        ],
        ladder,
        chair_order,
    )
    names = {s.pk: s.name for s in stages}
    for r in ranked:
        parts = combined[r.key][1]
        result.rows.append(
            FinalRow(
                entry=entries[r.key],
                rank=r.rank,
                final_score=r.score,
                parts=[
                    StagePartRow(p.stage, names[p.stage], p.score, p.weight, p.contribution)
                    for p in parts
                ],
                tied=r.tied,
                broken_by=r.broken_by,
                broken_by_label=rung_label(r.broken_by),
                tie_group=list(r.tie_group),
                top_criterion=top_values.get(r.key),
                first_places=places.get(r.key, 0),
            )
        )
    ranked_ids = set(combined)
    seen = set()
    for s in stages:
        for row in boards[s.pk].rows:
            if row.entry.id not in ranked_ids and row.entry.id not in seen:
                seen.add(row.entry.id)
                result.unranked.append(row.entry)
    return result
