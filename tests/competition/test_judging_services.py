"""Rubrics, conflict declarations, score sheets, closing a stage and reminders."""

# The shared fixtures are imported by name, which pyflakes reads as redefinitions.
# ruff: noqa: F811

import datetime as dt
import itertools
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from competition.forms.judging import ScoreSheetForm
from competition.models import (
    Assignment,
    ConflictDeclaration,
    Criterion,
    Score,
    ScoreSheet,
    SheetStatus,
    StageKind,
)
from competition.services.judging import (
    conflict_declare,
    judges_remind,
    score_sheet_reopen,
    score_sheet_save,
)
from competition.services.stages import (
    criteria_weight_error,
    criterion_save,
    stage_close,
    stage_create_default_rubric,
    stage_create_defaults,
)
from tests import factories as f
from tests.competition.judging_fixtures import (  # noqa: F401
    assignment,
    criteria,
    declared,
    entry,
    full_comments,
    full_values,
    stage,
)


def save(a, criteria, *, values=None, comments=None, version=0, submit=False, judge=None):
    return score_sheet_save(
        sheet_or_assignment=a,
        judge=judge or a.judge,
        values=full_values(criteria) if values is None else values,
        comments=full_comments(criteria) if comments is None else comments,
        expected_version=version,
        submit=submit,
    )


# --- rubrics ---


def test_weight_error_when_weights_do_not_add_up_to_100():
    assert criteria_weight_error([Decimal("20"), Decimal("30")]) is not None
    assert "50" in criteria_weight_error([Decimal("20"), Decimal("30")])
    assert criteria_weight_error([Decimal("20")] * 5) is None


def test_default_desk_rubric_has_five_criteria_summing_to_100(db):
    stage = f.StageFactory(opens_at=timezone.now() + dt.timedelta(days=3))

    created = stage_create_default_rubric(stage=stage)

    assert [c.label for c in created] == [
        "Kebaruan",
        "Efektivitas",
        "Kemanfaatan",
        "Adaptabilitas / Replikasi",
        "Keberlanjutan",
    ]
    assert sum(c.weight for c in created) == 100
    assert all((c.min_score, c.max_score) == (0, 100) for c in created)
    assert "Kebaruan / Nilai Tambah" in created[0].guidance
    assert "Strategi Keberlanjutan" in created[4].guidance


def test_default_presentation_rubric_is_presentation_30_substance_70(db):
    stage = f.StageFactory(
        kind=StageKind.PRESENTATION, opens_at=timezone.now() + dt.timedelta(days=3)
    )

    created = stage_create_default_rubric(stage=stage)

    presentation = sum(c.weight for c in created if c.label.startswith("Presentasi"))
    substance = sum(c.weight for c in created if c.label.startswith("Substansi"))
    assert (presentation, substance) == (30, 70)


def test_stage_defaults_fit_inside_the_competition_timeline(db):
    competition = f.CompetitionFactory()
    competition.screening_closes_at = competition.submission_closes_at + dt.timedelta(days=10)
    competition.announcement_at = competition.submission_closes_at + dt.timedelta(days=90)
    competition.save()

    stages = stage_create_defaults(competition=competition, field_verification=True)

    assert [s.kind for s in stages] == [StageKind.DESK, StageKind.PRESENTATION, StageKind.FIELD]
    assert stages[0].opens_at > competition.screening_closes_at
    for earlier, later in itertools.pairwise(stages):
        assert earlier.closes_at <= later.opens_at
    assert stages[-1].closes_at < competition.announcement_at
    assert all(sum(c.weight for c in s.criteria.all()) == 100 for s in stages)


def test_rubric_cannot_change_once_the_stage_has_opened(stage, criteria):
    criterion = criteria[0]
    criterion.weight = Decimal("50")

    with pytest.raises(ValidationError) as exc:
        criterion_save(criterion=criterion, actor=None)

    assert "sudah dibuka" in exc.value.messages[0]
    assert Criterion.objects.get(pk=criterion.pk).weight == Decimal("40")


def test_rubric_stays_fixed_when_a_scored_stage_is_moved_back_before_its_opening(
    declared, criteria
):
    save(declared, criteria, submit=True)
    stage = declared.stage
    stage.opens_at = timezone.now() + dt.timedelta(days=3)
    stage.save()
    criterion = criteria[0]
    criterion.weight = Decimal("50")

    with pytest.raises(ValidationError):
        criterion_save(criterion=criterion, actor=None)

    assert Criterion.objects.get(pk=criterion.pk).weight == Decimal("40")


def test_rubric_can_change_before_the_stage_opens(db, organiser):
    stage = f.StageFactory(opens_at=timezone.now() + dt.timedelta(days=3))
    criterion = f.CriterionFactory(stage=stage, weight=Decimal("100"))
    criterion.label = "Kebaruan dan nilai tambah"

    criterion_save(criterion=criterion, actor=organiser)

    assert criterion.history.first().history_user == organiser


# --- conflict declaration ---


def test_declaring_no_conflict_records_it_and_keeps_the_assignment(assignment):
    conflict_declare(assignment=assignment, judge=assignment.judge, has_conflict=False)
    conflict_declare(assignment=assignment, judge=assignment.judge, has_conflict=False)

    assert ConflictDeclaration.objects.get(judge=assignment.judge).has_conflict is False
    assert Assignment.objects.filter(pk=assignment.pk).exists()
    # One audited row, by the judge, also outside a request; the same statement twice
    # changes nothing.
    assert [(h.history_type, h.history_user) for h in ConflictDeclaration.history.all()] == [
        ("+", assignment.judge)
    ]


def test_declaring_a_conflict_removes_assignment_and_draft_keeps_record(declared, criteria):
    save(declared, criteria)

    conflict_declare(
        assignment=declared, judge=declared.judge, has_conflict=True, reason="Mantan pembina"
    )

    assert not Assignment.objects.filter(pk=declared.pk).exists()
    assert not ScoreSheet.objects.exists()
    assert not Score.objects.exists()
    declaration = ConflictDeclaration.objects.get(judge=declared.judge)
    assert (declaration.has_conflict, declaration.reason) == (True, "Mantan pembina")
    assert Assignment.history.filter(history_type="-").first().history_user == declared.judge


def test_declaring_a_conflict_needs_a_reason(assignment):
    with pytest.raises(ValidationError) as exc:
        conflict_declare(
            assignment=assignment, judge=assignment.judge, has_conflict=True, reason=" "
        )

    assert "alasan" in exc.value.message_dict["reason"][0]
    assert Assignment.objects.filter(pk=assignment.pk).exists()


def test_another_judge_cannot_declare_on_my_assignment(assignment, other_judge):
    with pytest.raises(ValidationError):
        conflict_declare(assignment=assignment, judge=other_judge, has_conflict=True, reason="x")

    assert Assignment.objects.filter(pk=assignment.pk).exists()


# --- score sheets ---


def test_scoring_needs_a_declaration_first(assignment, criteria):
    with pytest.raises(ValidationError) as exc:
        save(assignment, criteria)

    assert exc.value.code == "not_declared"


def test_draft_saves_partial_input(declared, criteria):
    sheet = save(declared, criteria, values={criteria[0].pk: Decimal("70")}, comments={})

    assert sheet.status == SheetStatus.DRAFT
    assert sheet.version == 1
    assert list(sheet.scores.values_list("criterion_id", "value")) == [
        (criteria[0].pk, Decimal("70"))
    ]


def test_submit_requires_every_criterion_and_required_comments(declared, criteria):
    with pytest.raises(ValidationError) as exc:
        save(declared, criteria, values={criteria[0].pk: Decimal("70")}, comments={}, submit=True)

    errors = {(e.code, e.params["criterion"]) for e in exc.value.error_list}
    assert errors == {("score_missing", criteria[1].pk), ("comment_required", criteria[1].pk)}
    assert not ScoreSheet.objects.exists()


def test_sheet_errors_are_shown_beside_the_criterion_they_name(declared, criteria):
    with pytest.raises(ValidationError) as exc:
        save(declared, criteria, values={criteria[0].pk: Decimal("70")}, comments={}, submit=True)
    form = ScoreSheetForm(criteria=criteria, data={})
    assert form.is_valid()

    form.add_error(None, exc.value)

    assert form.errors == {
        f"score_{criteria[1].pk}": ["Isikan nilai untuk kriteria ini sebelum mengirim."],
        f"comment_{criteria[1].pk}": ["Catatan wajib diisi untuk kriteria ini sebelum mengirim."],
    }


@pytest.mark.parametrize("value", [Decimal("0.5"), Decimal("10.01"), Decimal("-1")])
def test_values_outside_the_scale_are_refused(declared, criteria, value):
    with pytest.raises(ValidationError) as exc:
        save(declared, criteria, values={criteria[1].pk: value})

    (error,) = exc.value.error_list
    assert (error.code, error.params["criterion"]) == ("score_out_of_range", criteria[1].pk)
    assert exc.value.messages == ["Nilai harus antara 1 dan 10."]


def test_submit_complete_sheet(declared, criteria):
    sheet = save(declared, criteria, submit=True)

    assert sheet.status == SheetStatus.SUBMITTED
    assert sheet.submitted_at is not None
    assert dict(sheet.scores.values_list("criterion_id", "value")) == full_values(criteria)


def test_submitting_stores_the_weighted_total_and_reopening_clears_it(declared, criteria):
    draft = save(declared, criteria)
    assert draft.total is None

    sheet = save(declared, criteria, version=draft.version, submit=True)
    assert ScoreSheet.objects.get().total == pytest.approx(80 / 100 * 40 + 7.5 / 10 * 60)

    score_sheet_reopen(sheet=sheet, actor=declared.judge)  # refreshes ``sheet``
    assert ScoreSheet.objects.get().total is None

    values = {criteria[0].pk: Decimal("50"), criteria[1].pk: Decimal("10")}
    save(declared, criteria, values=values, version=sheet.version, submit=True)
    assert ScoreSheet.objects.get().total == pytest.approx(50 / 100 * 40 + 60)


def test_stale_version_is_refused_and_nothing_is_overwritten(declared, criteria):
    save(declared, criteria, values={criteria[0].pk: Decimal("60")}, comments={})
    # A second tab opened before the first save still carries version 0.

    with pytest.raises(ValidationError) as exc:
        save(declared, criteria, values={criteria[0].pk: Decimal("90")}, comments={}, version=0)

    assert exc.value.code == "stale"
    assert "tab/perangkat lain" in exc.value.messages[0]
    assert Score.objects.get().value == Decimal("60")


def test_a_submitted_sheet_must_be_reopened_before_changing(declared, criteria):
    sheet = save(declared, criteria, submit=True)

    with pytest.raises(ValidationError) as exc:
        save(declared, criteria, version=sheet.version)

    assert exc.value.code == "submitted"


def test_judge_reopens_own_sheet_while_stage_is_open(declared, criteria):
    sheet = save(declared, criteria, submit=True)

    score_sheet_reopen(sheet=sheet, actor=declared.judge)
    sheet = save(declared, criteria, values={criteria[0].pk: 55}, version=sheet.version)

    assert sheet.status == SheetStatus.DRAFT
    assert sheet.scores.get(criterion=criteria[0]).value == Decimal("55")


def test_other_judge_cannot_reopen_my_sheet(declared, criteria, other_judge):
    sheet = save(declared, criteria, submit=True)

    with pytest.raises(ValidationError):
        score_sheet_reopen(sheet=sheet, actor=other_judge)

    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.SUBMITTED


def test_sheets_freeze_when_the_stage_is_closed(declared, criteria, organiser):
    draft = save(declared, criteria)

    stage_close(stage=declared.stage, actor=organiser, reason="Batas waktu penilaian habis.")

    with pytest.raises(ValidationError) as exc:
        save(declared, criteria, version=draft.version, submit=True)
    assert exc.value.code == "stage_closed"
    assert ScoreSheet.objects.get().status == SheetStatus.DRAFT


def test_sheets_freeze_when_the_close_time_passes(declared, criteria):
    after_close = declared.stage.closes_at + dt.timedelta(minutes=1)
    with time_machine.travel(after_close, tick=False), pytest.raises(ValidationError) as exc:
        save(declared, criteria, submit=True)

    assert exc.value.code == "stage_closed"


def test_judge_cannot_reopen_after_close(declared, criteria, organiser):
    sheet = save(declared, criteria, submit=True)
    stage_close(stage=declared.stage, actor=organiser, reason="Batas waktu penilaian habis.")

    with pytest.raises(ValidationError):
        score_sheet_reopen(sheet=sheet, actor=declared.judge)

    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.SUBMITTED


def test_organiser_reopens_after_close_with_reason_then_judge_fixes(declared, criteria, organiser):
    sheet = save(declared, criteria, submit=True)
    stage_close(stage=declared.stage, actor=organiser, reason="Batas waktu penilaian habis.")
    with pytest.raises(ValidationError):
        score_sheet_reopen(sheet=sheet, actor=organiser, reason="")

    score_sheet_reopen(sheet=sheet, actor=organiser, reason="Salah ketik nilai kriteria 1")
    fixed = {**full_values(criteria), criteria[0].pk: Decimal("65")}
    sheet = save(declared, criteria, values=fixed, version=sheet.version, submit=True)

    assert sheet.status == SheetStatus.SUBMITTED
    assert sheet.reopened_at is None
    assert sheet.reopen_reason == "Salah ketik nilai kriteria 1"
    reasons = list(sheet.history.values_list("history_change_reason", flat=True))
    assert "Salah ketik nilai kriteria 1" in reasons
    # Frozen again after the fix.
    with pytest.raises(ValidationError):
        score_sheet_reopen(sheet=sheet, actor=declared.judge)


def test_stage_close_is_idempotent(stage, organiser):
    stage_close(stage=stage, actor=organiser, reason="Batas waktu penilaian habis.")
    first = stage.closed_at

    stage_close(stage=stage, actor=organiser, reason="Batas waktu penilaian habis.")

    assert stage.closed_at == first
    assert stage.history.first().history_user == organiser


def test_sheet_history_records_the_judge(declared, criteria):
    sheet = save(declared, criteria)

    assert sheet.history.first().history_user == declared.judge
    assert Score.history.filter(history_user=declared.judge).count() == 2


def test_every_score_change_is_in_the_history_with_its_judge(declared, criteria):
    first = save(declared, criteria)
    values = {criteria[0].pk: Decimal("65"), criteria[1].pk: Decimal("7.5")}

    save(declared, criteria, values=values, version=first.version)
    save(declared, criteria, values={criteria[0].pk: Decimal("65")}, version=first.version + 1)

    rows = Score.history.filter(criterion=criteria[0]).order_by("history_date", "history_id")
    assert [(r.history_type, r.value, r.history_user) for r in rows] == [
        ("+", Decimal("80"), declared.judge),
        ("~", Decimal("65"), declared.judge),
    ]
    removed = Score.history.filter(criterion=criteria[1]).order_by("history_date", "history_id")
    assert [(r.history_type, r.history_user) for r in removed] == [
        ("+", declared.judge),
        ("-", declared.judge),
    ]


# --- reminders ---


def test_remind_emails_only_judges_with_unfinished_sheets(
    declared, criteria, other_judge, django_capture_on_commit_callbacks
):
    save(declared, criteria, submit=True)
    other = f.AssignmentFactory(stage=declared.stage, judge=other_judge)
    f.AssignmentFactory(stage=declared.stage, judge=other_judge)

    with django_capture_on_commit_callbacks(execute=True):
        n = judges_remind(stage=declared.stage)

    assert n == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [other_judge.email]
    assert other.entry.innovation.title in mail.outbox[0].body
    assert declared.entry.innovation.title not in mail.outbox[0].body


def test_remind_command_covers_stages_closing_within_days(
    assignment, db, django_capture_on_commit_callbacks
):
    far = f.StageFactory(closes_at=timezone.now() + dt.timedelta(days=30))
    f.AssignmentFactory(stage=far)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_judges", "--days", "3")
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_judges", "--days", "15")
    assert [m.to for m in mail.outbox] == [[assignment.judge.email]]


def test_a_sheet_cannot_be_submitted_for_a_stage_without_criteria(judge):
    bare = f.AssignmentFactory(judge=judge)
    conflict_declare(assignment=bare, judge=judge, has_conflict=False)

    with pytest.raises(ValidationError) as exc:
        save(bare, [], values={}, comments={}, submit=True)

    assert exc.value.code == "no_criteria"
    assert not ScoreSheet.objects.exists()
