"""Reads of the outbox for the organiser's pages."""

from django.db.models import Count

from .filters import MailFilter
from .models import Mail, MailStatus


def mail_list(params) -> MailFilter:
    """Mail newest first, narrowed by the query string ``params`` (status, search); the
    FilterSet's ``qs`` is the list and its ``form`` says which values were refused."""
    return MailFilter(params, queryset=Mail.objects.all())


def mail_counts() -> dict[str, int]:
    """How many mails are in each status, in one query (zero for a status with none)."""
    counts = dict.fromkeys(MailStatus.values, 0)
    rows = Mail.objects.order_by().values_list("status").annotate(n=Count("pk"))
    counts.update(dict(rows))
    return counts
