"""Building scored stages for the results tests: judges' submitted sheets from a table."""

from decimal import Decimal

from django.utils import timezone

from competition.models import EntryStatus, ScoreSheet, SheetStatus
from tests import factories as f


def make_stage(competition=None, *, weights=(60, 40), max_score=100, closed=True, **kwargs):
    """A stage with one criterion per weight (all on 0-``max_score``)."""
    competition = competition or f.CompetitionFactory()
    kwargs.setdefault("final_weight", Decimal("100"))
    stage = f.StageFactory(
        competition=competition, closed_at=timezone.now() if closed else None, **kwargs
    )
    criteria = [
        f.CriterionFactory(
            stage=stage, order=i, weight=Decimal(w), max_score=Decimal(max_score), label=f"K{i + 1}"
        )
        for i, w in enumerate(weights)
    ]
    return stage, criteria


def make_entry(competition, *, reference, status=EntryStatus.PASSED, agency=None, **kwargs):
    innovation_kwargs = {"agency": agency} if agency else {}
    innovation = f.InnovationFactory(title=f"Inovasi {reference}", **innovation_kwargs)
    return f.EntryFactory(
        competition=competition,
        innovation=innovation,
        reference=reference,
        status=status,
        **kwargs,
    )


def score(stage, criteria, entry, judge, values, *, submitted=True, assign=True):
    """Judge ``judge`` scores ``entry`` with ``values`` (one per criterion)."""
    if assign:
        f.AssignmentFactory(stage=stage, entry=entry, judge=judge)
    values = [Decimal(str(value)) for value in values]
    sheet = f.ScoreSheetFactory(
        stage=stage,
        entry=entry,
        judge=judge,
        status=SheetStatus.SUBMITTED if submitted else SheetStatus.DRAFT,
        submitted_at=timezone.now() if submitted else None,
        # As score_sheet_save stores it on submission.
        total=ScoreSheet.weighted_total(
            criteria, dict(zip([c.pk for c in criteria], values, strict=True))
        )
        if submitted
        else None,
    )
    for criterion, value in zip(criteria, values, strict=True):
        f.ScoreFactory(sheet=sheet, criterion=criterion, value=value)
    return sheet
