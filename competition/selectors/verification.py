"""Reads for verification: stored sheet totals checked against their own scores.

A submitted sheet stores its weighted total so that leaderboards read one row per sheet.
If that column is ever changed behind the portal's back (a database edit, a faulty
import), every ranking built on it drifts silently. These reads recompute each total
from the scores and the rubric with :func:`competition.stats.sheet_total`, in three
queries however many sheets there are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.db.models import FloatField
from django.db.models.functions import Cast

from competition import stats
from competition.models import Criterion, Score, ScoreSheet, SheetStatus

# Totals are frozen with six decimals; closer than this they are the same number.
TOLERANCE = 5e-7


@dataclass(frozen=True)
class SheetMismatch:
    """A submitted sheet whose stored total is not what its scores give."""

    sheet_id: int
    stage_id: int
    stage_name: str
    entry_id: int
    entry_reference: str
    entry_title: str
    judge_name: str
    stored: float | None
    recomputed: float | None


def totals_differ(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return (a is None) != (b is None)
    return abs(a - b) > TOLERANCE


def rubric_specs(criteria: Iterable[Criterion]) -> dict[int, list[stats.CriterionSpec]]:
    """stage id -> criteria as the arithmetic takes them, in criterion order."""
    specs: dict[int, list[stats.CriterionSpec]] = defaultdict(list)
    for c in sorted(criteria, key=lambda c: (c.stage_id, c.order, c.pk)):
        specs[c.stage_id].append(stats.CriterionSpec(c.pk, float(c.max_score), float(c.weight)))
    return specs


def sheet_total_mismatches(
    stage_ids: Sequence[int],
    *,
    rubric: Mapping[int, list[stats.CriterionSpec]] | None = None,
) -> list[SheetMismatch]:
    """Submitted sheets of ``stage_ids`` whose stored total differs from the total of
    their scores. ``rubric`` (stage id -> criteria) replaces the stages' current criteria:
    a frozen result is checked against the rubric it was frozen with."""
    stage_ids = list(stage_ids)
    if rubric is None:
        rubric = rubric_specs(Criterion.objects.filter(stage_id__in=stage_ids))
    # Plain columns, no joins: 10,000 sheets and 80,000 scores at national scale. Scores
    # come as floats, which is what the arithmetic takes (the nearest double either way).
    sheets = list(
        ScoreSheet.objects.filter(stage_id__in=stage_ids, status=SheetStatus.SUBMITTED).values_list(
            "pk", "stage_id", "total"
        )
    )
    scores: dict[int, dict[int, float]] = defaultdict(dict)
    for sheet_id, criterion_id, value in Score.objects.filter(
        sheet__stage_id__in=stage_ids, sheet__status=SheetStatus.SUBMITTED
    ).values_list("sheet_id", "criterion_id", Cast("value", FloatField())):
        scores[sheet_id][criterion_id] = value
    wrong = {}
    for pk, stage_id, stored in sheets:
        recomputed = stats.sheet_total(scores[pk], rubric.get(stage_id, []))
        if totals_differ(stored, recomputed):
            wrong[pk] = (stored, recomputed)
    if not wrong:
        return []
    names = ScoreSheet.objects.filter(pk__in=list(wrong)).values_list(
        "pk",
        "stage_id",
        "stage__name",
        "entry_id",
        "entry__reference",
        "entry__innovation__title",
        "judge__full_name",
    )
    mismatches = [
        SheetMismatch(
            sheet_id=pk,
            stage_id=stage_id,
            stage_name=stage_name,
            entry_id=entry_id,
            entry_reference=reference or "",
            entry_title=title,
            judge_name=judge,
            stored=wrong[pk][0],
            recomputed=wrong[pk][1],
        )
        for pk, stage_id, stage_name, entry_id, reference, title, judge in names
    ]
    mismatches.sort(key=lambda m: (m.stage_id, m.entry_reference, m.judge_name, m.sheet_id))
    return mismatches
