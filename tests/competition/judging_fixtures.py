"""Shared set-up for the judging tests: an open desk stage, a rubric, an assigned entry."""

from decimal import Decimal

import pytest

from tests import factories as f


@pytest.fixture
def stage(db):
    return f.StageFactory(judges_per_entry=2)


@pytest.fixture
def criteria(stage):
    return [
        f.CriterionFactory(
            stage=stage, order=1, label="Kebaruan", weight=Decimal("40"), guidance="Baru?"
        ),
        f.CriterionFactory(
            stage=stage,
            order=2,
            label="Keberlanjutan",
            weight=Decimal("60"),
            min_score=Decimal("1"),
            max_score=Decimal("10"),
            comment_required=True,
        ),
    ]


@pytest.fixture
def entry(stage, agency_b):
    entry = f.EntryFactory(
        competition=stage.competition,
        innovation__agency=agency_b,
        innovation__title="Bank Sampah Digital",
        screened_in=True,
        reference="KIPP-2026-0001",
        video_url="https://www.youtube.com/watch?v=abc",
    )
    f.EntryAnswerFactory(
        entry=entry,
        section__label="Ringkasan",
        section__order=1,
        text="Warga menabung sampah.",
        word_count=3,
    )
    return entry


@pytest.fixture
def assignment(stage, entry, judge, criteria):
    return f.AssignmentFactory(stage=stage, entry=entry, judge=judge)


@pytest.fixture
def declared(assignment):
    """The judge has declared no conflict with the assigned entry."""
    f.ConflictDeclarationFactory(
        stage=assignment.stage, entry=assignment.entry, judge=assignment.judge, has_conflict=False
    )
    return assignment


def full_values(criteria):
    return {criteria[0].pk: Decimal("80"), criteria[1].pk: Decimal("7.5")}


def full_comments(criteria):
    return {criteria[0].pk: "", criteria[1].pk: "Anggaran sudah ada di DPA."}
