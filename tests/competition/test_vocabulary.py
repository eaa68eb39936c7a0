"""The domain's rules named once on the models: each Python method and the queryset that
says the same in SQL must agree, or a list would offer what the page then refuses."""

import datetime as dt

import pytest
from django.utils import timezone

from competition.models import Assignment, Entry, EntryStatus, ScoreSheet, SheetStatus
from tests import factories as f

DAY = dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("status", "opens", "closes", "revision_due", "changeable"),
    [
        (EntryStatus.DRAFT, -DAY, DAY, None, True),
        (EntryStatus.DRAFT, -2 * DAY, -DAY, None, False),
        (EntryStatus.DRAFT, DAY, 2 * DAY, None, False),
        (EntryStatus.RETURNED, -2 * DAY, -DAY, DAY, True),
        (EntryStatus.RETURNED, -DAY, DAY, -DAY, False),
        (EntryStatus.RETURNED, -DAY, DAY, None, True),
        (EntryStatus.RETURNED, -2 * DAY, -DAY, None, False),
        (EntryStatus.SUBMITTED, -DAY, DAY, None, False),
        (EntryStatus.PASSED, -DAY, DAY, None, False),
    ],
)
def test_entry_change_window_is_the_same_in_python_and_sql(
    db, status, opens, closes, revision_due, changeable
):
    now = timezone.now()
    competition = f.CompetitionFactory(
        submission_opens_at=now + opens, submission_closes_at=now + closes
    )
    entry = f.EntryFactory(
        competition=competition,
        status=status,
        revision_due_at=now + revision_due if revision_due is not None else None,
    )

    in_sql = Entry.objects.changeable(now).filter(pk=entry.pk).exists()

    assert entry.is_changeable(now) is changeable
    assert in_sql is changeable


def test_change_deadline_is_the_revision_date_of_a_returned_entry(db):
    entry = f.EntryFactory(status=EntryStatus.DRAFT)
    due = entry.competition.submission_closes_at + 3 * DAY
    assert entry.change_deadline == entry.competition.submission_closes_at

    entry.status, entry.revision_due_at = EntryStatus.RETURNED, due

    assert entry.change_deadline == due


@pytest.mark.parametrize(
    ("stage_open", "sheet_status", "reopened", "may_edit"),
    [
        (True, None, False, True),
        (True, SheetStatus.DRAFT, False, True),
        (False, None, False, False),
        (False, SheetStatus.DRAFT, False, False),
        (False, SheetStatus.DRAFT, True, True),
        (False, SheetStatus.SUBMITTED, True, False),
    ],
)
def test_judge_may_edit_is_the_same_in_python_and_sql(
    db, stage_open, sheet_status, reopened, may_edit
):
    now = timezone.now()
    stage = f.StageFactory(closed_at=None if stage_open else now - DAY)
    assignment = f.AssignmentFactory(stage=stage)
    sheet = None
    if sheet_status is not None:
        sheet = f.ScoreSheetFactory(
            stage=stage,
            entry=assignment.entry,
            judge=assignment.judge,
            status=sheet_status,
            reopened_at=now - DAY if reopened else None,
        )

    in_sql = Assignment.objects.workable(now).filter(pk=assignment.pk).exists()

    assert ScoreSheet.judge_may_edit(stage, sheet, now) is may_edit
    assert in_sql is may_edit


def test_entered_is_every_status_but_draft(db):
    competition = f.CompetitionFactory()
    for status in EntryStatus:
        f.EntryFactory(competition=competition, status=status)

    entered = set(
        Entry.objects.filter(competition=competition).entered().values_list("status", flat=True)
    )

    assert entered == set(EntryStatus.values) - {EntryStatus.DRAFT}
