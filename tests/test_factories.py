"""The factories do what they are asked: every argument is used, traits make what they say."""

import inspect

import factory
import pytest
from django.db import IntegrityError

from competition.models import EntryStatus, SheetStatus
from tests import factories as f

MODEL_FACTORIES = [
    cls
    for _name, cls in inspect.getmembers(f, inspect.isclass)
    if issubclass(cls, factory.django.DjangoModelFactory) and cls._meta.model is not None
]


@pytest.mark.parametrize("factory_class", MODEL_FACTORIES, ids=lambda cls: cls.__name__)
def test_no_factory_looks_up_an_existing_row_instead_of_making_one(factory_class):
    assert not factory_class._meta.django_get_or_create


@pytest.mark.django_db
def test_competition_factory_makes_the_year_asked_for_with_the_arguments_given():
    first = f.CompetitionFactory(year=2030, name="Kompetisi Pertama")

    assert (first.year, first.name) == (2030, "Kompetisi Pertama")


@pytest.mark.django_db
def test_competition_factory_refuses_a_year_that_exists_rather_than_ignoring_arguments():
    f.CompetitionFactory(year=2030, name="Kompetisi Pertama")

    with pytest.raises(IntegrityError):
        f.CompetitionFactory(year=2030, name="Kompetisi Kedua")


@pytest.mark.django_db
def test_open_competition_has_what_an_entry_needs():
    competition = f.CompetitionFactory(open=True)

    assert competition.is_submission_open()
    assert sorted(competition.groups.values_list("code", flat=True)) == ["khusus", "umum"]
    assert list(competition.sections.values_list("key", flat=True)) == [
        "ringkasan",
        "latar-belakang",
    ]
    assert list(competition.attachment_kinds.values_list("key", "required")) == [
        ("sk", True),
        ("foto", False),
    ]


@pytest.mark.django_db
def test_complete_entry_answers_every_section_and_attaches_every_required_file(staff_a):
    competition = f.CompetitionFactory(open=True)

    entry = f.EntryFactory(competition=competition, complete=True, attachments__uploaded_by=staff_a)

    assert entry.declaration_accepted
    assert entry.answers.count() == competition.sections.count() == 2
    attachment = entry.attachments.get()
    assert (attachment.kind.key, attachment.uploaded_by) == ("sk", staff_a)
    with attachment.file.open("rb") as stream:
        assert stream.read().startswith(b"%PDF")


@pytest.mark.django_db
def test_screened_in_entry_was_submitted_and_passed():
    entry = f.EntryFactory(screened_in=True)

    assert entry.status == EntryStatus.PASSED
    assert entry.reference and entry.submitted_at and entry.declaration_accepted


@pytest.mark.django_db
def test_titled_by_reference_names_the_innovation_after_the_entry_reference():
    given = f.EntryFactory(reference="KIPP-2026-0007", titled_by_reference=True)
    numbered = f.EntryFactory(screened_in=True, titled_by_reference=True)
    through_assignment = f.AssignmentFactory(
        entry__reference="KIPP-2026-0008", entry__titled_by_reference=True
    ).entry
    agency = f.AgencyFactory()
    with_agency = f.EntryFactory(
        reference="KIPP-2026-0009", titled_by_reference=True, innovation__agency=agency
    )

    assert given.innovation.title == "Inovasi KIPP-2026-0007"
    assert numbered.innovation.title == f"Inovasi {numbered.reference}"
    assert through_assignment.innovation.title == "Inovasi KIPP-2026-0008"
    assert (with_agency.innovation.title, with_agency.agency) == ("Inovasi KIPP-2026-0009", agency)


@pytest.mark.django_db
def test_without_titled_by_reference_the_title_keeps_its_default():
    entry = f.EntryFactory(reference="KIPP-2026-0007")

    assert entry.innovation.title.startswith("Inovasi Layanan Nomor ")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "reference", [{}, {"reference": None}, {"reference": ""}], ids=["unset", "none", "empty"]
)
def test_titled_by_reference_refuses_an_entry_without_a_reference(reference):
    with pytest.raises(ValueError, match="titled_by_reference needs a reference"):
        f.EntryFactory(titled_by_reference=True, **reference)


@pytest.mark.django_db
def test_submitted_sheet_with_scores_stores_its_total_and_assignment():
    stage = f.StageFactory(closed=True, rubric=(60, 40), rubric__max_score=10)

    sheet = f.ScoreSheetFactory(stage=stage, submitted=True, assigned=True, scores=[8, 5])

    assert stage.closed_at is not None
    assert sheet.status == SheetStatus.SUBMITTED
    assert [s.value for s in sheet.scores.order_by("criterion__order")] == [8, 5]
    assert sheet.total == pytest.approx(68.0)
    assert stage.assignments.filter(entry=sheet.entry, judge=sheet.judge).exists()


@pytest.mark.django_db
def test_draft_sheet_with_scores_has_no_total():
    stage = f.StageFactory(rubric=(100,))

    sheet = f.ScoreSheetFactory(stage=stage, with_scores=True)

    assert (sheet.status, sheet.total) == (SheetStatus.DRAFT, None)
    assert [s.value for s in sheet.scores.all()] == [80]


@pytest.mark.django_db
def test_scored_entries_gives_each_reference_its_entry_and_sent_sheet():
    stage = f.StageFactory(closed=True, rubric=(60, 40), rubric__max_score=100)
    judge = f.JudgeFactory()

    a, b = f.scored_entries(stage, judge, {"KIPP-A": [80, 70], "KIPP-B": [50, 50]})

    assert [(e.reference, e.innovation.title, e.status) for e in (a, b)] == [
        ("KIPP-A", "Inovasi KIPP-A", EntryStatus.PASSED),
        ("KIPP-B", "Inovasi KIPP-B", EntryStatus.PASSED),
    ]
    sheets = {s.entry: s for s in stage.sheets.filter(judge=judge)}
    assert {e: sheets[e].status for e in (a, b)} == {
        a: SheetStatus.SUBMITTED,
        b: SheetStatus.SUBMITTED,
    }
    assert [s.value for s in sheets[a].scores.order_by("criterion__order")] == [80, 70]
    assert stage.assignments.filter(judge=judge).count() == 2
