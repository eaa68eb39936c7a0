"""Reads about judging: who may score what, a judge's desk, a stage's progress and sheets.

Every function here runs a fixed number of queries however many rows there are.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from competition.models import (
    Assignment,
    ConflictDeclaration,
    Criterion,
    Entry,
    EntryStatus,
    Score,
    ScoreSheet,
    SheetStatus,
    Stage,
    StageKind,
)
from opd.models import Agency, Role, User

# The status a judge sees for an assignment that has no sheet yet.
NOT_STARTED = "not_started"


def stage_eligible_statuses(stage: Stage) -> list[str]:
    """Desk evaluation scores entries that passed screening; later stages, finalists."""
    if stage.kind == StageKind.DESK:
        return [EntryStatus.PASSED]
    return [EntryStatus.FINALIST]


def stage_eligible_entries(stage: Stage) -> QuerySet[Entry]:
    return Entry.objects.filter(
        competition_id=stage.competition_id, status__in=stage_eligible_statuses(stage)
    )


def judges_available() -> QuerySet[User]:
    return User.objects.filter(role=Role.JUDGE, is_active=True).order_by("full_name")


def _agency_circles() -> dict[int, set[int]]:
    """Each agency's circle (itself, parent, children) from one query."""
    rows = list(Agency.objects.values_list("pk", "parent_id"))
    circles: dict[int, set[int]] = {pk: {pk} for pk, _parent in rows}
    for pk, parent_id in rows:
        if parent_id is not None:
            circles[pk].add(parent_id)
            circles.setdefault(parent_id, {parent_id}).add(pk)
    return circles


def conflict_pairs(*, entries, judges) -> dict[tuple[int, int], str]:
    """(entry id, judge id) pairs that must never be assigned, with the reason.

    A judge who works for an agency may not score that agency's entries nor those of
    its parent or child units; a judge who declared a conflict with an entry (in any
    stage) is out for good. Two queries.
    """
    entries = list(entries)
    judges = list(judges)
    circles = _agency_circles()
    pairs: dict[tuple[int, int], str] = {}
    for judge in judges:
        if judge.agency_id is None:
            continue
        circle = circles.get(judge.agency_id, {judge.agency_id})
        for entry in entries:
            if entry.agency_id in circle:
                pairs[(entry.pk, judge.pk)] = "agency"
    declared = ConflictDeclaration.objects.filter(
        has_conflict=True,
        entry_id__in=[e.pk for e in entries],
        judge_id__in=[j.pk for j in judges],
    ).values_list("entry_id", "judge_id")
    for pair in declared:
        pairs[pair] = "declared"
    return pairs


def unique_row(queryset):
    """The one row of a lookup by a unique key, or None: unordered, unlike ``first()``,
    whose ordering makes Django hash every selected column."""
    return next(iter(queryset.order_by()[:1]), None)


# What the desk shows of an assignment, read with it.
DESK_RELATED = ("stage", "entry__innovation", "entry__category", "entry__agency")
# What "Penilaian saya" prints of each row and sorts its filters by: the rest of the five
# rows (an entry's frozen facts among them) is left unread.
DESK_LISTED = (
    "stage__name",
    "stage__order",
    "stage__closes_at",
    "entry__reference",
    "entry__innovation__title",
    "entry__category__name",
    "entry__category__order",
    "entry__category__competition",
    "entry__agency__name",
    "entry__agency__short_name",
    "judge",
)
# What a desk page shows of its one assignment (the declaration and the scoring page):
# the stage, the entry's frozen facts or, before them, its innovation's, its OPD and
# category; the rest of the six rows is left unread.
DESK_SHOWN = (
    "judge",
    "stage__name",
    "stage__order",
    "stage__kind",
    "stage__opens_at",
    "stage__closes_at",
    "stage__closed_at",
    "stage__competition",
    "entry__reference",
    "entry__status",
    "entry__video_url",
    "entry__facts",
    # JudgedFacts.live: the innovation as it is, while the entry has no frozen facts.
    "entry__innovation__title",
    "entry__innovation__brand_name",
    "entry__innovation__brand_long_form",
    "entry__innovation__started_on",
    "entry__innovation__trial_on",
    "entry__innovation__stage",
    "entry__innovation__form",
    "entry__innovation__is_digital",
    "entry__innovation__is_application",
    "entry__innovation__initiator",
    "entry__category__name",
    "entry__agency__name",
)

# An assignment's annotations and the desk's reads are built once, at import: a query
# copies an expression to resolve it and filtering copies a queryset, and neither is
# changed or evaluated itself; building them anew cost 0.3-1 ms of CPU a request.
# The judge declared no conflict with the assignment's entry in its stage:
DECLARED_NO_CONFLICT = Exists(
    ConflictDeclaration.objects.filter(
        stage_id=OuterRef("stage_id"),
        entry_id=OuterRef("entry_id"),
        judge_id=OuterRef("judge_id"),
        has_conflict=False,
    )
)
# The status of the judge's sheet (one at most per stage, entry and judge; None before it):
SHEET_STATUS = Subquery(
    ScoreSheet.objects.filter(
        stage_id=OuterRef("stage_id"), entry_id=OuterRef("entry_id"), judge_id=OuterRef("judge_id")
    )
    .order_by()
    .values("status")[:1]
)
_LIST_READ = Assignment.objects.annotate(
    raw_sheet_status=SHEET_STATUS, declared=DECLARED_NO_CONFLICT
).select_related(*DESK_RELATED)
_LISTED_READ = _LIST_READ.only(*DESK_LISTED).alias(
    desk_status=Coalesce("raw_sheet_status", Value(NOT_STARTED), output_field=CharField()),
    status_order=Case(
        When(raw_sheet_status=SheetStatus.SUBMITTED, then=Value(2)),
        When(raw_sheet_status=SheetStatus.DRAFT, then=Value(1)),
        default=Value(0),
    ),
)
_PAGE_READ = (
    Assignment.objects.annotate(declared=DECLARED_NO_CONFLICT)
    .select_related(*DESK_RELATED)
    .only(*DESK_SHOWN)
)
_WRITE_READ = Assignment.objects.annotate(declared=DECLARED_NO_CONFLICT).select_related("stage")


def judge_desk_assignments(judge: User, now=None) -> QuerySet[Assignment]:
    """The judge's own assignments that can be worked on now, with sheet status.

    Open stages, plus sheets the organiser reopened after a stage closed. Annotated with
    ``raw_sheet_status`` (None before the first save, ``draft``, ``submitted``) and
    ``declared`` (True once the judge declared no conflict).
    """
    return _LIST_READ.filter(judge=judge).workable(now)


def judge_desk_list(judge: User, now=None) -> QuerySet[Assignment]:
    """``judge_desk_assignments(judge)`` as "Penilaian saya" reads it: only the fields it
    prints (``DESK_LISTED``), and the sheet's status aliased to filter and sort by:
    ``desk_status`` (``not_started`` before the first save) and ``status_order``
    (not started, draft, submitted)."""
    return _LISTED_READ.filter(judge=judge).workable(now)


def judge_desk_assignment(
    judge: User, assignment_id: int, now=None, *, page: bool = True
) -> Assignment | None:
    """One assignment as ``judge_desk_assignments(judge)`` lists it (``declared``
    annotated), or None when the desk does not list it now: with what its page shows
    (``DESK_SHOWN``), or, ``page=False``, with its stage alone, for a write answered by a
    redirect.

    Read by its primary key; the desk's rule is ``ScoreSheet.judge_may_edit``, the twin of
    ``workable``, applied in Python: one query while the stage is open, and one more for
    the judge's sheet after it closed, when only a reopened sheet keeps it.
    """
    now = now or timezone.now()
    reads = _PAGE_READ if page else _WRITE_READ
    assignment = unique_row(reads.filter(pk=assignment_id, judge=judge))
    if assignment is None or assignment.stage.is_open(now):
        return assignment
    sheet = unique_row(
        ScoreSheet.objects.filter(
            stage_id=assignment.stage_id, entry_id=assignment.entry_id, judge=judge
        )
    )
    return assignment if ScoreSheet.judge_may_edit(assignment.stage, sheet, now) else None


@dataclass
class JudgeProgress:
    judge: User
    assigned: int = 0
    draft: int = 0
    submitted: int = 0

    @property
    def percent_done(self) -> int:
        return round(100 * self.submitted / self.assigned) if self.assigned else 0


@dataclass
class EntryProgress:
    entry: Entry
    assigned: int = 0
    submitted: int = 0
    judges: list[str] = field(default_factory=list)


@dataclass
class StageProgress:
    stage: Stage
    judges: list[JudgeProgress]
    entries: list[EntryProgress]
    below_k: list[EntryProgress]

    @property
    def total_assigned(self) -> int:
        return sum(j.assigned for j in self.judges)

    @property
    def total_submitted(self) -> int:
        return sum(j.submitted for j in self.judges)

    @property
    def percent_done(self) -> int:
        total = self.total_assigned
        return round(100 * self.total_submitted / total) if total else 0


def stage_progress(stage: Stage) -> StageProgress:
    """Per judge assigned / draft / submitted, per entry sheets in out of assigned.

    Only sheets that belong to a live assignment count. Four queries.
    """
    assignments = list(Assignment.objects.filter(stage=stage).values_list("entry_id", "judge_id"))
    sheets = {
        (e, j): status
        for e, j, status in ScoreSheet.objects.filter(stage=stage).values_list(
            "entry_id", "judge_id", "status"
        )
    }
    judge_ids = {j for _, j in assignments}
    judges = {u.pk: u for u in User.objects.filter(pk__in=judge_ids).order_by("full_name")}
    entries = {
        e.pk: e
        for e in (stage_eligible_entries(stage) | Entry.objects.filter(assignments__stage=stage))
        .distinct()
        .select_related("innovation", "agency", "category")
        .order_by("reference", "pk")
    }
    per_judge = {pk: JudgeProgress(judge=u) for pk, u in judges.items()}
    per_entry = {pk: EntryProgress(entry=e) for pk, e in entries.items()}
    for entry_id, judge_id in assignments:
        status = sheets.get((entry_id, judge_id))
        jp = per_judge[judge_id]
        ep = per_entry[entry_id]
        jp.assigned += 1
        ep.assigned += 1
        ep.judges.append(judges[judge_id].full_name)
        if status == SheetStatus.SUBMITTED:
            jp.submitted += 1
            ep.submitted += 1
        elif status == SheetStatus.DRAFT:
            jp.draft += 1
    entry_rows = list(per_entry.values())
    below = [
        ep
        for ep in entry_rows
        if ep.assigned < stage.judges_per_entry
        and ep.entry.status in stage_eligible_statuses(stage)
    ]
    return StageProgress(
        stage=stage, judges=list(per_judge.values()), entries=entry_rows, below_k=below
    )


def judges_with_unfinished_sheets(stage: Stage) -> dict[User, list[Assignment]]:
    """For reminders: each judge and the assignments without a submitted sheet."""
    submitted = ScoreSheet.objects.filter(
        stage_id=OuterRef("stage_id"),
        entry_id=OuterRef("entry_id"),
        judge_id=OuterRef("judge_id"),
        status=SheetStatus.SUBMITTED,
    )
    rows = (
        Assignment.objects.filter(stage=stage, judge__is_active=True)
        .exclude(Exists(submitted))
        .select_related("judge", "entry__innovation")
        .order_by("judge__full_name", "entry__reference")
    )
    grouped: dict[User, list[Assignment]] = defaultdict(list)
    for a in rows:
        grouped[a.judge].append(a)
    return dict(grouped)


@dataclass
class MissingSheets:
    """One judge's assignments in a stage whose sheet is not submitted (draft or none)."""

    judge: User
    assignments: list[Assignment]

    @property
    def n_drafts(self) -> int:
        return sum(1 for a in self.assignments if a.sheet_status == SheetStatus.DRAFT)


def stage_missing_sheets(stage: Stage) -> list[MissingSheets]:
    """Per judge (active or not), the sheets a stage still lacks: what closing it would
    leave out. One query."""
    sheet = ScoreSheet.objects.filter(
        stage_id=OuterRef("stage_id"), entry_id=OuterRef("entry_id"), judge_id=OuterRef("judge_id")
    )
    rows = (
        Assignment.objects.filter(stage=stage)
        .exclude(Exists(sheet.filter(status=SheetStatus.SUBMITTED)))
        .annotate(sheet_status=Subquery(sheet.values("status")[:1]))
        .select_related("judge", "entry__innovation")
        .order_by("judge__full_name", "judge_id", "entry__reference", "entry_id")
    )
    grouped: dict[int, MissingSheets] = {}
    for a in rows:
        grouped.setdefault(a.judge_id, MissingSheets(judge=a.judge, assignments=[]))
        grouped[a.judge_id].assignments.append(a)
    return list(grouped.values())


def judge_closed_stages(judge: User) -> QuerySet[Stage]:
    """Closed stages in which the judge has assignments, latest closing first: the desk
    says when they closed instead of showing an empty list (their name, year and closing
    time are read, nothing else)."""
    return (
        Stage.objects.filter(closed_at__isnull=False, assignments__judge=judge)
        .distinct()
        .select_related("competition")
        .only("name", "closed_at", "competition__year")
        .order_by("-closed_at")
    )


def judge_loads(stage: Stage) -> dict[int, int]:
    return dict(
        Assignment.objects.filter(stage=stage)
        .values("judge_id")
        .annotate(n=Count("pk"))
        .values_list("judge_id", "n")
    )


# --- Audit ------------------------------------------------------------------------------

AUDITED = [
    (Assignment, ()),  # created or deleted: who and when is the whole story
    (ConflictDeclaration, ("has_conflict", "reason")),
    (ScoreSheet, ("status", "general_comment", "submitted_at", "reopened_at", "reopen_reason")),
    (Score, ("value", "comment")),
]


HISTORY_ACTIONS = {"+": _("dibuat"), "~": _("diubah"), "-": _("dihapus")}


@dataclass
class AuditRow:
    at: object
    who: object
    what: str
    action: str
    entry_id: int | None
    judge_id: int | None
    subject: str
    changes: list[tuple[str, object, object]]
    reason: str


def _field_label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _shown(model, name: str, value):
    """A value as the organiser reads it: choice labels, ya/tidak, no raw codes."""
    if value is None or value == "":
        return None
    field = model._meta.get_field(name)
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    return value


def judging_audit(*, entry: Entry | None = None, judge: User | None = None) -> list[AuditRow]:
    """Every recorded change to assignments, declarations, sheets and scores, newest first.

    Filtered by entry or by judge; old → new values are worked out by comparing each
    record with the previous one of the same object. Six queries.
    """
    sheet_filter = {"entry_id": entry.pk} if entry else {"judge_id": judge.pk}
    sheet_ids = set(
        ScoreSheet.history.filter(**sheet_filter).values_list("id", flat=True).distinct()
    )
    records: list[tuple[object, object]] = []
    for model, _fields in AUDITED:
        qs = model.history.select_related("history_user")
        qs = qs.filter(sheet_id__in=sheet_ids) if model is Score else qs.filter(**sheet_filter)
        records.extend((model, r) for r in qs.order_by("id", "history_date", "history_id"))
    # The latest historical row of each sheet names its entry and judge.
    sheets = {r.id: r for model, r in records if model is ScoreSheet}
    criteria_ids = {r.criterion_id for model, r in records if model is Score}
    criteria = dict(Criterion.objects.filter(pk__in=criteria_ids).values_list("pk", "label"))
    user_ids = {getattr(r, "judge_id", None) for _m, r in records} | {
        s.judge_id for s in sheets.values()
    }
    people = dict(User.objects.filter(pk__in=user_ids - {None}).values_list("pk", "full_name"))

    rows: list[AuditRow] = []
    previous: dict[tuple[object, int], object] = {}
    fields_of = dict(AUDITED)
    for model, r in records:
        key = (model, r.id)
        before = previous.get(key)
        changes = []
        for name in fields_of[model]:
            new = getattr(r, name)
            old = getattr(before, name) if before is not None else None
            if r.history_type == "-" or (before is not None and old == new):
                continue
            if before is None and new in (None, ""):
                continue
            changes.append(
                (_field_label(model, name), _shown(model, name, old), _shown(model, name, new))
            )
        previous[key] = r
        if model is Score:
            sheet = sheets.get(r.sheet_id)
            entry_id = sheet.entry_id if sheet else None
            judge_id = sheet.judge_id if sheet else None
            subject = criteria.get(r.criterion_id, "")
        else:
            entry_id, judge_id = r.entry_id, r.judge_id
            subject = people.get(judge_id, "")
        rows.append(
            AuditRow(
                at=r.history_date,
                who=r.history_user,
                what=str(model._meta.verbose_name),
                action=str(HISTORY_ACTIONS[r.history_type]),
                entry_id=entry_id,
                judge_id=judge_id,
                subject=subject,
                changes=changes,
                reason=r.history_change_reason or "",
            )
        )
    rows.sort(key=lambda row: row.at, reverse=True)
    return rows


# --- A judge's sitting ------------------------------------------------------------------


@dataclass(frozen=True)
class DeskItem:
    assignment_id: int
    stage_id: int
    status: str

    @property
    def done(self) -> bool:
        return self.status == SheetStatus.SUBMITTED


@dataclass
class DeskSequence:
    """A judge's assignments of one stage in the desk's stable order (reference, then id).

    The order never depends on a sheet's status, so that "next" and "previous" stay where
    the judge left them after each save.
    """

    items: list[DeskItem]
    stage_name: str = ""
    # The judge's sheets of the stage by entry id, when ``judge_desk_sitting`` read them.
    sheets: dict[int, ScoreSheet] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def done(self) -> int:
        return sum(1 for item in self.items if item.done)

    def _index(self, assignment_id: int) -> int | None:
        for index, item in enumerate(self.items):
            if item.assignment_id == assignment_id:
                return index
        return None

    def position(self, assignment_id: int) -> int | None:
        """1-based place of the assignment in the sitting."""
        index = self._index(assignment_id)
        return None if index is None else index + 1

    def previous(self, assignment_id: int) -> int | None:
        index = self._index(assignment_id)
        return self.items[index - 1].assignment_id if index else None

    def next(self, assignment_id: int) -> int | None:
        index = self._index(assignment_id)
        if index is None or index + 1 >= len(self.items):
            return None
        return self.items[index + 1].assignment_id

    def next_unscored(self, assignment_id: int | None = None) -> int | None:
        """The first assignment without a submitted sheet after this one, wrapping round
        to the start; ``None`` when every sheet of the sitting is in."""
        index = self._index(assignment_id) if assignment_id is not None else None
        start = 0 if index is None else index + 1
        for item in self.items[start:] + self.items[:start]:
            if not item.done and item.assignment_id != assignment_id:
                return item.assignment_id
        return None


DESK_ORDER = ("stage__order", "stage_id", "entry__reference", "pk")


def judge_desk_sitting(judge: User, stage: Stage, now=None) -> DeskSequence:
    """The judge's sitting in one stage, as ``judge_desk_overview`` gives it, with his or
    her sheets of the stage (``sheets``, by entry id).

    Two plain queries, the stage's assignments in the desk's order and the sheets, with
    the desk's rule (``ScoreSheet.judge_may_edit``, the twin of ``workable``) applied in
    Python: the desk query's subqueries cost more CPU to build than both.
    """
    now = now or timezone.now()
    sheets = {
        sheet.entry_id: sheet
        for sheet in ScoreSheet.objects.filter(stage=stage, judge=judge).order_by()
    }
    items = []
    for pk, entry_id in (
        Assignment.objects.filter(stage=stage, judge=judge)
        .order_by("entry__reference", "pk")  # DESK_ORDER within one stage
        .values_list("pk", "entry_id")
    ):
        sheet = sheets.get(entry_id)
        if ScoreSheet.judge_may_edit(stage, sheet, now):
            status = sheet.status if sheet is not None else NOT_STARTED
            items.append(DeskItem(assignment_id=pk, stage_id=stage.pk, status=status))
    return DeskSequence(items=items, stage_name=stage.name, sheets=sheets)


@dataclass
class DeskOverview:
    """What "Penilaian saya" shows: the judge's workable assignments in the desk's order
    (``rows``, annotated as ``judge_desk_assignments`` annotates them), the sittings, how
    many wait for a conflict declaration, and the stages and categories its filters offer."""

    rows: list[Assignment]
    sequences: dict[int, DeskSequence]
    stages: list[tuple[int, str]]
    categories: list[tuple[int, str]]

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def undeclared(self) -> int:
        return sum(1 for row in self.rows if not row.declared)


def judge_desk_overview(assignments: QuerySet[Assignment]) -> DeskOverview:
    """What "Penilaian saya" shows of ``assignments`` (``judge_desk_list(judge)``, or
    ``judge_desk_assignments(judge)``) in one query: the rows in the desk's order,
    the sittings per stage and the filters' choices (stages in the desk's order,
    categories in their own). A judge's desk holds tens of assignments
    (``Stage.max_entries_per_judge``), so reading them all costs less than a second query
    for one page of them."""
    rows = list(assignments.order_by(*DESK_ORDER))
    sequences: dict[int, DeskSequence] = {}
    categories = {}
    for row in rows:
        sequences.setdefault(
            row.stage_id, DeskSequence(items=[], stage_name=row.stage.name)
        ).items.append(
            DeskItem(
                assignment_id=row.pk,
                stage_id=row.stage_id,
                status=row.raw_sheet_status or NOT_STARTED,
            )
        )
        category = row.entry.category
        categories[category.pk] = (category.competition_id, category.order, category.name)
    return DeskOverview(
        rows=rows,
        sequences=sequences,
        stages=[(pk, sequence.stage_name) for pk, sequence in sequences.items()],
        categories=[
            (pk, name) for pk, (_c, _o, name) in sorted(categories.items(), key=lambda i: i[1])
        ],
    )


def stages_closing_within(*, days: int, now=None):
    """Open stages that close within ``days``: the ones whose judges get reminders."""
    now = now or timezone.now()
    return Stage.objects.filter(
        closed_at__isnull=True,
        opens_at__lte=now,
        closes_at__gt=now,
        closes_at__lte=now + dt.timedelta(days=days),
    ).order_by("closes_at")
