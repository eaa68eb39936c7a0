"""The frozen result's payload: its format, the figures a final ranking freezes (what
recomputation must match) with their canonical JSON and checksum, and the published
version the public sees.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal

from competition import stats
from competition.models import Competition, ResultSnapshot
from competition.selectors.final_ranking import FinalRanking
from competition.selectors.leaderboard import Leaderboard
from competition.selectors.scoring import EntryInfo

PAYLOAD_FORMAT = 1

METHOD = {
    "sheet_total": "sum over criteria of score / max_score x weight (weights sum to 100)",
    "entry_score": "mean of the weighted totals of submitted sheets; incomplete when fewer "
    "submitted sheets than assigned judges",
    "spread": "sample standard deviation (n - 1) and range of sheet totals",
    "normalised": "per judge z-score over the stage, averaged per entry, then rescaled to "
    "the mean and sample sd of the same entries' raw scores (equal to the raw score when "
    "judges agree exactly); shown only when every judge of the entry scored at least "
    "min_entries_for_normalisation entries",
    "agreement": "Krippendorff's alpha, interval metric, entries x judges, missing allowed; "
    "reading taken from alpha rounded half-up to 3 decimals",
    "stability": "top three recomputed leaving out each judge's sheets in turn; equal "
    "scores keep the leaderboard's order; a change of set or of order is reported",
    "final_score": "sum over stages of stage score x stage weight / 100",
    "ties": "stage and final scores compared rounded half-up to 3 decimals, then the "
    "tie-break ladder in order",
    "rounding": "figures stored with 6 decimals, shown and compared rounded half-up "
    "(scores and alpha 3 decimals, spread and means 2)",
}


def stored_figure(value) -> str | None:
    if value is None:
        return None
    return str(stats.half_up(value, stats.STORED_PLACES))


def canonical_json(payload: dict) -> str:
    """Sorted keys, no spaces, decimals as strings: the same bytes for the same result."""

    def default(value):
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, dt.datetime | dt.date):
            return value.isoformat()
        raise TypeError(type(value))

    return json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=default
    )


def payload_checksum(payload: dict) -> str:
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()


def entry_figures(e: EntryInfo) -> dict:
    return {
        "id": e.id,
        "reference": e.reference,
        "title": e.title,
        "brand_name": e.brand_name,
        "agency_id": e.agency_id,
        "agency": e.agency_name,
    }


def _stage_figures(board: Leaderboard) -> dict:
    stage = board.stage
    return {
        "id": stage.pk,
        "name": stage.name,
        "kind": stage.kind,
        "order": stage.order,
        "final_weight": str(stage.final_weight),
        "closed_at": stage.closed_at.isoformat() if stage.closed_at else None,
        "disagreement_threshold": str(board.threshold),
        "min_entries_for_normalisation": board.min_entries_for_normalisation,
        "criteria": [
            {
                "id": c.id,
                "label": c.label,
                "order": c.order,
                "weight": str(c.weight),
                "min_score": str(c.min_score),
                "max_score": str(c.max_score),
            }
            for c in board.criteria
        ],
        "sheets": [
            {
                "id": s.id,
                "entry_id": s.entry_id,
                "judge_id": s.judge_id,
                "judge": s.judge_name,
                "scores": {str(k): str(v) for k, v in sorted(s.scores.items())},
                "total": stored_figure(s.total),
            }
            for s in board.sheets
        ],
        "leaderboard": [
            {
                "entry_id": r.entry.id,
                "rank": r.rank,
                "score": stored_figure(r.score),
                "incomplete": r.incomplete,
                "n_sheets": r.n_sheets,
                "n_assigned": r.n_assigned,
                "criterion_means": {str(k): stored_figure(v) for k, v in r.criterion_means.items()},
                "sd": stored_figure(r.sd),
                "range": stored_figure(r.range),
                "flagged": r.flagged,
                "normalised": stored_figure(r.normalised),
                "moderation_note": r.has_moderation_note,
            }
            for r in board.rows
        ],
        "judges": [
            {
                "judge_id": j.judge.id,
                "judge": j.judge.name,
                "n_entries": j.n_entries,
                "mean": stored_figure(j.mean),
                "sd": stored_figure(j.sd),
                "leniency": stored_figure(j.leniency),
                "n_shared": j.n_shared,
            }
            for j in board.judges
        ],
        "agreement": {
            "alpha": stored_figure(board.agreement.alpha),
            "reading": board.agreement.reading,
            "n_units": board.agreement.n_units,
            "n_values": board.agreement.n_values,
        },
        "stability": {
            "top": [e.id for e in board.top],
            "without_judge": [
                {
                    "judge_id": s.judge.id,
                    "top": [e.id for e in s.top],
                    "changed": s.changed,
                    "order_changed": s.order_changed,
                }
                for s in board.stability
            ],
        },
    }


def computed_figures(ranking: FinalRanking) -> dict:
    """Every figure of a final ranking as JSON-ready data: what recomputation must match."""
    top = ranking.top_criterion
    return {
        "stages": [_stage_figures(ranking.leaderboards[s.pk]) for s in ranking.stages],
        "top_criterion_id": top.id if top else None,
        "ranking": [
            {
                "entry": entry_figures(r.entry),
                "rank": r.rank,
                "final_score": stored_figure(r.final_score),
                "parts": [
                    {
                        "stage_id": p.stage_id,
                        "score": stored_figure(p.score),
                        "weight": stored_figure(p.weight),
                        "contribution": stored_figure(p.contribution),
                    }
                    for p in r.parts
                ],
                "tied": r.tied,
                "broken_by": r.broken_by,
                "tie_group": r.tie_group,
                "top_criterion": stored_figure(r.top_criterion),
                "first_places": r.first_places,
            }
            for r in ranking.rows
        ],
        "unranked": [e.id for e in ranking.unranked],
    }


def published_snapshot(competition: Competition) -> ResultSnapshot | None:
    """The result the public sees: the latest published version."""
    return competition.snapshots.filter(published_at__isnull=False).order_by("-version").first()
