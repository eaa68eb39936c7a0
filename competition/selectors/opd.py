"""Reads for OPD staff: their innovations and entries, with a fixed number of queries."""

from django.db.models import Count, OuterRef, Q, Subquery

from competition.filters import InnovationFilter
from competition.models import Entry, Innovation


def owned_q(user, field: str = "agency") -> Q:
    """Rows of the user's own OPD and of its child units (UPT, puskesmas)."""
    return Q(**{f"{field}_id": user.agency_id}) | Q(**{f"{field}__parent_id": user.agency_id})


def innovations_of(user, *, params, competition=None) -> InnovationFilter:
    """The user's OPD's innovations, with this year's entry (if any) annotated, narrowed by
    the query string ``params``; the FilterSet's ``qs`` is the list."""
    qs = Innovation.objects.filter(owned_q(user)).select_related("agency")
    qs = qs.annotate(award_count=Count("awards", distinct=True))
    if competition is not None:
        this_year = Entry.objects.filter(competition=competition, innovation=OuterRef("pk"))
        qs = qs.annotate(
            entry_id=Subquery(this_year.values("pk")[:1]),
            entry_status=Subquery(this_year.values("status")[:1]),
        )
    return InnovationFilter(params, queryset=qs.order_by("title", "pk"))


def entries_of(user, *, competition):
    """The user's OPD's entries in ``competition`` for the dashboard, each saying whether
    it may still be changed (``changeable``)."""
    return (
        Entry.objects.filter(owned_q(user), competition=competition)
        .select_related("innovation", "agency", "group", "category", "competition")
        .annotate(attachment_count=Count("attachments", distinct=True))
        .with_changeable()
        .order_by("innovation__title", "pk")
    )
