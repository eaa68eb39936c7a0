"""A stage's leaderboard: entries ranked by their mean sheet total, with spread, the
judges' leniency, their agreement and the top three's stability; numbers from
:mod:`competition.stats`, rows from :mod:`competition.selectors.scoring`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from competition import stats
from competition.models import Stage
from competition.ranking import (
    RankInput,
    first_places,
    leave_one_judge_out,
    level_on_score,
    rank_with_ladder,
)
from competition.selectors.scoring import (
    CriterionInfo,
    EntryInfo,
    JudgeInfo,
    SheetRow,
    StageData,
    load_criterion_means,
    load_stage_data,
    read_level_top_means,
    reading_label,
    rung_label,
)
from kovablik.collector import collector_paused


@dataclass(slots=True)
class LeaderboardRow:
    """One entry on a stage's leaderboard.

    ``score`` is the mean of the submitted sheets' totals (0-100) or ``None`` while the
    entry is incomplete (``incomplete`` is then true). ``criterion_means`` is keyed by
    criterion id, on each criterion's own scale. ``normalised`` is ``None`` where
    normalisation would mean nothing, and on a board built without the panel.
    ``flagged``: sd above the competition's disagreement threshold.
    """

    entry: EntryInfo
    rank: int | None
    score: float | None
    incomplete: bool
    n_sheets: int
    n_assigned: int
    criterion_means: dict[int, float | None]
    sd: float | None
    range: float | None
    flagged: bool
    normalised: float | None
    has_moderation_note: bool
    judge_totals: dict[int, float]
    criterion_mean_list: list[float | None] = field(default_factory=list)
    # Level with a neighbour on the score as shown: the ladder rung that separated them
    # (in words), or ``tied`` when none did and they share a rank.
    broken_by_label: str = ""
    tied: bool = False

    @property
    def needs_moderation_note(self) -> bool:
        return self.flagged and not self.has_moderation_note


@dataclass
class JudgePanelRow:
    judge: JudgeInfo
    n_entries: int
    mean: float | None
    sd: float | None
    leniency: float | None
    n_shared: int
    normalisation_ok: bool


@dataclass
class AgreementFigure:
    """Krippendorff's alpha (interval) over entries x judges, with its reading.

    ``shown`` is alpha as every output prints it (``stats.ALPHA_PLACES``, half-up); the
    reading is taken from it. ``undefined_reason`` says why alpha is ``None``.
    """

    alpha: float | None
    reading: str
    reading_label: str
    n_units: int
    n_values: int
    shown: Decimal | None = None
    undefined_reason: str | None = None


@dataclass
class StabilityRow:
    """The top three without one judge: whether it changes and how."""

    judge: JudgeInfo
    top: list[EntryInfo]
    changed: bool
    order_changed: bool
    dropped: list[EntryInfo]
    entered: list[EntryInfo]


@dataclass
class Leaderboard:
    """Everything the organiser sees about one stage, computed from submitted sheets.

    ``rows`` are ranked (complete entries by score, best first, then incomplete ones).
    ``weights_ok`` is false when the criteria weights do not add up to 100; scores are
    still shown but the stage cannot be combined or finalised. Built without the panel
    (``build_leaderboard(panel=False)``), ``judges``, ``top`` and ``stability`` are empty,
    ``agreement`` is ``None`` and no row has a normalised score.
    """

    stage: Stage
    criteria: list[CriterionInfo]
    rows: list[LeaderboardRow]
    judges: list[JudgePanelRow]
    agreement: AgreementFigure | None
    top: list[EntryInfo]
    stability: list[StabilityRow]
    weight_total: Decimal
    weights_ok: bool
    threshold: Decimal
    min_entries_for_normalisation: int
    sheets: list[SheetRow] = field(repr=False, default_factory=list)

    @property
    def flagged_without_note(self) -> list[LeaderboardRow]:
        return [row for row in self.rows if row.needs_moderation_note]

    @property
    def single_judge(self) -> bool:
        """Only one judge submitted: agreement and stability do not apply."""
        return len(self.judges) == 1

    @property
    def stability_changed(self) -> bool:
        return any(s.changed for s in self.stability)

    @property
    def stability_shifts(self) -> list[StabilityRow]:
        """The judges without whom the top three changes, if only in order: a national
        panel has a hundred judges, and the page lists these, not a hundred "no"s."""
        return [s for s in self.stability if s.changed or s.order_changed]

    @property
    def n_stable_judges(self) -> int:
        return len(self.stability) - len(self.stability_shifts)

    def row_for(self, entry_id: int) -> LeaderboardRow | None:
        return next((r for r in self.rows if r.entry.id == entry_id), None)


def stage_scores(data: StageData) -> dict[int, float]:
    """entry id -> score of each complete entry, the mean of its sheets' totals exactly as
    its leaderboard row has it: for a caller that needs the scores before the board."""
    totals: dict[int, list[float]] = defaultdict(list)
    for sheet in data.sheets:
        if sheet.total is not None:
            totals[sheet.entry_id].append(sheet.total)
    return {
        entry_id: stats.mean(values)
        for entry_id, values in totals.items()
        if len(values) >= data.assigned.get(entry_id, 0)
    }


def build_leaderboard(
    data: StageData,
    entries: dict[int, EntryInfo],
    ladder: list[str] | None = None,
    *,
    panel: bool = True,
) -> Leaderboard:
    """``ladder`` replaces the competition's tie-break ladder (a frozen snapshot's).
    Without ``panel`` the judges' figures, the agreement, the stability check and the
    normalised scores are left out: the final ranking page shows none of them."""
    stage = data.stage
    competition = stage.competition
    if ladder is None:
        ladder = [r for r in competition.tie_break_ladder or [] if r in stats.RUNGS]
    threshold = competition.disagreement_threshold
    judges: dict[int, JudgeInfo] = {}
    # Grouped by entry and by judge once, for every figure below.
    cells = stats.GroupedCells()
    for sheet in data.sheets:
        if sheet.judge_id not in judges:
            judges[sheet.judge_id] = JudgeInfo(sheet.judge_id, sheet.judge_name)
        # A submitted sheet missing a criterion has no total and counts as not in.
        if sheet.total is not None:
            cells[(sheet.entry_id, sheet.judge_id)] = sheet.total
    # entry id -> judge id -> total, in the sheets' order (by judge name).
    per_entry = cells.per_entry

    entry_ids = set(data.assigned) | {s.entry_id for s in data.sheets}
    summaries = {
        e: stats.summarise_entry(
            list(per_entry[e].values()) if e in per_entry else [], data.assigned.get(e, 0)
        )
        for e in entry_ids
    }
    complete = [e for e, s in summaries.items() if s.complete]
    normalised = (
        stats.normalised_scores(cells, complete, stage.min_entries_for_normalisation)
        if panel
        else {}
    )

    rows = []
    bar = float(threshold)
    for entry_id, summary in summaries.items():
        rows.append(
            LeaderboardRow(
                entry=entries[entry_id],
                rank=None,
                score=summary.score,
                incomplete=not summary.complete,
                n_sheets=summary.n_sheets,
                n_assigned=summary.n_assigned,
                criterion_means={},
                sd=summary.sd,
                range=summary.range,
                flagged=summary.sd is not None and summary.sd > bar,
                normalised=normalised.get(entry_id),
                has_moderation_note=entry_id in data.noted,
                judge_totals=dict(per_entry[entry_id]) if entry_id in per_entry else {},
            )
        )
    if data.means is not None:
        _set_criterion_means(rows, data.criteria, data.means)
    _rank_rows(rows, cells, data, ladder)

    weight_total = sum((c.weight for c in data.criteria), Decimal(0))
    board = Leaderboard(
        stage=stage,
        criteria=data.criteria,
        rows=rows,
        judges=[],
        agreement=None,
        top=[],
        stability=[],
        weight_total=weight_total,
        weights_ok=stats.weights_sum_to_100([float(c.weight) for c in data.criteria]),
        threshold=threshold,
        min_entries_for_normalisation=stage.min_entries_for_normalisation,
        sheets=data.sheets,
    )
    if panel:
        _add_panel(board, cells, complete, judges, entries)
    return board


def _add_panel(
    board: Leaderboard,
    cells: dict[tuple[int, int], float],
    complete: list[int],
    judges: dict[int, JudgeInfo],
    entries: dict[int, EntryInfo],
) -> None:
    """The judges' figures, their agreement and the top three's stability, in place."""
    min_entries = board.min_entries_for_normalisation
    figures = stats.judge_figures(cells)
    board.judges = sorted(
        (
            JudgePanelRow(
                judge=judges[j],
                n_entries=f.n_entries,
                mean=f.mean,
                sd=f.sd,
                leniency=f.leniency,
                n_shared=f.n_shared,
                normalisation_ok=f.n_entries >= max(min_entries, 2),
            )
            for j, f in figures.items()
        ),
        key=lambda p: p.judge.name,
    )
    figure = stats.agreement(cells)
    board.agreement = AgreementFigure(
        alpha=figure.alpha,
        reading=figure.reading,
        reading_label=reading_label(figure.reading, figure.undefined_reason),
        n_units=figure.n_units,
        n_values=figure.n_values,
        shown=figure.shown,
        undefined_reason=figure.undefined_reason,
    )
    top, checks = leave_one_judge_out(
        cells, complete, order=[r.entry.id for r in board.rows if r.score is not None]
    )
    board.top = [entries[e] for e in top]
    board.stability = sorted(
        (
            StabilityRow(
                judge=judges[j],
                top=[entries[e] for e in c.top],
                changed=c.changed,
                order_changed=c.order_changed,
                dropped=[entries[e] for e in c.dropped],
                entered=[entries[e] for e in c.entered],
            )
            for j, c in checks.items()
        ),
        key=lambda s: s.judge.name,
    )


def _rank_rows(
    rows: list[LeaderboardRow],
    cells: dict[tuple[int, int], float],
    data: StageData,
    ladder: list[str],
) -> None:
    """Order ``rows`` as the leaderboard shows them and set their ranks, in place.

    Complete entries by score as shown (half-up at ``stats.SCORE_PLACES``), level ones
    by the competition's tie-break ladder within the stage (its highest-weighted
    criterion, then judges' first places; the chair decides only in the final
    ranking); entries still level share a rank and are listed by reference. Incomplete
    entries follow, unranked, by reference. "Tiga besar", the stability check and every
    top-N list take this order.
    """
    rows.sort(key=lambda r: (r.score is None, r.entry.reference, r.entry.id))
    scored = [r for r in rows if r.score is not None]
    if data.top_means is None:
        level = (
            level_on_score({r.entry.id: r.score for r in scored})
            if stats.RUNG_TOP_CRITERION in ladder
            else []
        )
        read_level_top_means({data.stage.pk: data}, {data.stage.pk: level})
    top_means = data.top_means
    places = first_places(cells)
    ranked = rank_with_ladder(
        [
            RankInput(
                key=r.entry.id,
                score=r.score,
                top_criterion=top_means.get(r.entry.id),
                first_places=places.get(r.entry.id, 0),
            )
            for r in scored
        ],
        ladder,
        order=[r.entry.id for r in scored],
    )
    by_id = {r.entry.id: r for r in scored}
    for item in ranked:
        row = by_id[item.key]
        row.rank, row.tied, row.broken_by_label = item.rank, item.tied, rung_label(item.broken_by)
    rows[: len(scored)] = [by_id[item.key] for item in ranked]


def _set_criterion_means(
    rows: Iterable[LeaderboardRow],
    criteria: list[CriterionInfo],
    means: dict[int, dict[int, float]],
) -> None:
    for row in rows:
        entry_means = means.get(row.entry.id, {})
        row.criterion_means = {c.id: entry_means.get(c.id) for c in criteria}
        row.criterion_mean_list = [row.criterion_means[c.id] for c in criteria]


@collector_paused()
def stage_leaderboard(
    stage: Stage, *, criterion_means: bool = True, sheet_scores: bool = False
) -> Leaderboard:
    """The leaderboard of one stage: scores, spread, flags, normalised scores, judges
    panel, agreement and the leave-one-judge-out stability check.

    Without ``criterion_means`` every row's ``criterion_means`` stays empty until
    :func:`leaderboard_criterion_means` fills the rows a page shows, and the top
    criterion's means are read only for entries level on score; with ``sheet_scores``
    each of ``sheets`` carries its scores. Pass a stage fetched with
    ``select_related("competition")`` to save one query.
    """
    data, entries = load_stage_data(
        [stage],
        criterion_means=criterion_means,
        top_criterion_means=False,
        sheet_scores=sheet_scores,
    )
    return build_leaderboard(data[stage.pk], entries)


def leaderboard_criterion_means(board: Leaderboard, rows: Iterable[LeaderboardRow]) -> None:
    """Fill the criterion means of ``rows`` only, in one query: a page of 50 rows need not
    average the scores of 3,500 entries."""
    rows = list(rows)
    means = load_criterion_means([board.stage.pk], [r.entry.id for r in rows])
    _set_criterion_means(rows, board.criteria, means[board.stage.pk])
