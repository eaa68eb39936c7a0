"""Reads of the organiser's export page."""

from competition.filters import EntrySearchFilter
from competition.models import Competition, Entry


def export_entries(*, competition: Competition, params) -> EntrySearchFilter:
    """The year's submitted entries that have per-entry packages, narrowed by the query string
    ``params``; the FilterSet's ``qs`` is the list."""
    entries = (
        Entry.objects.filter(competition=competition)
        .entered()
        .select_related("innovation", "agency")
        .order_by("-status", "reference", "pk")
    )
    return EntrySearchFilter(params, queryset=entries)
