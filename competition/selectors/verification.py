"""Reads for verification: stored sheet totals checked against their own scores.

A submitted sheet stores its weighted total so that leaderboards read one row per sheet.
If that column is ever changed behind the portal's back (a database edit, a faulty
import), every ranking built on it drifts silently. These reads recompute each total
from the scores and the rubric with :func:`competition.stats.sheet_total`: the database
sums each sheet's scores and names the sheets it cannot confirm, and only those are
recomputed in Python, in four queries at most however many sheets there are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.db.models import Case, Count, F, FloatField, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Abs, Cast

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
    suspects = _suspect_sheets(stage_ids, rubric)
    if not suspects:
        return []
    # Scores come as floats, which is what the arithmetic takes (the nearest double
    # either way).
    scores: dict[int, dict[int, float]] = defaultdict(dict)
    for sheet_id, criterion_id, value in (
        Score.objects.filter(sheet_id__in=list(suspects))
        .order_by()
        .values_list("sheet_id", "criterion_id", Cast("value", FloatField()))
    ):
        scores[sheet_id][criterion_id] = value
    wrong = {}
    for pk, (stage_id, stored) in suspects.items():
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


def _suspect_sheets(
    stage_ids: list[int], rubric: Mapping[int, list[stats.CriterionSpec]]
) -> dict[int, tuple[int, float | None]]:
    """sheet id -> (stage id, stored total) of every submitted sheet whose stored total the
    database cannot confirm: a criterion of the rubric unscored, no stored total, or a
    stored total more than half the tolerance from the rubric's sum over its scores.

    The database sums in its own order, so its total may differ from
    :func:`stats.sheet_total`'s in the last bits: half the tolerance leaves room for that
    and no more, and every suspect is then recomputed exactly in Python. A national
    year's 80,000 scores are summed where they lie, not sent over to be summed again.
    """
    matches = [
        (Q(stage_id=stage_id, scores__criterion_id=spec.key), spec)
        for stage_id, specs in rubric.items()
        for spec in specs
    ]
    expected = Case(
        *[When(stage_id=stage_id, then=Value(len(specs))) for stage_id, specs in rubric.items()],
        default=Value(0),
        output_field=IntegerField(),
    )
    if matches:
        scored = Count(Case(*[When(match, then=Value(1)) for match, _spec in matches]))
        recomputed = Sum(
            Case(
                *[
                    When(
                        match,
                        then=Cast("scores__value", FloatField())
                        / Value(spec.max_score)
                        * Value(spec.weight),
                    )
                    for match, spec in matches
                ],
                output_field=FloatField(),
            )
        )
    else:
        scored, recomputed = Value(0), Value(None, output_field=FloatField())
    sheets = (
        ScoreSheet.objects.filter(stage_id__in=stage_ids, status=SheetStatus.SUBMITTED)
        .order_by()
        .annotate(scored=scored, expected=expected, recomputed=recomputed)
        .annotate(off=Abs(F("total") - F("recomputed")))
        .filter(
            ~Q(scored=F("expected"))
            | Q(total__isnull=True)
            | Q(off__isnull=True)
            | Q(off__gt=TOLERANCE / 2)
        )
        .values_list("pk", "stage_id", "total")
    )
    return {pk: (stage_id, total) for pk, stage_id, total in sheets}
