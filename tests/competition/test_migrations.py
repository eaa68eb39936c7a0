"""Data migrations give existing rows what the code now expects of them."""

import importlib

import pytest
from django.apps import apps

from competition.models import Entry, EntryStatus, ScoreSheet, innovation_facts
from tests import factories as f

pytestmark = pytest.mark.django_db

sheet_totals = importlib.import_module("competition.migrations.0007_scoresheet_total")


def test_sheets_submitted_before_totals_were_stored_get_the_same_total(judge, other_judge):
    stage = f.StageFactory(closed=True, rubric=(60, 40), rubric__max_score=10)
    criteria = list(stage.criteria.order_by("order"))
    entry = f.EntryFactory(
        competition=stage.competition,
        reference="KIPP-001",
        titled_by_reference=True,
        screened_in=True,
    )
    submitted = f.ScoreSheetFactory(
        stage=stage, entry=entry, judge=judge, submitted=True, assigned=True, scores=[8, 7.5]
    )
    draft = f.ScoreSheetFactory(
        stage=stage, entry=entry, judge=other_judge, assigned=True, scores=[5, 5]
    )
    half = f.ScoreSheetFactory(
        stage=stage,
        entry=f.EntryFactory(
            competition=stage.competition,
            reference="KIPP-002",
            titled_by_reference=True,
            screened_in=True,
        ),
        judge=judge,
        submitted=True,
        assigned=True,
        scores=[9, 9],
    )
    half.scores.filter(criterion=criteria[1]).delete()
    expected = submitted.total
    ScoreSheet.objects.update(total=None)

    sheet_totals.store_submitted_sheet_totals(apps, None)

    assert ScoreSheet.objects.get(pk=submitted.pk).total == expected == pytest.approx(78)
    assert ScoreSheet.objects.get(pk=draft.pk).total is None
    assert ScoreSheet.objects.get(pk=half.pk).total is None  # a criterion without a score


entry_facts = importlib.import_module(
    "competition.migrations.0010_entry_facts_and_catalogue_approval"
)


def test_entries_submitted_before_the_copy_existed_get_their_innovations_facts():
    submitted = f.EntryFactory(status=EntryStatus.PASSED)
    f.InnovatorFactory(innovation=submitted.innovation, name="dr. Ayu", phone="0812")
    draft = f.EntryFactory(status=EntryStatus.DRAFT)

    entry_facts.fill_submitted_facts(apps, None)

    assert Entry.objects.get(pk=submitted.pk).facts == innovation_facts(submitted.innovation)
    assert Entry.objects.get(pk=draft.pk).facts == {}
