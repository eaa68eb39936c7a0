"""update_rows writes what bulk_update would, on SQLite and PostgreSQL alike."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from competition.models import AnswerVersion, EntryAnswer, Score
from kovablik import db
from kovablik.db import update_rows
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_each_row_gets_its_own_values_and_other_rows_stay():
    answers = [f.EntryAnswerFactory(text=f"lama {n}") for n in range(3)]
    untouched = f.EntryAnswerFactory(text="tetap")
    for n, answer in enumerate(answers[:2]):
        answer.text = f"baru {n} 'kutip' \"ganda\" ;--\nbaris"
        answer.word_count = 40 + n

    update_rows(answers[:2], ["text", "word_count"])

    stored = {a.pk: (a.text, a.word_count) for a in EntryAnswer.objects.all()}
    assert stored[answers[0].pk] == ("baru 0 'kutip' \"ganda\" ;--\nbaris", 40)
    assert stored[answers[1].pk] == ("baru 1 'kutip' \"ganda\" ;--\nbaris", 41)
    assert stored[answers[2].pk] == ("lama 2", answers[2].word_count)
    assert stored[untouched.pk] == ("tetap", untouched.word_count)


def test_decimals_empty_text_and_times_keep_their_types():
    scores = [f.ScoreFactory(value=Decimal("80"), comment="awal") for _ in range(2)]
    scores[0].value, scores[0].comment = Decimal("82.55"), ""
    scores[1].value, scores[1].comment = Decimal("0"), "catatan"
    version = AnswerVersion.objects.create(
        entry=f.EntryFactory(),
        section=f.SectionSpecFactory(),
        number=1,
        text="v1",
        saved_at=timezone.now() - dt.timedelta(hours=1),
    )
    later = timezone.now().replace(microsecond=123456)
    version.text, version.saved_at = "v2", later

    update_rows(scores, ["value", "comment"])
    update_rows([version], ["text", "saved_at"])

    assert {s.pk: (s.value, s.comment) for s in Score.objects.all()} == {
        scores[0].pk: (Decimal("82.55"), ""),
        scores[1].pk: (Decimal("0"), "catatan"),
    }
    version.refresh_from_db()
    assert (version.text, version.saved_at) == ("v2", later)


def test_more_rows_than_one_statement_takes(monkeypatch):
    monkeypatch.setattr(db, "BATCH", 2)
    answers = [f.EntryAnswerFactory(text="lama") for _ in range(5)]
    for n, answer in enumerate(answers):
        answer.text = f"baru {n}"

    update_rows(answers, ["text"])

    assert [a.text for a in EntryAnswer.objects.order_by("pk")] == [f"baru {n}" for n in range(5)]


def test_nothing_to_write_runs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        update_rows([], ["text"])
