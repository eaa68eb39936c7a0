"""Reads for administrative screening: the organiser's entry list and the next proposal
waiting to be screened."""

from __future__ import annotations

from dataclasses import dataclass

from competition.filters import EntryFilter
from competition.models import Competition, Entry, EntryStatus

# The organiser's list order; the screening queue walks the list in it.
LIST_ORDER = ("agency__name", "innovation__title", "pk")


@dataclass(frozen=True)
class ScreeningQueue:
    waiting: int
    next_id: int | None


def screening_queue(entry: Entry) -> ScreeningQueue:
    """How many proposals of the entry's year wait for screening, and which one comes after
    ``entry`` in the organiser's list order (OPD, title), wrapping round. One query."""
    rows = list(
        Entry.objects.filter(competition_id=entry.competition_id, status=EntryStatus.SUBMITTED)
        .order_by(*LIST_ORDER)
        .values_list("agency__name", "innovation__title", "pk")
    )
    here = (entry.agency.name, entry.innovation.title, entry.pk)
    others = [row for row in rows if row[2] != entry.pk]
    after = [row for row in others if row > here]
    following = (after or others or [None])[0]
    return ScreeningQueue(
        waiting=len(others), next_id=following[2] if following is not None else None
    )


def organiser_entries(*, competition: Competition | None, params) -> EntryFilter:
    """The year's entries in list order, narrowed by the query string ``params``; the
    FilterSet's ``qs`` is the list and its ``form`` redisplays the filters."""
    entries = (
        Entry.objects.filter(competition=competition)
        .select_related("innovation", "agency", "category", "group")
        .order_by(*LIST_ORDER)
    )
    return EntryFilter(params, queryset=entries, competition=competition)
