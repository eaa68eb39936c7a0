"""The organiser's dashboard for one year, read in a fixed number of queries.

Every figure is a count or a distribution the organiser can also find on the lists
(entries, screening, judging, results); the dashboard only puts them side by side.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from competition import stats
from competition.models import (
    Assignment,
    Award,
    AwardLevel,
    Category,
    Competition,
    Criterion,
    Entry,
    EntryStatus,
    Forwarding,
    Placement,
    PlacementTitle,
    ResultSnapshot,
    Score,
    ScoreSheet,
    SheetStatus,
    Stage,
)
from opd.models import AgencyKind, Role, User

# Sheet totals lie on 0-100; the histogram has ten buckets of ten points.
BUCKET_WIDTH = 10


@dataclass(frozen=True)
class Bar:
    label: str
    value: int


@dataclass(frozen=True)
class StageProgress:
    stage: Stage
    assigned: int
    submitted: int
    drafts: int

    @property
    def not_started(self) -> int:
        return max(self.assigned - self.submitted - self.drafts, 0)

    @property
    def percent(self) -> int:
        return round(100 * self.submitted / self.assigned) if self.assigned else 0


@dataclass(frozen=True)
class StageHistogram:
    stage: Stage
    bars: list[Bar]
    sheets: int


@dataclass(frozen=True)
class YearRow:
    year: int
    entries: int
    agencies: int
    province_awards: int
    national_awards: int


@dataclass
class Dashboard:
    competition: Competition
    funnel: list[Bar]
    by_agency_kind: list[Bar]
    by_category: list[Bar]
    histograms: list[StageHistogram]
    judging: list[StageProgress]
    years: list[YearRow]
    chart_data: dict = field(default_factory=dict)


def histogram(values, width: int = BUCKET_WIDTH, top: int = 100) -> list[Bar]:
    """Counts of ``values`` in buckets ``[0, width)``, ... with ``top`` in the last one."""
    edges = list(range(0, top, width))
    counts = Counter(min(int(value // width) * width, edges[-1]) for value in values)
    return [
        Bar(f"{low}-{low + width if low + width < top else top}", counts.get(low, 0))
        for low in edges
    ]


def competition_dashboard(competition: Competition) -> Dashboard:
    """Everything the dashboard page shows for ``competition``'s year."""
    entries = Entry.objects.filter(competition=competition)
    by_status = dict(entries.values_list("status").annotate(n=Count("id")))
    submitted = sum(by_status.get(status, 0) for status in EntryStatus.ENTERED)
    latest_version = (
        ResultSnapshot.objects.filter(competition=competition)
        .order_by("-version")
        .values("version")[:1]
    )
    winners = Placement.objects.filter(
        snapshot__competition=competition,
        snapshot__version=Subquery(latest_version),
        title__in=PlacementTitle.JUARA,
    ).count()
    scored = entries.filter(sheets__status=SheetStatus.SUBMITTED).values("pk").distinct().count()
    forwarded = (
        Forwarding.objects.filter(entry__competition=competition)
        .values("entry_id")
        .distinct()
        .count()
    )
    registered = User.objects.filter(role=Role.OPD_STAFF, is_active=True).count()
    funnel = [
        Bar(_("Staf OPD terdaftar"), registered),
        Bar(_("Draf"), by_status.get(EntryStatus.DRAFT, 0)),
        Bar(_("Dikirim"), submitted),
        Bar(
            _("Lolos seleksi administrasi"),
            sum(by_status.get(status, 0) for status in EntryStatus.SCREENED_IN),
        ),
        Bar(_("Sudah dinilai"), scored),
        Bar(_("Finalis"), by_status.get(EntryStatus.FINALIST, 0)),
        Bar(_("Juara"), winners),
        Bar(_("Diteruskan"), forwarded),
    ]

    entered = entries.entered()
    kind_counts = dict(entered.values_list("agency__kind").annotate(n=Count("id")))
    by_agency_kind = [
        Bar(str(label), kind_counts[value])
        for value, label in AgencyKind.choices
        if kind_counts.get(value)
    ]
    by_category = [
        Bar(name, n)
        for name, n in Category.objects.filter(competition=competition)
        .annotate(
            n=Count("entries", filter=Q(entries__status__in=EntryStatus.ENTERED), distinct=True)
        )
        .values_list("name", "n")
    ]

    stages = list(
        Stage.objects.filter(competition=competition)
        .annotate(
            n_assigned=_per_stage(Assignment.objects.all()),
            n_submitted=_per_stage(ScoreSheet.objects.filter(status=SheetStatus.SUBMITTED)),
            n_drafts=_per_stage(ScoreSheet.objects.filter(status=SheetStatus.DRAFT)),
        )
        .order_by("order")
    )
    judging = [
        StageProgress(stage, stage.n_assigned, stage.n_submitted, stage.n_drafts)
        for stage in stages
    ]
    histograms = _histograms(competition, stages)
    years = _years()
    dashboard = Dashboard(
        competition=competition,
        funnel=funnel,
        by_agency_kind=by_agency_kind,
        by_category=by_category,
        histograms=histograms,
        judging=judging,
        years=years,
    )
    dashboard.chart_data = _chart_data(dashboard)
    return dashboard


def _per_stage(rows):
    """Count ``rows`` of each stage in a subquery of its own.

    Counting assignments and sheets through joins on one query multiplies them: at
    national scale (3,500 entries, 3 judges) that is over a hundred million joined rows.
    """
    counted = rows.filter(stage=OuterRef("pk")).values("stage").annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n")), 0)


def _histograms(competition, stages) -> list[StageHistogram]:
    """The distribution of submitted sheets' weighted totals, per stage (two queries)."""
    criteria = defaultdict(list)
    for criterion in Criterion.objects.filter(stage__competition=competition):
        criteria[criterion.stage_id].append(
            stats.CriterionSpec(
                key=criterion.pk,
                max_score=float(criterion.max_score),
                weight=float(criterion.weight),
            )
        )
    sheets = defaultdict(dict)
    stage_of = {}
    rows = Score.objects.filter(
        sheet__stage__competition=competition, sheet__status=SheetStatus.SUBMITTED
    ).values_list("sheet_id", "sheet__stage_id", "criterion_id", "value")
    for sheet_id, stage_id, criterion_id, value in rows:
        sheets[sheet_id][criterion_id] = float(value)
        stage_of[sheet_id] = stage_id
    totals = defaultdict(list)
    for sheet_id, scores in sheets.items():
        total = stats.sheet_total(scores, criteria[stage_of[sheet_id]])
        if total is not None:
            totals[stage_of[sheet_id]].append(total)
    return [
        StageHistogram(stage, histogram(totals[stage.pk]), len(totals[stage.pk]))
        for stage in stages
    ]


def _years() -> list[YearRow]:
    """Participation and awards above the city, year by year (two queries)."""
    participation = {
        year: (n, agencies)
        for year, n, agencies in Entry.objects.entered()
        .values_list("competition__year")
        .annotate(n=Count("id"), agencies=Count("agency", distinct=True))
        .values_list("competition__year", "n", "agencies")
    }
    awards = defaultdict(Counter)
    for year, level, n in (
        Award.objects.filter(level__in=AwardLevel.FORWARDED)
        .values_list("year", "level")
        .annotate(n=Count("id"))
        .values_list("year", "level", "n")
    ):
        awards[year][level] = n
    return [
        YearRow(
            year=year,
            entries=participation.get(year, (0, 0))[0],
            agencies=participation.get(year, (0, 0))[1],
            province_awards=awards[year][AwardLevel.PROVINCE],
            national_awards=awards[year][AwardLevel.NATIONAL],
        )
        for year in sorted(set(participation) | set(awards))
    ]


def _chart_data(dashboard: Dashboard) -> dict:
    """The numbers of every chart, for ``json_script``; the tables show the same."""

    def bars(items):
        return {"labels": [b.label for b in items], "values": [b.value for b in items]}

    return {
        "funnel": bars(dashboard.funnel),
        "agency_kind": bars(dashboard.by_agency_kind),
        "category": bars(dashboard.by_category),
        "histograms": {str(h.stage.pk): bars(h.bars) for h in dashboard.histograms},
        "judging": {
            "labels": [p.stage.name for p in dashboard.judging],
            "series": [
                {"label": _("Dikirim"), "values": [p.submitted for p in dashboard.judging]},
                {"label": _("Draf"), "values": [p.drafts for p in dashboard.judging]},
                {
                    "label": _("Belum dimulai"),
                    "values": [p.not_started for p in dashboard.judging],
                },
            ],
        },
        "years": {
            "labels": [str(y.year) for y in dashboard.years],
            "series": [
                {"label": _("Proposal"), "values": [y.entries for y in dashboard.years]},
                {"label": _("OPD peserta"), "values": [y.agencies for y in dashboard.years]},
                {
                    "label": _("Penghargaan provinsi"),
                    "values": [y.province_awards for y in dashboard.years],
                },
                {
                    "label": _("Penghargaan nasional"),
                    "values": [y.national_awards for y in dashboard.years],
                },
            ],
        },
    }
