"""The outbox against real mail servers: down, silent, back again; rollbacks.

A worker killed between claim and send: test_worker_killed.py (a real process, SIGKILL)."""

import datetime as dt
import io
import time

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from competition.models import Entry, EntryStatus
from competition.services.screening import entry_screen
from opd.services import user_register
from outbox.models import Mail, MailStatus
from tests import factories as f
from tests.outbox.conftest import run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def competition(db):
    return f.CompetitionFactory(open=True)


def send_outbox() -> str:
    out = io.StringIO()
    call_command("send_outbox", stdout=out)
    return out.getvalue()


def _subject(message) -> str:
    """The subject as the reader sees it (long headers are folded on the wire)."""
    return " ".join(str(message["Subject"]).split())


def _later(minutes: int):
    return time_machine.travel(timezone.now() + dt.timedelta(minutes=minutes), tick=True)


def test_submission_while_smtp_refuses_shows_the_receipt_and_delivers_once_when_it_is_back(
    client, staff_a, agency_a, competition, smtp, django_capture_on_commit_callbacks
):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
        complete=True,
    )
    client.force_login(staff_a)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("competition:entry_submit", args=[entry.pk]), follow=True)
    run_worker()  # the mail server is down: connection refused
    waiting = Mail.objects.get()

    reference = Entry.objects.get().reference
    assert response.status_code == 200
    assert f"Proposal terkirim dengan nomor registrasi {reference}." in response.content.decode()
    assert waiting.status == MailStatus.PENDING
    assert waiting.attempts == 1
    assert "ConnectionRefusedError" in waiting.last_error
    assert smtp.messages == []

    smtp.start()
    with _later(5):
        run_worker()
        run_worker()
        send_outbox()

    delivered = Mail.objects.get()
    assert delivered.status == MailStatus.SENT
    assert delivered.last_error == ""
    assert len(smtp.messages) == 1
    assert smtp.messages[0]["To"] == staff_a.email
    assert reference in smtp.messages[0]["Subject"]


def test_silent_smtp_never_slows_the_request_and_the_worker_records_the_failure(
    client,
    staff_a,
    agency_a,
    competition,
    silent_smtp,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
        complete=True,
    )
    client.force_login(staff_a)

    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("competition:entry_submit", args=[entry.pk]), follow=True)
    request_seconds = time.monotonic() - started

    started = time.monotonic()
    run_worker()
    worker_seconds = time.monotonic() - started
    first = Mail.objects.get()

    assert "Proposal terkirim dengan nomor registrasi" in response.content.decode()
    assert request_seconds < settings.EMAIL_TIMEOUT
    assert worker_seconds >= settings.EMAIL_TIMEOUT  # it waited EMAIL_TIMEOUT, then gave up
    assert first.status == MailStatus.PENDING
    assert first.next_attempt_at > timezone.now()
    assert "timed out" in first.last_error

    with _later(5):
        run_worker()
    failed = Mail.objects.get()

    assert failed.status == MailStatus.FAILED
    assert failed.attempts == 2
    assert "SMTPServerDisconnected" in failed.last_error


def test_a_change_that_rolls_back_leaves_no_mail(
    smtp, agency_a, django_capture_on_commit_callbacks
):
    smtp.start()

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        user_register(
            full_name="Staf Baru",
            nip="",
            email="baru@example.go.id",
            phone="081234567890",
            agency=agency_a,
            password="inovasi-kota-2026",
        )
        raise RuntimeError("the rest of the change failed")
    run_worker()
    send_outbox()

    assert Mail.objects.count() == 0
    assert DBTaskResult.objects.count() == 0
    assert smtp.messages == []


def test_screening_mail_is_in_the_opd_language_when_the_organiser_works_in_english(
    competition, agency_a, staff_a, organiser, smtp, django_capture_on_commit_callbacks
):
    smtp.start()
    colleague = f.UserFactory(agency=agency_a, email="english@example.go.id", language="en")
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
        complete=True,
    )
    from competition.services.entries import entry_submit

    entry_submit(entry=entry, user=staff_a)
    Mail.objects.all().delete()

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        entry_screen(entry=entry, actor=organiser, outcome=EntryStatus.PASSED, reason="")
    run_worker()

    by_address = {m["To"]: m for m in smtp.messages}
    assert set(by_address) == {staff_a.email, colleague.email}
    reference = Entry.objects.get().reference
    assert _subject(by_address[staff_a.email]) == (
        f"Hasil seleksi administrasi proposal {reference}: Lolos seleksi administrasi"
    )
    assert _subject(by_address[colleague.email]) == (
        f"Administrative screening result of proposal {reference}: Passed administrative screening"
    )
