"""Reads for administrative screening: the next proposal waiting to be screened."""

from __future__ import annotations

from dataclasses import dataclass

from competition.models import Entry, EntryStatus


@dataclass(frozen=True)
class ScreeningQueue:
    waiting: int
    next_id: int | None


def screening_queue(entry: Entry) -> ScreeningQueue:
    """How many proposals of the entry's year wait for screening, and which one comes after
    ``entry`` in the organiser's list order (OPD, title), wrapping round. One query."""
    rows = list(
        Entry.objects.filter(competition_id=entry.competition_id, status=EntryStatus.SUBMITTED)
        .order_by("agency__name", "innovation__title", "pk")
        .values_list("agency__name", "innovation__title", "pk")
    )
    here = (entry.agency.name, entry.innovation.title, entry.pk)
    others = [row for row in rows if row[2] != entry.pk]
    after = [row for row in others if row > here]
    following = (after or others or [None])[0]
    return ScreeningQueue(
        waiting=len(others), next_id=following[2] if following is not None else None
    )
