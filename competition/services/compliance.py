"""Reminding the OPDs that have not yet entered this year's competition."""

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from competition.models import Competition
from competition.selectors.compliance import agencies_without_entry
from opd.models import Role, User

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

    One message per person (colleagues do not see each other's address), sent after the
    transaction commits. Refused while submission is not open. Returns how many messages
    were sent.
    """
    now = now or timezone.now()
    if not competition.is_submission_open(now):
        raise ValidationError(
            _("Pengingat hanya dapat dikirim selama pendaftaran %(competition)s dibuka.")
            % {"competition": competition},
            code="closed",
        )
    staff = (
        User.objects.filter(
            agency__in=agencies_without_entry(competition=competition).values("pk"),
            role=Role.OPD_STAFF,
            is_active=True,
        )
        .exclude(email="")
        .select_related("agency")
        .order_by("agency__name", "full_name")
    )
    context = {
        "competition": competition,
        "days_left": days_left(competition, now),
        "url": settings.SITE_URL + reverse("competition:opd_dashboard"),
    }
    messages = [
        EmailMessage(
            subject=render_to_string(
                "competition/email/compliance_reminder_subject.txt",
                {**context, "agency": user.agency},
            )
            .strip()
            .replace("\n", " "),
            body=render_to_string(
                "competition/email/compliance_reminder_body.txt",
                {**context, "agency": user.agency, "user": user},
            ),
            to=[user.email],
        )
        for user in staff
    ]
    if messages:
        transaction.on_commit(lambda: get_connection().send_messages(messages))
    logger.info(
        "Compliance reminders for %s: %d messages (by %s)",
        competition,
        len(messages),
        actor or "cron",
    )
    return len(messages)
