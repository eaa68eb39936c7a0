"""“One agency one innovation”: which active OPDs have entered this year, and which not.

An OPD counts as having entered when it has at least one entry past draft: submitted,
returned for revision, passed, failed or finalist. A returned or failed entry still
counts, because the OPD did take part (what the rule asks); a draft does not, because
nothing reached Bagian Organisasi. Each agency (a puskesmas or UPT included) is counted
on its own entries, not its parent's.
"""

from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from competition.models import Competition, ComplianceReminder, EntryStatus
from opd.models import Agency, AgencyKind

COUNTED_STATUSES = (
    EntryStatus.SUBMITTED,
    EntryStatus.RETURNED,
    EntryStatus.PASSED,
    EntryStatus.FAILED,
    EntryStatus.FINALIST,
)


@dataclass
class KindSummary:
    kind: str
    label: str
    agencies: int = 0
    entered: int = 0
    entries: int = 0

    @property
    def missing(self) -> int:
        return self.agencies - self.entered


@dataclass
class ComplianceReport:
    competition: Competition
    agencies: list[Agency]
    by_kind: list[KindSummary] = field(default_factory=list)
    total_agencies: int = 0
    entered_agencies: int = 0
    total_entries: int = 0

    @property
    def missing_agencies(self) -> int:
        return self.total_agencies - self.entered_agencies

    @property
    def missing(self) -> list[Agency]:
        return [a for a in self.agencies if not a.entered]


def agencies_with_counts(*, competition: Competition) -> QuerySet[Agency]:
    """Active agencies annotated with ``entered`` (entries past draft), ``drafts`` and
    ``last_reminded`` (the day of the latest reminder e-mail, or None)."""
    this_year = Q(entries__competition=competition)
    last_reminder = (
        ComplianceReminder.objects.filter(competition=competition, agency=OuterRef("pk"))
        .order_by("-sent_on")
        .values("sent_on")[:1]
    )
    return (
        Agency.objects.active()
        .select_related("parent")
        .annotate(
            entered=Count("entries", filter=this_year & Q(entries__status__in=COUNTED_STATUSES)),
            drafts=Count("entries", filter=this_year & Q(entries__status=EntryStatus.DRAFT)),
            last_reminded=Subquery(last_reminder),
        )
        .order_by("name")
    )


def agencies_without_entry(*, competition: Competition) -> QuerySet[Agency]:
    """Active agencies with no entry past draft in ``competition``."""
    return agencies_with_counts(competition=competition).filter(entered=0)


def compliance_report(*, competition: Competition) -> ComplianceReport:
    """Every active agency with its count, per-kind summaries and totals, in one query."""
    agencies = list(agencies_with_counts(competition=competition))
    kinds: dict[str, KindSummary] = {}
    for agency in agencies:
        summary = kinds.setdefault(
            agency.kind, KindSummary(agency.kind, AgencyKind(agency.kind).label)
        )
        summary.agencies += 1
        summary.entered += 1 if agency.entered else 0
        summary.entries += agency.entered
    order = {value: i for i, value in enumerate(AgencyKind.values)}
    return ComplianceReport(
        competition=competition,
        agencies=agencies,
        by_kind=sorted(kinds.values(), key=lambda s: order.get(s.kind, len(order))),
        total_agencies=len(agencies),
        entered_agencies=sum(1 for a in agencies if a.entered),
        total_entries=sum(a.entered for a in agencies),
    )
