"""Reads of the outbox for the organiser's pages."""

from django.db.models import Count, Q, QuerySet

from .models import Mail, MailStatus


def mail_list(*, status: str = "", query: str = "") -> QuerySet[Mail]:
    """Mail newest first, optionally of one status and matching an address or subject."""
    mails = Mail.objects.all()
    if status in MailStatus.values:
        mails = mails.filter(status=status)
    query = query.strip()
    if query:
        mails = mails.filter(Q(to_email__icontains=query) | Q(subject__icontains=query))
    return mails


def mail_counts() -> dict[str, int]:
    """How many mails are in each status, in one query (zero for a status with none)."""
    counts = dict.fromkeys(MailStatus.values, 0)
    rows = Mail.objects.order_by().values_list("status").annotate(n=Count("pk"))
    counts.update(dict(rows))
    return counts
