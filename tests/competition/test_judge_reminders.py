"""remind_judges keeps a record per judge, stage and day, so cron may run it twice."""

import datetime as dt
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from competition.models import JudgeReminder
from tests import factories as f

pytestmark = pytest.mark.django_db


def remind() -> None:
    call_command("remind_judges", "--days", "3", stdout=io.StringIO())


def test_remind_judges_twice_on_one_day_sends_once(django_capture_on_commit_callbacks):
    stage = f.StageFactory(closes_at=timezone.now() + dt.timedelta(days=2))
    first, second = f.JudgeFactory(), f.JudgeFactory()
    f.AssignmentFactory(stage=stage, judge=first)
    f.AssignmentFactory(stage=stage, judge=second)

    with django_capture_on_commit_callbacks(execute=True):
        remind()
        remind()

    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.email, second.email])
    assert JudgeReminder.objects.filter(stage=stage).count() == 2


def test_remind_judges_the_next_day_reminds_again(django_capture_on_commit_callbacks):
    stage = f.StageFactory(closes_at=timezone.now() + dt.timedelta(days=2, hours=12))
    judge = f.JudgeFactory()
    f.AssignmentFactory(stage=stage, judge=judge)

    with django_capture_on_commit_callbacks(execute=True):
        remind()
    with (
        time_machine.travel(timezone.now() + dt.timedelta(days=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        remind()

    assert [m.to for m in mail.outbox] == [[judge.email], [judge.email]]


def test_judge_reminder_is_in_the_judge_language(django_capture_on_commit_callbacks):
    stage = f.StageFactory(closes_at=timezone.now() + dt.timedelta(days=2), name="Desk")
    f.AssignmentFactory(stage=stage, judge=f.JudgeFactory(language="en"))

    with django_capture_on_commit_callbacks(execute=True):
        remind()

    assert mail.outbox[0].subject == "Scoring reminder: Desk"
