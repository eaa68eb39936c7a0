"""Kotak keluar, resend, the dashboard's counts, the profile's language and the digest."""

import datetime as dt
import io
import smtplib

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from opd.models import Approval, Role
from outbox.models import Mail, MailStatus
from outbox.services import _is_temporary, mail_queue
from tests import factories as f

pytestmark = pytest.mark.django_db

OUTBOX = reverse("competition:outbox")


def make_mail(status=MailStatus.SENT, **kwargs) -> Mail:
    kwargs.setdefault("to_email", "opd@example.go.id")
    kwargs.setdefault("subject", "Proposal KIPP-2026-0001 telah diterima")
    return Mail.objects.create(
        body="Isi", language="id", status=status, next_attempt_at=timezone.now(), **kwargs
    )


def test_outbox_lists_pending_sent_and_failed_mail_with_the_error(client, organiser):
    make_mail(MailStatus.PENDING, to_email="tunggu@example.go.id")
    make_mail(MailStatus.SENT, to_email="terkirim@example.go.id")
    make_mail(MailStatus.FAILED, to_email="gagal@example.go.id", last_error="SMTPDataError: 554")
    client.force_login(organiser)

    page = client.get(OUTBOX).content.decode()

    for address in ("tunggu@example.go.id", "terkirim@example.go.id", "gagal@example.go.id"):
        assert address in page
    assert "SMTPDataError: 554" in page
    assert page.count(">Kirim ulang</button>") == 1


def test_outbox_filters_by_status_and_by_address(client, organiser):
    make_mail(MailStatus.SENT, to_email="terkirim@example.go.id")
    make_mail(MailStatus.FAILED, to_email="gagal@example.go.id")
    make_mail(MailStatus.FAILED, to_email="lain@example.go.id")
    client.force_login(organiser)

    failed = client.get(OUTBOX, {"status": "failed"}).content.decode()
    searched = client.get(OUTBOX, {"status": "failed", "cari": "lain@"}).content.decode()

    assert "gagal@example.go.id" in failed
    assert "lain@example.go.id" in failed
    assert "terkirim@example.go.id" not in failed
    assert "lain@example.go.id" in searched
    assert "gagal@example.go.id" not in searched


@pytest.mark.parametrize("n", [1, 60])
def test_outbox_pages_in_a_fixed_number_of_queries(client, organiser, n, django_assert_num_queries):
    for i in range(n):
        make_mail(to_email=f"opd{i}@example.go.id")
    client.force_login(organiser)

    with django_assert_num_queries(5):
        page = client.get(OUTBOX).content.decode()

    shown = min(n, 50)
    assert sum(f"opd{i}@example.go.id<" in page for i in range(n)) == shown
    if n > 50:
        assert "Halaman 1 dari 2" in page


def test_resend_puts_a_failed_mail_back_and_it_is_delivered(
    client, organiser, staff_a, django_capture_on_commit_callbacks
):
    failed = make_mail(
        MailStatus.FAILED, recipient=staff_a, to_email=staff_a.email, attempts=6, last_error="x"
    )
    client.force_login(organiser)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("competition:outbox_resend", args=[failed.pk]), follow=True)

    failed.refresh_from_db()
    assert f"E-mail ke {staff_a.email} masuk antrean lagi" in response.content.decode()
    assert failed.status == MailStatus.SENT
    assert failed.attempts == 1
    assert [m.to for m in mail.outbox] == [[staff_a.email]]


def test_resend_refuses_a_mail_that_did_not_fail(client, organiser):
    sent = make_mail(MailStatus.SENT)
    client.force_login(organiser)

    response = client.post(reverse("competition:outbox_resend", args=[sent.pk]), follow=True)

    sent.refresh_from_db()
    assert "Hanya e-mail yang gagal yang dapat dikirim ulang" in response.content.decode()
    assert sent.status == MailStatus.SENT


def test_outbox_and_resend_are_for_the_organiser_only(client, staff_a, judge):
    failed = make_mail(MailStatus.FAILED)
    for person in (staff_a, judge):
        client.force_login(person)
        assert client.get(OUTBOX).status_code == 404
        resend = client.post(reverse("competition:outbox_resend", args=[failed.pk]))
        assert resend.status_code == 404
    failed.refresh_from_db()
    assert failed.status == MailStatus.FAILED


def test_dashboard_counts_failed_mail_and_pending_accounts(client, organiser, agency_a):
    make_mail(MailStatus.FAILED)
    make_mail(MailStatus.FAILED)
    make_mail(MailStatus.SENT)
    f.UserFactory(agency=agency_a, approval=Approval.PENDING, is_active=False)
    client.force_login(organiser)

    page = client.get(reverse("competition:dashboard")).content.decode()

    assert "2 e-mail gagal terkirim" in page
    assert f"{OUTBOX}?status=failed" in page
    assert "1 akun menunggu persetujuan" in page
    assert "/admin/opd/user/?approval__exact=pending" in page


def test_profile_sets_the_language_mail_is_written_in(
    client, staff_a, django_capture_on_commit_callbacks
):
    client.force_login(staff_a)
    form = client.get(reverse("profile")).content.decode()

    response = client.post(reverse("profile"), {"language": "en"}, follow=True)
    staff_a.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        mail_queue(
            subject="registration/password_reset_subject.txt",
            template="opd/email/account_approved.txt",
            context={"login_url": "http://x/"},
            recipient=staff_a,
        )

    assert "Bahasa e-mail" in form
    assert "Profil disimpan." in response.content.decode()
    assert staff_a.language == "en"
    assert "Your Kovablik account has been approved" in mail.outbox[0].body


def test_new_users_read_their_mail_in_indonesian(db):
    assert f.UserFactory().language == "id"


def digest() -> str:
    out = io.StringIO()
    call_command("digest_registrations", stdout=out)
    return out.getvalue().strip()


def test_digest_lists_pending_accounts_once_a_day(
    organiser, agency_a, django_capture_on_commit_callbacks
):
    f.UserFactory(role=Role.ORGANISER, agency=None, is_active=False, email="lama@example.go.id")
    f.UserFactory(
        agency=agency_a, full_name="Staf Menunggu", approval=Approval.PENDING, is_active=False
    )

    with django_capture_on_commit_callbacks(execute=True):
        first = digest()
        second = digest()

    assert (first, second) == ("1", "0")
    assert [m.to for m in mail.outbox] == [[organiser.email]]
    assert "Staf Menunggu" in mail.outbox[0].body
    assert "Dinas Kesehatan" in mail.outbox[0].body
    assert "1 akun menunggu persetujuan" in mail.outbox[0].subject


def test_digest_sends_nothing_when_no_account_waits(organiser, staff_a):
    assert digest() == "0"
    assert not Mail.objects.exists()


@pytest.mark.parametrize(
    ("error", "temporary"),
    [
        (ConnectionRefusedError(111, "refused"), True),
        (TimeoutError("timed out"), True),
        (smtplib.SMTPServerDisconnected("gone"), True),
        (smtplib.SMTPDataError(451, b"try later"), True),
        (smtplib.SMTPDataError(554, b"rejected"), False),
        (smtplib.SMTPRecipientsRefused({"a@b": (450, b"busy")}), True),
        (smtplib.SMTPRecipientsRefused({"a@b": (550, b"no such user")}), False),
        (ValueError("bug"), False),
    ],
)
def test_temporary_errors_are_retried_and_permanent_ones_are_not(error, temporary):
    assert _is_temporary(error) is temporary


def test_a_permanent_refusal_fails_at_once(staff_a, settings, monkeypatch):
    from outbox import services

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    queued = mail_queue(subject="Uji", template="opd/email/account_approved.txt", recipient=staff_a)

    class Refusing:
        def send_messages(self, messages):
            raise smtplib.SMTPRecipientsRefused({staff_a.email: (550, b"no such user")})

    monkeypatch.setattr(services, "get_connection", lambda **kwargs: Refusing())
    outcome = services.mail_deliver(mail_id=queued.pk, now=timezone.now() + dt.timedelta(seconds=1))

    queued.refresh_from_db()
    assert outcome == MailStatus.FAILED
    assert queued.status == MailStatus.FAILED
    assert "550" in queued.last_error
