"""The outbox: the one way the portal sends e-mail.

Code that wants to tell someone something calls ``mail_queue`` inside its own transaction.
The e-mail becomes a ``Mail`` row in that transaction (a change that rolls back leaves no
mail), rendered in the recipient's language, and a background task delivers it once the
transaction commits. A request therefore never talks to the mail server.

Delivery is at least once: ``mail_deliver`` first claims the row (one conditional update),
then hands the message to SMTP, then records the outcome. A worker killed between claim and
record leaves a claim that expires after ``OUTBOX_CLAIM_SECONDS``; ``outbox_deliver_due``
(the ``send_outbox`` command, run by cron) delivers it again. Connection errors, timeouts and
temporary (4xx) SMTP replies are retried with growing pauses; permanent (5xx) replies and
the last retry mark the mail failed, with the error, for the organiser to resend.
"""

import datetime as dt
import logging
import smtplib
from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Mail, MailStatus

logger = logging.getLogger(__name__)


def recipient_language(user) -> str:
    """The language a person reads their mail in: their own choice, else the portal's default."""
    language = getattr(user, "language", "") if user is not None else ""
    return language or settings.LANGUAGE_CODE


def mail_queue(
    *,
    subject,
    template: str,
    context: Mapping | None = None,
    recipient=None,
    to_email: str = "",
    kind: str = "",
) -> Mail | None:
    """Queue one e-mail to ``recipient`` (a user) or to a bare address ``to_email``.

    ``subject`` is a lazy translatable string (``gettext_lazy``) or a template name ending in
    ``.txt``; a lazy string is formatted with ``context`` (``%(name)s`` placeholders). Both
    the subject and ``template`` (the body) are rendered now, in the recipient's language,
    never the actor's. Call it inside the transaction of the change the mail reports.
    Returns the row, or None when there is no address to write to.
    """
    email = (to_email or getattr(recipient, "email", "") or "").strip()
    if not email:
        return None
    language = recipient_language(recipient)
    context = {"site_url": settings.SITE_URL, **(context or {})}
    if recipient is not None:
        context.setdefault("user", recipient)
    with translation.override(language):
        if isinstance(subject, str) and subject.endswith(".txt"):
            subject_text = render_to_string(subject, context)
        else:
            subject_text = str(subject) % context
        body = render_to_string(template, context)
    mail = Mail.objects.create(
        recipient=recipient,
        to_email=email,
        subject=" ".join(subject_text.split())[:255],
        body=body,
        kind=kind,
        language=language,
        next_attempt_at=timezone.now(),
    )
    _enqueue_after_commit(mail.pk)
    return mail


def _enqueue_after_commit(mail_id: int) -> None:
    # robust: a queue that cannot take the task must not turn a saved change into an error
    # page; the mail row stays pending and ``send_outbox`` picks it up.
    transaction.on_commit(lambda: _enqueue(mail_id), robust=True)


def _enqueue(mail_id: int, run_after: dt.datetime | None = None) -> None:
    from .tasks import deliver_mail

    task = deliver_mail
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # send_outbox retries it when it is due
        task = task.using(run_after=run_after)
    task.enqueue(mail_id)


def _claim_seconds() -> int:
    return getattr(settings, "OUTBOX_CLAIM_SECONDS", 600)


def _due(now: dt.datetime) -> Q:
    stale = now - dt.timedelta(seconds=_claim_seconds())
    return Q(status=MailStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=MailStatus.SENDING, claimed_at__lt=stale
    )


def _retry_delay(attempts: int) -> dt.timedelta:
    base = getattr(settings, "OUTBOX_RETRY_SECONDS", 60)
    return dt.timedelta(seconds=base * 2 ** max(attempts - 1, 0))


def _is_temporary(exc: BaseException) -> bool:
    """Worth another try later: the server was unreachable, silent or said "try again"."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _msg in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return not 500 <= exc.smtp_code < 600
    # Refused, reset, unreachable, timed out, disconnected: all OSError.
    return isinstance(exc, OSError)


def mail_deliver(*, mail_id: int, now: dt.datetime | None = None) -> str:
    """Claim, send and record one mail; returns its status afterwards.

    Does nothing (and returns "skipped") when the mail is not due or another worker holds a
    live claim on it, so that running a task twice never sends twice.
    """
    now = now or timezone.now()
    claimed = Mail.objects.filter(_due(now), pk=mail_id).update(
        status=MailStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return "skipped"
    mail = Mail.objects.get(pk=mail_id)
    message = EmailMessage(mail.subject, mail.body, None, [mail.to_email])
    try:
        get_connection(fail_silently=False).send_messages([message])
    except Exception as exc:
        return _record_failure(mail, exc)
    Mail.objects.filter(pk=mail.pk, claimed_at=now).update(
        status=MailStatus.SENT, sent_at=timezone.now(), last_error=""
    )
    return MailStatus.SENT


def _record_failure(mail: Mail, exc: Exception) -> str:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    max_attempts = getattr(settings, "OUTBOX_MAX_ATTEMPTS", 6)
    if _is_temporary(exc) and mail.attempts < max_attempts:
        retry_at = timezone.now() + _retry_delay(mail.attempts)
        Mail.objects.filter(pk=mail.pk, claimed_at=mail.claimed_at).update(
            status=MailStatus.PENDING, next_attempt_at=retry_at, last_error=error
        )
        logger.warning(
            "Mail %s not delivered (try %s), again at %s: %s",
            mail.pk,
            mail.attempts,
            retry_at,
            error,
        )
        _enqueue(mail.pk, run_after=retry_at)
        return MailStatus.PENDING
    Mail.objects.filter(pk=mail.pk, claimed_at=mail.claimed_at).update(
        status=MailStatus.FAILED, last_error=error
    )
    logger.error("Mail %s failed after %s tries: %s", mail.pk, mail.attempts, error)
    return MailStatus.FAILED


def outbox_deliver_due(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Deliver every mail that is due, and every claim a dead worker left behind.

    The safety net under the task queue: cron runs it (``send_outbox``) every few minutes,
    so nothing waits forever if a task was never enqueued or its worker died.
    """
    now = now or timezone.now()
    counts: dict[str, int] = {}
    for mail_id in Mail.objects.filter(_due(now)).order_by("pk").values_list("pk", flat=True):
        outcome = mail_deliver(mail_id=mail_id, now=now)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


@transaction.atomic
def mail_resend(*, mail: Mail, actor) -> Mail:
    """The organiser sends a failed mail again: it goes back to the queue with fresh tries."""
    locked = Mail.objects.select_for_update().get(pk=mail.pk)
    if locked.status != MailStatus.FAILED:
        raise ValidationError(
            _("Hanya e-mail yang gagal yang dapat dikirim ulang; e-mail ini %(status)s.")
            % {"status": locked.get_status_display().lower()},
            code="not_failed",
        )
    locked.status = MailStatus.PENDING
    locked.attempts = 0
    locked.next_attempt_at = timezone.now()
    locked.claimed_at = None
    locked.save(update_fields=["status", "attempts", "next_attempt_at", "claimed_at"])
    logger.info("Mail %s queued again by %s", locked.pk, actor)
    _enqueue_after_commit(locked.pk)
    return locked
