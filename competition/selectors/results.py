"""Reads for results: the stage leaderboard, the final ranking and the score matrix.

Every function fetches its rows in a fixed number of queries, however many entries,
judges and sheets there are (criteria, submitted sheets, their scores, assignment
counts, entries, moderation notes), then hands plain numbers to
:mod:`competition.stats` and returns plain dataclasses. Only *submitted* sheets count;
drafts are invisible here.

Used by the organiser's result pages, by ``competition.services.results`` when it
freezes a snapshot, and by the exports (finalist list, score recap, minutes).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Prefetch, Q
from django.utils.translation import gettext as _

from competition import stats
from competition.models import (
    Assignment,
    Competition,
    Criterion,
    Entry,
    EntryStatus,
    Forwarding,
    ModerationNote,
    Outcome,
    OutcomeStep,
    PlacementTitle,
    ResultSnapshot,
    Score,
    ScoreSheet,
    SheetStatus,
    Stage,
)
from competition.selectors.opd import owned_q

RUNG_LABELS = {
    stats.RUNG_TOP_CRITERION: lambda: _("nilai lebih tinggi pada kriteria berbobot terbesar"),
    stats.RUNG_FIRST_PLACES: lambda: _("lebih banyak peringkat pertama dari juri"),
    stats.RUNG_CHAIR_DECISION: lambda: _("keputusan ketua dewan juri"),
}

READING_LABELS = {
    "high": lambda: _("tinggi: para juri sangat sepakat"),
    "fair": lambda: _("cukup: kesepakatan sedang, kesimpulan masih dapat ditarik dengan hati-hati"),
    "low": lambda: _("rendah: para juri banyak berbeda pendapat; tinjau ulang lembar nilai"),
    "undefined": lambda: _("belum dapat dihitung (terlalu sedikit lembar nilai)"),
}
UNDEFINED_LABELS = {
    stats.UNDEFINED_FEW: lambda: _(
        "belum dapat dihitung: terlalu sedikit lembar nilai (perlu sedikitnya satu proposal "
        "yang dinilai dua juri)"
    ),
    stats.UNDEFINED_FLAT: lambda: _(
        "tidak dapat dihitung: semua nilai total sama, tidak ada perbedaan untuk diukur"
    ),
}


def rung_label(rung: str | None) -> str:
    return RUNG_LABELS[rung]() if rung in RUNG_LABELS else ""


def reading_label(reading: str, undefined_reason: str | None = None) -> str:
    if reading == "undefined" and undefined_reason in UNDEFINED_LABELS:
        return UNDEFINED_LABELS[undefined_reason]()
    return READING_LABELS[reading]()


@dataclass(frozen=True)
class CriterionInfo:
    id: int
    label: str
    order: int
    weight: Decimal
    min_score: Decimal
    max_score: Decimal


@dataclass(frozen=True)
class JudgeInfo:
    id: int
    name: str


@dataclass
class SheetRow:
    """One submitted sheet with its weighted total, and its scores and comments (criterion
    id -> value) when loaded with ``sheet_scores``."""

    id: int
    entry_id: int
    judge_id: int
    judge_name: str
    scores: dict[int, Decimal]
    comments: dict[int, str]
    total: float | None


@dataclass
class EntryInfo:
    id: int
    reference: str
    title: str
    brand_name: str
    agency_id: int
    agency_name: str
    agency_short_name: str
    status: str
    innovation_id: int


@dataclass
class LeaderboardRow:
    """One entry on a stage's leaderboard.

    ``score`` is the mean of the submitted sheets' totals (0-100) or ``None`` while the
    entry is incomplete (``incomplete`` is then true). ``criterion_means`` is keyed by
    criterion id, on each criterion's own scale. ``normalised`` is ``None`` where
    normalisation would mean nothing. ``flagged``: sd above the competition's
    disagreement threshold.
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
    still shown but the stage cannot be combined or finalised.
    """

    stage: Stage
    criteria: list[CriterionInfo]
    rows: list[LeaderboardRow]
    judges: list[JudgePanelRow]
    agreement: AgreementFigure
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


@dataclass
class _StageData:
    stage: Stage
    criteria: list[CriterionInfo]
    sheets: list[SheetRow]
    assigned: dict[int, int]
    noted: set[int]
    # None when not loaded: the leaderboard page asks for its own page's rows only.
    means: dict[int, dict[int, float]] | None
    # entry id -> mean on the stage's highest-weighted criterion: the ladder's first rung.
    top_means: dict[int, float] = field(default_factory=dict)


def _entry_infos(competition_ids: set[int], entry_ids: set[int]) -> dict[int, EntryInfo]:
    """One query of plain values: model instances (and an innovation's long texts) for
    thousands of entries cost more than the whole leaderboard arithmetic. Filtered by
    competition, not by thousands of ids in an ``IN`` list."""
    rows = Entry.objects.filter(competition_id__in=competition_ids).values_list(
        "pk",
        "reference",
        "status",
        "agency_id",
        "innovation_id",
        "innovation__title",
        "innovation__brand_name",
        "agency__name",
        "agency__short_name",
        # The title as submitted (Entry.facts) is the one judged; older rows fall back.
        "facts__title",
        "facts__brand_name",
    )
    return {
        pk: EntryInfo(
            id=pk,
            reference=reference or "",
            title=submitted_title or title,
            brand_name=submitted_brand if submitted_title else brand_name,
            agency_id=agency_id,
            agency_name=agency_name,
            agency_short_name=agency_short_name,
            status=status,
            innovation_id=innovation_id,
        )
        for (
            pk,
            reference,
            status,
            agency_id,
            innovation_id,
            title,
            brand_name,
            agency_name,
            agency_short_name,
            submitted_title,
            submitted_brand,
        ) in rows
        if pk in entry_ids
    }


def _load(
    stages: list[Stage],
    *,
    sheet_scores: bool = False,
    criterion_means: bool = True,
    recompute_totals: bool = False,
) -> tuple[dict[int, _StageData], dict[int, EntryInfo]]:
    """Six queries for any number of stages, entries and sheets, one more with
    ``sheet_scores`` (every score and comment: the recap and the frozen snapshot). The
    sixth averages each entry's scores per criterion in the database: every criterion
    with ``criterion_means``, else only each stage's highest-weighted one (the first
    rung of the tie-break ladder).

    Sheet totals are the ones stored when each sheet was submitted, so a leaderboard of
    84,000 scores reads 10,500 rows, not 84,000.
    """
    stage_ids = [s.pk for s in stages]
    criteria: dict[int, list[CriterionInfo]] = defaultdict(list)
    for c in Criterion.objects.filter(stage_id__in=stage_ids).order_by("order", "pk"):
        criteria[c.stage_id].append(
            CriterionInfo(c.pk, c.label, c.order, c.weight, c.min_score, c.max_score)
        )
    # Sorted here, not by the database: sorting 10,500 sheets by judge name there costs
    # more than the rest of the query, and Python's order does not depend on the
    # database's collation, so a frozen snapshot lists its sheets the same way wherever
    # it is verified (a restore into a server with another locale included).
    rows = sorted(
        ScoreSheet.objects.filter(stage_id__in=stage_ids, status=SheetStatus.SUBMITTED).values_list(
            "pk", "stage_id", "entry_id", "judge_id", "judge__full_name", "total"
        ),
        key=lambda row: (row[2], row[4], row[0]),
    )
    sheets: dict[int, SheetRow] = {}
    per_stage: dict[int, list[SheetRow]] = defaultdict(list)
    for pk, stage_id, entry_id, judge_id, judge_name, total in rows:
        sheet = SheetRow(
            id=pk,
            entry_id=entry_id,
            judge_id=judge_id,
            judge_name=judge_name,
            scores={},
            comments={},
            total=total,
        )
        sheets[pk] = sheet
        per_stage[stage_id].append(sheet)
    if sheet_scores:
        for sheet_id, criterion_id, value, comment in Score.objects.filter(
            sheet__stage_id__in=stage_ids, sheet__status=SheetStatus.SUBMITTED
        ).values_list("sheet_id", "criterion_id", "value", "comment"):
            sheet = sheets[sheet_id]
            sheet.scores[criterion_id] = value
            sheet.comments[criterion_id] = comment
    if sheet_scores and recompute_totals:
        # Verification: every total from its scores, never the stored column.
        for stage_id, stage_sheets in per_stage.items():
            specs = [
                stats.CriterionSpec(c.id, float(c.max_score), float(c.weight))
                for c in criteria[stage_id]
            ]
            for sheet in stage_sheets:
                sheet.total = stats.sheet_total(
                    {k: float(v) for k, v in sheet.scores.items()}, specs
                )
    assigned: dict[int, dict[int, int]] = defaultdict(dict)
    for stage_id, entry_id, n in (
        Assignment.objects.filter(stage_id__in=stage_ids)
        .values_list("stage_id", "entry_id")
        .annotate(n=Count("pk"))
    ):
        assigned[stage_id][entry_id] = n
    noted: dict[int, set[int]] = defaultdict(set)
    for stage_id, entry_id in (
        ModerationNote.objects.filter(stage_id__in=stage_ids)
        .values_list("stage_id", "entry_id")
        .order_by("stage_id", "entry_id")
        .distinct()
    ):
        noted[stage_id].add(entry_id)
    means = _criterion_means(stage_ids) if criterion_means else None
    tops = {sid: _stage_top_criterion(cs) for sid, cs in criteria.items()}
    if means is None:
        top_means = _criterion_means(stage_ids, criterion_ids=[c.id for c in tops.values() if c])
    else:
        top_means = means

    entry_ids = {s.entry_id for s in sheets.values()}
    for counts in assigned.values():
        entry_ids.update(counts)
    entries = _entry_infos({s.competition_id for s in stages}, entry_ids)

    data = {
        stage.pk: _StageData(
            stage=stage,
            criteria=criteria[stage.pk],
            sheets=per_stage[stage.pk],
            assigned=assigned[stage.pk],
            noted=noted[stage.pk],
            means=None if means is None else means[stage.pk],
            top_means={
                entry_id: by_criterion[tops[stage.pk].id]
                for entry_id, by_criterion in top_means[stage.pk].items()
                if tops.get(stage.pk) and tops[stage.pk].id in by_criterion
            },
        )
        for stage in stages
    }
    return data, entries


def _stage_top_criterion(criteria: list[CriterionInfo]) -> CriterionInfo | None:
    """The stage's highest-weighted criterion (the earlier on equal weight)."""
    best = None
    for c in criteria:
        if best is None or c.weight > best.weight:
            best = c
    return best


def _criterion_means(
    stage_ids: list[int],
    entry_ids: Iterable[int] | None = None,
    criterion_ids: Iterable[int] | None = None,
) -> dict[int, dict[int, dict[int, float]]]:
    """stage id -> entry id -> criterion id -> mean score of the sheets that count
    (submitted, with a total), in one grouped query."""
    scores = Score.objects.filter(
        sheet__stage_id__in=stage_ids,
        sheet__status=SheetStatus.SUBMITTED,
        sheet__total__isnull=False,
    )
    if entry_ids is not None:
        scores = scores.filter(sheet__entry_id__in=list(entry_ids))
    if criterion_ids is not None:
        scores = scores.filter(criterion_id__in=list(criterion_ids))
    means: dict[int, dict[int, dict[int, float]]] = defaultdict(lambda: defaultdict(dict))
    for stage_id, entry_id, criterion_id, mean in scores.values_list(
        "sheet__stage_id", "sheet__entry_id", "criterion_id"
    ).annotate(mean=Avg("value")):
        means[stage_id][entry_id][criterion_id] = float(mean)
    return means


def _build_leaderboard(
    data: _StageData, entries: dict[int, EntryInfo], ladder: list[str] | None = None
) -> Leaderboard:
    """``ladder`` replaces the competition's tie-break ladder (a frozen snapshot's)."""
    stage = data.stage
    competition = stage.competition
    if ladder is None:
        ladder = [r for r in competition.tie_break_ladder or [] if r in stats.RUNGS]
    threshold = competition.disagreement_threshold
    judges: dict[int, JudgeInfo] = {}
    cells: dict[tuple[int, int], float] = {}
    per_entry_sheets: dict[int, list[SheetRow]] = defaultdict(list)
    for sheet in data.sheets:
        if sheet.judge_id not in judges:
            judges[sheet.judge_id] = JudgeInfo(sheet.judge_id, sheet.judge_name)
        # A submitted sheet missing a criterion has no total and counts as not in.
        if sheet.total is not None:
            cells[(sheet.entry_id, sheet.judge_id)] = sheet.total
            per_entry_sheets[sheet.entry_id].append(sheet)

    entry_ids = set(data.assigned) | {s.entry_id for s in data.sheets}
    summaries = {
        e: stats.summarise_entry([s.total for s in per_entry_sheets[e]], data.assigned.get(e, 0))
        for e in entry_ids
    }
    complete = [e for e, s in summaries.items() if s.complete]
    normalised = stats.normalised_scores(cells, complete, stage.min_entries_for_normalisation)

    rows = []
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
                flagged=summary.sd is not None and summary.sd > float(threshold),
                normalised=normalised.get(entry_id),
                has_moderation_note=entry_id in data.noted,
                judge_totals={s.judge_id: s.total for s in per_entry_sheets[entry_id]},
            )
        )
    if data.means is not None:
        _set_criterion_means(rows, data.criteria, data.means)
    _rank_rows(rows, cells, data.top_means, ladder)

    figures = stats.judge_figures(cells)
    panel = [
        JudgePanelRow(
            judge=judges[j],
            n_entries=f.n_entries,
            mean=f.mean,
            sd=f.sd,
            leniency=f.leniency,
            n_shared=f.n_shared,
            normalisation_ok=f.n_entries >= max(stage.min_entries_for_normalisation, 2),
        )
        for j, f in figures.items()
    ]
    panel.sort(key=lambda p: p.judge.name)

    figure = stats.agreement(cells)
    top, checks = stats.leave_one_judge_out(
        cells, complete, order=[r.entry.id for r in rows if r.score is not None]
    )
    stability = [
        StabilityRow(
            judge=judges[j],
            top=[entries[e] for e in c.top],
            changed=c.changed,
            order_changed=c.order_changed,
            dropped=[entries[e] for e in c.dropped],
            entered=[entries[e] for e in c.entered],
        )
        for j, c in checks.items()
    ]
    stability.sort(key=lambda s: s.judge.name)

    weight_total = sum((c.weight for c in data.criteria), Decimal(0))
    return Leaderboard(
        stage=stage,
        criteria=data.criteria,
        rows=rows,
        judges=panel,
        agreement=AgreementFigure(
            alpha=figure.alpha,
            reading=figure.reading,
            reading_label=reading_label(figure.reading, figure.undefined_reason),
            n_units=figure.n_units,
            n_values=figure.n_values,
            shown=figure.shown,
            undefined_reason=figure.undefined_reason,
        ),
        top=[entries[e] for e in top],
        stability=stability,
        weight_total=weight_total,
        weights_ok=stats.weights_sum_to_100([float(c.weight) for c in data.criteria]),
        threshold=threshold,
        min_entries_for_normalisation=stage.min_entries_for_normalisation,
        sheets=data.sheets,
    )


def _rank_rows(
    rows: list[LeaderboardRow],
    cells: dict[tuple[int, int], float],
    top_means: dict[int, float],
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
    places = stats.first_places(cells)
    ranked = stats.rank_with_ladder(
        [
            stats.RankInput(
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


def stage_leaderboard(
    stage: Stage, *, criterion_means: bool = True, sheet_scores: bool = False
) -> Leaderboard:
    """The leaderboard of one stage: scores, spread, flags, normalised scores, judges
    panel, agreement and the leave-one-judge-out stability check.

    Without ``criterion_means`` every row's ``criterion_means`` stays empty until
    :func:`leaderboard_criterion_means` fills the rows a page shows; with
    ``sheet_scores`` each of ``sheets`` carries its scores and comments. Pass a stage
    fetched with ``select_related("competition")`` to save one query.
    """
    data, entries = _load([stage], criterion_means=criterion_means, sheet_scores=sheet_scores)
    return _build_leaderboard(data[stage.pk], entries)


def leaderboard_criterion_means(board: Leaderboard, rows: Iterable[LeaderboardRow]) -> None:
    """Fill the criterion means of ``rows`` only, in one query: a page of 50 rows need not
    average the scores of 3,500 entries."""
    rows = list(rows)
    means = _criterion_means([board.stage.pk], [r.entry.id for r in rows])
    _set_criterion_means(rows, board.criteria, means[board.stage.pk])


@dataclass
class MatrixCell:
    value: Decimal | None
    comment: str


@dataclass
class MatrixRow:
    """One entry x judge line of the recap: a value per criterion and the sheet total."""

    entry: EntryInfo
    judge: JudgeInfo
    sheet_id: int
    cells: dict[int, MatrixCell]
    total: float | None


@dataclass
class ScoreMatrix:
    stage: Stage
    criteria: list[CriterionInfo]
    rows: list[MatrixRow]


def stage_score_matrix(board: Leaderboard) -> ScoreMatrix:
    """Every submitted score of ``board`` (made with ``sheet_scores``) as entry x judge x
    criterion, for the recap.

    Rows are ordered by entry reference then judge name; ``cells`` is keyed by
    criterion id (order given by ``criteria``); a missing score has ``value=None``.
    """
    entries = {row.entry.id: row.entry for row in board.rows}
    rows = [
        MatrixRow(
            entry=entries[s.entry_id],
            judge=JudgeInfo(s.judge_id, s.judge_name),
            sheet_id=s.id,
            cells={
                c.id: MatrixCell(s.scores.get(c.id), s.comments.get(c.id, ""))
                for c in board.criteria
            },
            total=s.total,
        )
        for s in board.sheets
    ]
    rows.sort(key=lambda r: (r.entry.reference, r.entry.id, r.judge.name, r.judge.id))
    return ScoreMatrix(stage=board.stage, criteria=board.criteria, rows=rows)


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


def _top_criterion(stages: list[Stage], data: dict[int, _StageData]) -> CriterionInfo | None:
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
    data, entries = _load(
        stages, sheet_scores=sheet_scores, recompute_totals=sheet_scores and recompute_totals
    )
    boards = {s.pk: _build_leaderboard(data[s.pk], entries, ladder) for s in stages}
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
        combined = stats.combine_stages(
            {s.pk: {r.entry.id: r.score for r in boards[s.pk].rows} for s in stages},
            {s.pk: float(weights[s.pk]) for s in stages},
        )
    except stats.WeightsError:
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
    places = stats.first_places(all_cells)
    ranked = stats.rank_with_ladder(
        [
            stats.RankInput(
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


@dataclass
class OwnResult:
    """An OPD's part of a published result."""

    ranking: list[dict]  # the OPD's rows of the frozen ranking, with ``title`` and ``score``
    entries: list[Entry]  # all of the OPD's entries that year, ranked or not
    ranked_ids: set[int]


def opd_own_result(user, snapshot: ResultSnapshot) -> OwnResult:
    """The user's OPD's rows of ``snapshot``, read from the frozen payload (one query).

    The payload, not today's scores, is what was announced; another OPD's rows never
    leave this function.
    """
    entries = list(
        Entry.objects.filter(owned_q(user), competition_id=snapshot.competition_id)
        .select_related("innovation")
        .order_by("reference")
    )
    own_ids = {e.pk for e in entries}
    titles = {
        p["entry"]["id"]: PlacementTitle(p["title"]).label
        for p in snapshot.payload["placements"]
        if p["entry"]["id"] in own_ids
    }
    ranking = [
        {
            **row,
            "title": titles.get(row["entry"]["id"], ""),
            "score": Decimal(row["final_score"]),
        }
        for row in snapshot.payload["computed"]["ranking"]
        if row["entry"]["id"] in own_ids
    ]
    return OwnResult(
        ranking=ranking, entries=entries, ranked_ids={r["entry"]["id"] for r in ranking}
    )


@dataclass
class PipelineLevel:
    """The entries forwarded to one level (province or nation) and how far they got."""

    label: str
    forwardings: list[Forwarding]
    steps: list[tuple[str, int]]  # (outcome step label, entries that reached it)


@dataclass
class Pipeline:
    entered: int
    finalists: int
    levels: list[PipelineLevel]

    @property
    def n_forwarded(self) -> int:
        return sum(len(level.forwardings) for level in self.levels)


def forwarding_pipeline(competition: Competition) -> Pipeline:
    """A year's path from the city to province and nation, in three queries."""
    counts = Entry.objects.filter(competition=competition).aggregate(
        entered=Count("pk", filter=Q(status__in=EntryStatus.ENTERED)),
        finalists=Count("pk", filter=Q(status=EntryStatus.FINALIST)),
    )
    forwardings = (
        Forwarding.objects.filter(entry__competition=competition)
        .select_related("entry__innovation", "entry__agency", "round")
        .prefetch_related(
            Prefetch("outcomes", queryset=Outcome.objects.order_by("occurred_on", "pk"))
        )
        .order_by("level", "round__name", "entry__reference")
    )
    by_level: dict[str, list[Forwarding]] = {}
    for forwarding in forwardings:
        # A forwarding to a target round is listed under the round's name.
        label = forwarding.round.name if forwarding.round else forwarding.get_level_display()
        by_level.setdefault(label, []).append(forwarding)
    levels = [
        PipelineLevel(
            label=label,
            forwardings=fws,
            steps=[
                (step_label, sum(1 for fw in fws if any(o.step == step for o in fw.outcomes.all())))
                for step, step_label in OutcomeStep.choices
            ],
        )
        for label, fws in by_level.items()
    ]
    return Pipeline(entered=counts["entered"], finalists=counts["finalists"], levels=levels)
