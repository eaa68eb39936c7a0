"""The shared read behind every result view: a stage's criteria, submitted sheets,
assignment counts, moderation notes and entries, loaded in a fixed number of queries
however many entries, judges and sheets there are, as plain dataclasses. Only
*submitted* sheets count; drafts are invisible here. Also the words the result pages
use for the tie-break rungs and the agreement readings.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from operator import itemgetter
from types import MappingProxyType

from django.db.models import Avg, Count
from django.db.models.fields.json import KT
from django.utils.translation import gettext as _

from competition import stats
from competition.models import (
    Assignment,
    Criterion,
    Entry,
    ModerationNote,
    Score,
    ScoreSheet,
    SheetStatus,
    Stage,
)

RUNG_LABELS = {
    stats.RUNG_TOP_CRITERION: lambda: _("nilai lebih tinggi pada kriteria berbobot terbesar"),
    stats.RUNG_FIRST_PLACES: lambda: _("lebih banyak peringkat pertama dari juri"),
    stats.RUNG_CHAIR_DECISION: lambda: _("keputusan ketua dewan juri"),
}

_NO_SCORES: Mapping[int, Decimal] = MappingProxyType({})

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


@dataclass(slots=True)
class SheetRow:
    """One submitted sheet with its weighted total, and its scores (criterion id -> value)
    when loaded with ``sheet_scores``."""

    id: int
    entry_id: int
    judge_id: int
    judge_name: str
    scores: Mapping[int, Decimal]
    total: float | None


@dataclass(slots=True)
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
class StageData:
    stage: Stage
    criteria: list[CriterionInfo]
    sheets: list[SheetRow]
    assigned: dict[int, int]
    noted: set[int]
    # None when not loaded: the leaderboard page asks for its own page's rows only.
    means: dict[int, dict[int, float]] | None
    # entry id -> mean on the stage's highest-weighted criterion: the ladder's first rung.
    # None when not loaded: the leaderboard asks for the entries level on score only.
    top_means: dict[int, float] | None = field(default_factory=dict)


def _entry_infos(competition_ids: set[int], entry_ids: set[int]) -> dict[int, EntryInfo]:
    """One query of plain values: model instances (and an innovation's long texts) for
    thousands of entries cost more than the whole leaderboard arithmetic. Filtered by
    competition, not by thousands of ids in an ``IN`` list."""
    rows = (
        Entry.objects.filter(competition_id__in=competition_ids)
        .order_by()
        .values_list(
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
            # As text: decoding 7,000 JSON values per national leaderboard costs time.
            KT("facts__title"),
            KT("facts__brand_name"),
        )
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


def load_stage_data(
    stages: list[Stage],
    *,
    sheet_scores: bool = False,
    criterion_means: bool = True,
    top_criterion_means: bool = True,
    recompute_totals: bool = False,
) -> tuple[dict[int, StageData], dict[int, EntryInfo]]:
    """Six queries for any number of stages, entries and sheets, one more with
    ``sheet_scores`` (every score: the recap and the frozen snapshot). The sixth
    averages each entry's scores per criterion in the database: every criterion with
    ``criterion_means``, else only each stage's highest-weighted one (the first rung of
    the tie-break ladder), and none without ``top_criterion_means`` either (each
    ``top_means`` is then ``None``).

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
        ScoreSheet.objects.filter(stage_id__in=stage_ids, status=SheetStatus.SUBMITTED)
        .order_by()
        .values_list("pk", "stage_id", "entry_id", "judge_id", "judge__full_name", "total"),
        key=itemgetter(2, 4, 0),  # entry, judge name, pk
    )
    sheets: dict[int, SheetRow] = {}
    per_stage: dict[int, list[SheetRow]] = defaultdict(list)
    for pk, stage_id, entry_id, judge_id, judge_name, total in rows:
        # Without sheet_scores, one shared empty mapping: 10,000 empty dicts cost time.
        sheet = SheetRow(
            pk, entry_id, judge_id, judge_name, {} if sheet_scores else _NO_SCORES, total
        )
        sheets[pk] = sheet
        per_stage[stage_id].append(sheet)
    if sheet_scores:
        for sheet_id, criterion_id, value in (
            Score.objects.filter(sheet__stage_id__in=stage_ids, sheet__status=SheetStatus.SUBMITTED)
            .order_by()
            .values_list("sheet_id", "criterion_id", "value")
        ):
            sheets[sheet_id].scores[criterion_id] = value
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
    means = load_criterion_means(stage_ids) if criterion_means else None
    tops = {sid: stage_top_criterion(cs) for sid, cs in criteria.items()}
    if means is not None:
        top_means = means
    elif top_criterion_means:
        top_means = load_criterion_means(
            stage_ids, criterion_ids=[c.id for c in tops.values() if c]
        )
    else:
        top_means = None

    entry_ids = {s.entry_id for s in sheets.values()}
    for counts in assigned.values():
        entry_ids.update(counts)
    entries = _entry_infos({s.competition_id for s in stages}, entry_ids)

    data = {
        stage.pk: StageData(
            stage=stage,
            criteria=criteria[stage.pk],
            sheets=per_stage[stage.pk],
            assigned=assigned[stage.pk],
            noted=noted[stage.pk],
            means=None if means is None else means[stage.pk],
            top_means=None
            if top_means is None
            else _top_means(tops.get(stage.pk), top_means[stage.pk]),
        )
        for stage in stages
    }
    return data, entries


def read_level_top_means(data: Mapping[int, StageData], level: Mapping[int, Iterable[int]]) -> None:
    """Set each stage's ``top_means`` (stage id -> its data) to the means on its
    highest-weighted criterion of the entries ``level`` names for it, in one query for
    every stage, none when no entry is named. The entries named are those level with
    another on score as shown: only they reach the ladder's first rung, a few hundred of
    a national stage's 3,500, so averaging the criterion over every sheet is wasted."""
    tops = {stage_id: stage_top_criterion(d.criteria) for stage_id, d in data.items()}
    wanted = {e for stage_id, entry_ids in level.items() if tops.get(stage_id) for e in entry_ids}
    means = (
        load_criterion_means(list(data), wanted, [c.id for c in tops.values() if c])
        if wanted
        else {}
    )
    for stage_id, d in data.items():
        d.top_means = _top_means(tops[stage_id], means.get(stage_id, {}))


def _top_means(top: CriterionInfo | None, means: dict[int, dict[int, float]]) -> dict[int, float]:
    """entry id -> its mean on ``top``, the stage's highest-weighted criterion."""
    if top is None:
        return {}
    return {entry_id: m[top.id] for entry_id, m in means.items() if top.id in m}


def stage_top_criterion(criteria: list[CriterionInfo]) -> CriterionInfo | None:
    """The stage's highest-weighted criterion (the earlier on equal weight)."""
    best = None
    for c in criteria:
        if best is None or c.weight > best.weight:
            best = c
    return best


def load_criterion_means(
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
