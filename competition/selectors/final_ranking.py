"""The year's final ranking: the stages' scores combined by their weights and ranked
with the tie-break ladder; what a result snapshot freezes.
"""

from __future__ import annotations

import contextlib
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
    level_on_score,
    rank_with_ladder,
)
from competition.selectors.leaderboard import Leaderboard, build_leaderboard, stage_scores
from competition.selectors.scoring import (
    CriterionInfo,
    EntryInfo,
    StageData,
    load_stage_data,
    read_level_top_means,
    rung_label,
)
from kovablik.collector import collector_paused


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

    @property
    def unranked_references(self) -> str:
        """The unranked entries' registration numbers as the page lists them. Joined here:
        a national year leaves thousands unranked, and a template loop over them cost more
        than the rest of the page."""
        return ", ".join(e.reference for e in self.unranked)


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


def _top_criterion_means(
    stages: list[Stage], data: dict[int, StageData], top: CriterionInfo | None
) -> dict[int, float]:
    """entry id -> its mean on ``top``. The criterion weighing most in the final score is
    its own stage's highest-weighted one (the same rule breaks equal weights), whose
    means every stage's data carries for the ladder."""
    for stage in stages:
        if top is not None and top in data[stage.pk].criteria:
            return data[stage.pk].top_means
    return {}


def _read_ladder_means(
    stages: list[Stage],
    data: dict[int, StageData],
    ladder: list[str],
    scores: dict[int, dict[int, float]],
    combined: dict | None,
    top: CriterionInfo | None,
) -> None:
    """Each stage's top criterion means for the entries its ladder's first rung can reach:
    those level on the stage's score, and on the final score for the stage of the
    criterion weighing most in it; one query for every stage."""
    level: dict[int, list[int]] = {s.pk: [] for s in stages}
    if stats.RUNG_TOP_CRITERION in ladder:
        for s in stages:
            level[s.pk] = level_on_score(scores[s.pk])
        home = next((s.pk for s in stages if top in data[s.pk].criteria), None)
        if home is not None and combined:
            final = {entry_id: score for entry_id, (score, _parts) in combined.items()}
            level[home] = [*level[home], *level_on_score(final)]
    read_level_top_means({s.pk: data[s.pk] for s in stages}, level)


@collector_paused()
def final_ranking(
    competition: Competition,
    chair_order: list[int] | None = None,
    *,
    weights: dict[int, Decimal] | None = None,
    ladder: list[str] | None = None,
    sheet_scores: bool = False,
    recompute_totals: bool = False,
    stage_figures: bool = True,
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
    the stored one (verification). Without ``stage_figures`` the stage boards carry only
    what the ranking and its blockers need: the top criterion's means (the ladder's first
    rung) only for the entries level on a score, so a row's ``top_criterion`` is ``None``
    for the others; no other criterion means, no normalised scores, no judges' figures,
    agreement or stability check (the page shows none of them; a snapshot freezes them
    all).
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
        stages,
        sheet_scores=sheet_scores,
        criterion_means=stage_figures,
        top_criterion_means=stage_figures,
        recompute_totals=sheet_scores and recompute_totals,
    )
    scores = {s.pk: stage_scores(data[s.pk]) for s in stages}
    combined = None
    # Weights that do not add up to 100 leave it None: the problem is reported below,
    # after the stage boards, which the blockers still read.
    with contextlib.suppress(WeightsError):
        if stages:
            combined = combine_stages(scores, {s.pk: float(weights[s.pk]) for s in stages})
    top = _top_criterion(stages, data)
    if not stage_figures:
        _read_ladder_means(stages, data, ladder, scores, combined, top)
    boards = {
        s.pk: build_leaderboard(data[s.pk], entries, ladder, panel=stage_figures) for s in stages
    }
    result = FinalRanking(
        competition=competition,
        stages=stages,
        weights=weights,
        ladder=ladder,
        chair_order=chair_order,
        top_criterion=top,
        rows=[],
        unranked=[],
        leaderboards=boards,
    )
    if not stages:
        result.problem = _("Belum ada tahap penilaian dengan bobot nilai akhir di atas 0.")
        return result
    if combined is None:
        result.problem = _(
            "Bobot tahap dalam nilai akhir berjumlah %(total)s%%, harus tepat 100%%. "
            "Ubah bobot tahap di pengaturan kompetisi."
        ) % {"total": sum(weights.values())}
        return result

    all_cells: dict[tuple[int, tuple[int, int]], float] = {}
    for s in stages:
        for row in boards[s.pk].rows:
            for judge_id, total in row.judge_totals.items():
                all_cells[(row.entry.id, (s.pk, judge_id))] = total
    top_values = _top_criterion_means(stages, data, result.top_criterion)
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
