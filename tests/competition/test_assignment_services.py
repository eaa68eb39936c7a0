"""Assigning judges: conflicts of interest, panels, automatic plan with preview, top-up, e-mail."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from competition.models import Assignment, ConflictDeclaration, EntryStatus, StageKind
from competition.services.assignment import (
    assignment_create,
    assignment_plan,
    assignment_remove,
    assignment_top_up,
    assignments_apply_plan,
    assignments_create_for_category,
)
from opd.models import AgencyKind
from tests import factories as f


@pytest.fixture
def stage(db):
    return f.StageFactory(judges_per_entry=2)


@pytest.fixture
def dinkes(db):
    return f.AgencyFactory(name="Dinas Kesehatan PPKB", short_name="Dinkesppkb")


@pytest.fixture
def puskesmas(dinkes):
    return f.AgencyFactory(name="UPT Puskesmas Wates", kind=AgencyKind.PUSKESMAS, parent=dinkes)


def passed_entry(stage, agency, **kwargs):
    return f.EntryFactory(
        competition=stage.competition,
        innovation__agency=agency,
        status=EntryStatus.PASSED,
        **kwargs,
    )


# --- conflict rules in manual assignment ---


def test_judge_from_the_entrys_own_opd_is_refused(stage, dinkes, organiser):
    judge = f.JudgeFactory(agency=dinkes)
    entry = passed_entry(stage, dinkes)

    with pytest.raises(ValidationError) as exc:
        assignment_create(stage=stage, entry=entry, judge=judge, actor=organiser)

    assert exc.value.code == "conflict"
    assert not Assignment.objects.exists()


def test_judge_from_the_parent_opd_is_refused(stage, dinkes, puskesmas, organiser):
    judge = f.JudgeFactory(agency=dinkes)
    entry = passed_entry(stage, puskesmas)

    with pytest.raises(ValidationError) as exc:
        assignment_create(stage=stage, entry=entry, judge=judge, actor=organiser)

    assert "induk" in exc.value.messages[0]
    assert not Assignment.objects.exists()


def test_judge_from_a_child_unit_is_refused(stage, dinkes, puskesmas, organiser):
    judge = f.JudgeFactory(agency=puskesmas)
    entry = passed_entry(stage, dinkes)

    with pytest.raises(ValidationError):
        assignment_create(stage=stage, entry=entry, judge=judge, actor=organiser)

    assert not Assignment.objects.exists()


def test_judge_who_declared_a_conflict_is_refused_in_any_stage(stage, agency_b, organiser):
    judge = f.JudgeFactory()
    entry = passed_entry(stage, agency_b)
    earlier = f.StageFactory(competition=stage.competition)
    ConflictDeclaration.objects.create(
        stage=earlier, entry=entry, judge=judge, has_conflict=True, reason="Saudara inovator"
    )

    with pytest.raises(ValidationError) as exc:
        assignment_create(stage=stage, entry=entry, judge=judge, actor=organiser)

    assert "menyatakan konflik" in exc.value.messages[0]


def test_unrelated_judge_is_assigned_and_emailed(
    stage, dinkes, agency_b, organiser, django_capture_on_commit_callbacks
):
    judge = f.JudgeFactory(agency=agency_b)
    entry = passed_entry(stage, dinkes)

    with django_capture_on_commit_callbacks(execute=True):
        assignment = assignment_create(stage=stage, entry=entry, judge=judge, actor=organiser)

    assert (assignment.judge, assignment.assigned_by) == (judge, organiser)
    assert Assignment.history.get().history_user == organiser
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [judge.email]
    assert entry.innovation.title in mail.outbox[0].body
    assert "/penilaian/" in mail.outbox[0].body


def test_duplicate_assignment_is_refused(stage, agency_b, judge, organiser):
    entry = passed_entry(stage, agency_b)
    assignment_create(stage=stage, entry=entry, judge=judge, actor=organiser)

    with pytest.raises(ValidationError) as exc:
        assignment_create(stage=stage, entry=entry, judge=judge, actor=organiser)

    assert exc.value.code == "duplicate"


def test_opd_staff_cannot_be_assigned_as_judge(stage, agency_b, staff_a, organiser):
    entry = passed_entry(stage, agency_b)

    with pytest.raises(ValidationError):
        assignment_create(stage=stage, entry=entry, judge=staff_a, actor=organiser)


# --- category to panel ---


def test_category_goes_to_every_panel_judge_skipping_conflicts(
    stage, dinkes, puskesmas, agency_b, organiser, django_capture_on_commit_callbacks
):
    category = f.CategoryFactory(competition=stage.competition, name="Kesehatan")
    e1 = passed_entry(stage, puskesmas, category=category)
    e2 = passed_entry(stage, agency_b, category=category)
    passed_entry(stage, agency_b)  # another category
    f.EntryFactory(competition=stage.competition, category=category)  # a draft: not judged
    dinkes_judge = f.JudgeFactory(agency=dinkes)
    outside = f.JudgeFactory()

    with django_capture_on_commit_callbacks(execute=True):
        result = assignments_create_for_category(
            stage=stage, category=category, judges=[dinkes_judge, outside], actor=organiser
        )

    pairs = set(Assignment.objects.values_list("entry_id", "judge_id"))
    assert pairs == {(e1.pk, outside.pk), (e2.pk, outside.pk), (e2.pk, dinkes_judge.pk)}
    assert len(result.skipped) == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([dinkes_judge.email, outside.email])


# --- automatic assignment ---


def test_auto_plan_preview_saves_nothing_and_respects_rules(stage, dinkes, agency_b):
    entries = [passed_entry(stage, agency_b) for _ in range(3)] + [passed_entry(stage, dinkes)]
    judges = [f.JudgeFactory(agency=dinkes), f.JudgeFactory(), f.JudgeFactory()]

    plan = assignment_plan(stage=stage)

    assert not Assignment.objects.exists()
    pairs = {(p.entry.pk, p.judge.pk) for p in plan.pairs}
    assert len(pairs) == 2 * len(entries)
    assert (entries[3].pk, judges[0].pk) not in pairs
    loads = [after for _j, _before, after in plan.loads]
    assert max(loads) - min(loads) <= 1
    assert plan.shortfalls == []


def test_auto_plan_names_entries_that_cannot_get_k_judges(stage, dinkes):
    entry = passed_entry(stage, dinkes)
    f.JudgeFactory(agency=dinkes)
    f.JudgeFactory()

    plan = assignment_plan(stage=stage)

    [short] = plan.shortfalls
    assert short.entry == entry
    assert (short.assigned, short.needed) == (1, 2)
    assert "bebas konflik" in short.reason


def test_auto_plan_only_takes_entries_eligible_for_the_stage(db):
    stage = f.StageFactory(kind=StageKind.PRESENTATION, judges_per_entry=1)
    finalist = f.EntryFactory(competition=stage.competition, status=EntryStatus.FINALIST)
    f.EntryFactory(competition=stage.competition, status=EntryStatus.PASSED)
    f.JudgeFactory()

    plan = assignment_plan(stage=stage)

    assert [p.entry for p in plan.pairs] == [finalist]


def test_apply_plan_saves_the_previewed_pairs_and_emails_each_judge_once(
    stage, agency_b, organiser, django_capture_on_commit_callbacks
):
    for _ in range(4):
        passed_entry(stage, agency_b)
    judges = [f.JudgeFactory(), f.JudgeFactory()]
    plan = assignment_plan(stage=stage)

    with django_capture_on_commit_callbacks(execute=True):
        created = assignments_apply_plan(stage=stage, token=plan.token, actor=organiser)

    assert {(a.entry_id, a.judge_id) for a in created} == {
        (p.entry.pk, p.judge.pk) for p in plan.pairs
    }
    assert len(created) == 8
    assert sorted(m.to[0] for m in mail.outbox) == sorted(j.email for j in judges)
    assert all("4 proposal" in m.subject for m in mail.outbox)


def test_apply_plan_refuses_when_something_changed_since_preview(stage, agency_b, organiser):
    passed_entry(stage, agency_b)
    f.JudgeFactory()
    f.JudgeFactory()
    plan = assignment_plan(stage=stage)
    passed_entry(stage, agency_b)  # a new eligible entry arrives

    with pytest.raises(ValidationError) as exc:
        assignments_apply_plan(stage=stage, token=plan.token, actor=organiser)

    assert exc.value.code == "plan_changed"
    assert not Assignment.objects.exists()


def test_apply_plan_refuses_a_tampered_token(stage, organiser):
    with pytest.raises(ValidationError) as exc:
        assignments_apply_plan(stage=stage, token="palsu", actor=organiser)

    assert exc.value.code == "bad_token"


def test_auto_plan_keeps_existing_assignments(stage, agency_b, organiser):
    entry = passed_entry(stage, agency_b)
    j1, j2, j3 = f.JudgeFactory(), f.JudgeFactory(), f.JudgeFactory()
    f.AssignmentFactory(stage=stage, entry=entry, judge=j1)

    plan = assignment_plan(stage=stage)

    assert len(plan.pairs) == 1
    assert plan.pairs[0].judge in (j2, j3)


# --- top-up and removal ---


def test_top_up_assigns_the_least_loaded_eligible_judge(stage, dinkes, agency_b, organiser):
    entry = passed_entry(stage, agency_b)
    busy, idle = f.JudgeFactory(), f.JudgeFactory()
    f.JudgeFactory(agency=agency_b)  # conflicted, also idle
    f.AssignmentFactory(stage=stage, judge=busy)

    assignment = assignment_top_up(stage=stage, entry=entry, actor=organiser)

    assert assignment.judge == idle


def test_top_up_explains_when_no_judge_is_left(stage, agency_b, organiser):
    entry = passed_entry(stage, agency_b)
    f.JudgeFactory(agency=agency_b)

    with pytest.raises(ValidationError) as exc:
        assignment_top_up(stage=stage, entry=entry, actor=organiser)

    assert exc.value.code == "no_judge"


def test_removing_an_assignment_with_a_submitted_sheet_is_refused(stage, organiser):
    a = f.AssignmentFactory(stage=stage)
    f.ScoreSheetFactory(stage=stage, entry=a.entry, judge=a.judge, status="submitted")

    with pytest.raises(ValidationError):
        assignment_remove(assignment=a, actor=organiser)

    assert Assignment.objects.filter(pk=a.pk).exists()


# --- property: the automatic plan never pairs a judge with his or her agency circle ---


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    parents=st.lists(st.integers(-1, 3), min_size=2, max_size=6),
    entry_agencies=st.lists(st.integers(0, 5), min_size=1, max_size=8),
    judge_agencies=st.lists(st.one_of(st.none(), st.integers(0, 5)), min_size=1, max_size=6),
    k=st.integers(1, 3),
    cap=st.one_of(st.none(), st.integers(1, 4)),
)
def test_auto_plan_never_pairs_a_judge_with_a_related_agency(
    db, parents, entry_agencies, judge_agencies, k, cap
):
    with transaction.atomic():
        stage = f.StageFactory(judges_per_entry=k, max_entries_per_judge=cap)
        agencies = []
        for i, parent in enumerate(parents):
            # Only earlier agencies can be parents, so there is no cycle.
            agencies.append(f.AgencyFactory(parent=agencies[parent] if 0 <= parent < i else None))
        for i in entry_agencies:
            passed_entry(stage, agencies[i % len(agencies)])
        for i in judge_agencies:
            f.JudgeFactory(agency=None if i is None else agencies[i % len(agencies)])

        plan = assignment_plan(stage=stage)

        for pair in plan.pairs:
            if pair.judge.agency_id is not None:
                assert pair.entry.agency_id not in pair.judge.agency.related_agency_ids()
        per_entry = {}
        for pair in plan.pairs:
            per_entry[pair.entry.pk] = per_entry.get(pair.entry.pk, 0) + 1
        short = {s.entry.pk for s in plan.shortfalls}
        for entry_id, n in per_entry.items():
            assert n == k or entry_id in short
        if cap is not None:
            assert all(after <= cap for _j, _before, after in plan.loads)
        transaction.set_rollback(True)
