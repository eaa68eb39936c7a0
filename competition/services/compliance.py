"""Reminding the OPDs that have not yet entered this year's competition."""

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from competition.models import Competition, ComplianceReminder
from competition.selectors.compliance import agencies_without_entry
from opd.models import Role, User
from outbox.services import mail_queue

logger = logging.getLogger(__name__)


def days_left(competition: Competition, now: dt.datetime | None = None) -> int:
    """Whole days (rounded up) until submission closes; 0 once it has closed."""
    remaining = competition.submission_closes_at - (now or timezone.now())
    if remaining <= dt.timedelta(0):
        return 0
    return remaining.days + (1 if remaining.seconds or remaining.microseconds else 0)


def compliance_send_reminders(
    *, competition: Competition, actor=None, now: dt.datetime | None = None
) -> int:
    """E-mail every active OPD staff member whose agency has no entry past draft.

    One message per person (colleagues do not see each other's address), queued in the
    outbox in this transaction and delivered by the worker, in the person's language. Each
    person gets at most one reminder a day for a competition, however often cron or the
    button runs: a ``ComplianceReminder`` row is written per message. Refused while
    submission is not open. Returns how many messages were queued.
    """
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    with transaction.atomic():
        # Serialises concurrent runs so that the per-day check below holds.
        competition = Competition.objects.select_for_update().get(pk=competition.pk)
        if not competition.is_submission_open(now):
            raise ValidationError(
                _("Pengingat hanya dapat dikirim selama pendaftaran %(competition)s dibuka.")
                % {"competition": competition},
                code="closed",
            )
        already = ComplianceReminder.objects.filter(competition=competition, sent_on=today)
        staff = list(
            User.objects.filter(
                agency__in=agencies_without_entry(competition=competition).values("pk"),
                role=Role.OPD_STAFF,
                is_active=True,
            )
            .exclude(email="")
            .exclude(pk__in=already.values("recipient_id"))
            .select_related("agency")
            .order_by("agency__name", "full_name")
        )
        ComplianceReminder.objects.bulk_create(
            ComplianceReminder(
                competition=competition,
                agency=user.agency,
                recipient=user,
                sent_on=today,
                sent_by=actor,
            )
            for user in staff
        )
        context = {
            "competition": competition,
            "days_left": days_left(competition, now),
            "url": settings.SITE_URL + reverse("competition:opd_dashboard"),
        }
        for user in staff:
            mail_queue(
                subject="competition/email/compliance_reminder_subject.txt",
                template="competition/email/compliance_reminder_body.txt",
                context={**context, "agency": user.agency},
                recipient=user,
                kind="competition.compliance_reminder",
            )
    logger.info(
        "Compliance reminders for %s: %d messages (by %s)",
        competition,
        len(staff),
        actor or "cron",
    )
    return len(staff)
