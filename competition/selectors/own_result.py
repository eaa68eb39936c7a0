"""An OPD's own entries in a published result: rank, title and score."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from competition.models import Entry, PlacementTitle, ResultSnapshot
from competition.selectors.opd import owned_q


@dataclass
class OwnResult:
    """An OPD's part of a published result."""

    ranking: list[dict]  # the OPD's rows of the frozen ranking, with ``title`` and ``score``
    entries: list[Entry]  # all of the OPD's entries that year, ranked or not
    ranked_ids: set[int]


def opd_own_result(user, snapshot: ResultSnapshot) -> OwnResult:
    """The user's OPD's rows of ``snapshot``, read from the frozen payload (one query).

    The payload, not today's scores, is what was announced; another OPD's rows never
    leave this function.
    """
    entries = list(
        Entry.objects.filter(owned_q(user), competition_id=snapshot.competition_id)
        .select_related("innovation")
        .order_by("reference")
    )
    own_ids = {e.pk for e in entries}
    titles = {
        p["entry"]["id"]: PlacementTitle(p["title"]).label
        for p in snapshot.payload["placements"]
        if p["entry"]["id"] in own_ids
    }
    ranking = [
        {
            **row,
            "title": titles.get(row["entry"]["id"], ""),
            "score": Decimal(row["final_score"]),
        }
        for row in snapshot.payload["computed"]["ranking"]
        if row["entry"]["id"] in own_ids
    ]
    return OwnResult(
        ranking=ranking, entries=entries, ranked_ids={r["entry"]["id"] for r in ranking}
    )
