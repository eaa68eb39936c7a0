"""“One agency one innovation”: which active OPDs have entered this year, and which not.

An OPD counts as having entered when it has at least one entry in `EntryStatus.ENTERED`
(past draft: a returned or failed entry still counts, because the OPD did take part, what
the rule asks; a draft does not, because nothing reached Bagian Organisasi). Each agency (a
puskesmas or UPT included) is counted on its own entries, not its parent's.
"""

from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from competition.models import Competition, ComplianceReminder, EntryStatus
from opd.models import Agency, AgencyKind, Approval, Role, User


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
            entered=Count("entries", filter=this_year & Q(entries__status__in=EntryStatus.ENTERED)),
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


# Why an agency that has not entered gets no reminder e-mail.
NO_ACCOUNT = "no_account"
PENDING = "pending"
NOT_ACTIVE = "not_active"
NO_EMAIL = "no_email"
REMINDED_TODAY = "reminded_today"

UNREACHABLE_REASONS = {
    NO_ACCOUNT: _("Belum ada akun staf OPD."),
    PENDING: _("Akun staf masih menunggu persetujuan."),
    NOT_ACTIVE: _("Akun staf ditolak atau dinonaktifkan."),
    NO_EMAIL: _("Akun staf tidak memiliki alamat e-mail."),
    REMINDED_TODAY: _("Semua stafnya sudah diingatkan hari ini."),
}


@dataclass
class Unreachable:
    agency: Agency
    reason: str

    @property
    def reason_label(self) -> str:
        return str(UNREACHABLE_REASONS[self.reason])


@dataclass
class ReminderReach:
    """Who a reminder sent now would reach, and which agencies it would not, and why."""

    recipients: int = 0
    agencies: int = 0
    unreachable: list[Unreachable] = field(default_factory=list)


def reminder_reach(*, competition: Competition, agencies, today) -> ReminderReach:
    """For the agencies that have not entered, the staff a reminder would go to (the same
    rule as ``compliance_send_reminders``: active OPD staff with an e-mail address, not yet
    reminded today) and, for each agency nobody there would hear from, the reason. Two
    queries."""
    agencies = list(agencies)
    reminded = set(
        ComplianceReminder.objects.filter(competition=competition, sent_on=today).values_list(
            "recipient_id", flat=True
        )
    )
    staff: dict[int, list[tuple]] = {}
    for row in User.objects.filter(
        agency_id__in=[a.pk for a in agencies], role=Role.OPD_STAFF
    ).values_list("agency_id", "pk", "is_active", "approval", "email"):
        staff.setdefault(row[0], []).append(row[1:])
    reach = ReminderReach()
    for agency in agencies:
        people = staff.get(agency.pk, [])
        active = [p for p in people if p[1]]
        with_email = [p for p in active if p[3]]
        due = [p for p in with_email if p[0] not in reminded]
        if due:
            reach.recipients += len(due)
            reach.agencies += 1
            continue
        if not people:
            reason = NO_ACCOUNT
        elif not active:
            reason = PENDING if any(p[2] == Approval.PENDING for p in people) else NOT_ACTIVE
        elif not with_email:
            reason = NO_EMAIL
        else:
            reason = REMINDED_TODAY
        reach.unreachable.append(Unreachable(agency=agency, reason=reason))
    return reach
