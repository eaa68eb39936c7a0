"""The organiser's judging pages, the judging admin, and the audit trail."""

# The shared fixtures are imported by name, which pyflakes reads as redefinitions.
# ruff: noqa: F811

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from competition.models import Assignment, Criterion, EntryStatus, ScoreSheet, SheetStatus
from competition.services.assignment import assignment_plan
from competition.services.judging import conflict_declare, score_sheet_save
from competition.services.stages import stage_close
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


def submit(a, criteria):
    return score_sheet_save(
        sheet_or_assignment=a,
        judge=a.judge,
        values=full_values(criteria),
        comments=full_comments(criteria),
        expected_version=0,
        submit=True,
    )


ORGANISER_PAGES = [
    ("competition:judging_stages", False),
    ("competition:judging_progress", True),
    ("competition:judging_auto_assign", True),
    ("competition:judging_category_assign", True),
]


# --- access ---


@pytest.mark.parametrize(("name", "with_stage"), ORGANISER_PAGES)
@pytest.mark.parametrize("persona", ["staff_a", "judge"])
def test_organiser_pages_are_404_for_others(client, stage, request, persona, name, with_stage):
    client.force_login(request.getfixturevalue(persona))
    url = reverse(name, args=[stage.pk] if with_stage else [])

    assert client.get(url).status_code == 404


@pytest.mark.parametrize("name", ["judging_remind", "judging_close"])
def test_organiser_actions_are_404_for_a_judge(client, stage, judge, name):
    client.force_login(judge)

    response = client.post(reverse(f"competition:{name}", args=[stage.pk]))

    assert response.status_code == 404
    stage.refresh_from_db()
    assert stage.closed_at is None


def test_audit_pages_are_404_for_judges(client, declared, judge):
    client.force_login(judge)

    assert (
        client.get(reverse("competition:judging_audit_entry", args=[declared.entry.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("competition:judging_audit_judge", args=[judge.pk])).status_code == 404
    )


def test_anonymous_goes_to_login(client, stage):
    response = client.get(reverse("competition:judging_progress", args=[stage.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- progress ---


def test_progress_shows_per_judge_and_per_entry(client, organiser, declared, criteria, other_judge):
    submit(declared, criteria)
    f.AssignmentFactory(stage=declared.stage, entry=declared.entry, judge=other_judge)
    client.force_login(organiser)

    response = client.get(reverse("competition:judging_progress", args=[declared.stage.pk]))

    page = response.content.decode()
    judges = {row.judge: row for row in response.context["progress"].judges}
    assert (judges[declared.judge].assigned, judges[declared.judge].submitted) == (1, 1)
    assert judges[declared.judge].percent_done == 100
    assert (judges[other_judge].assigned, judges[other_judge].submitted) == (1, 0)
    [row] = response.context["entries"]
    assert (row.submitted, row.assigned) == (1, 2)
    assert "1 / 2" in page
    assert "1 dari 2 lembar dikirim (50%)" in page


def test_progress_lists_entries_below_k_with_a_top_up_button(client, organiser, assignment):
    client.force_login(organiser)

    response = client.get(reverse("competition:judging_progress", args=[assignment.stage.pk]))

    page = response.content.decode()
    assert [r.entry for r in response.context["progress"].below_k] == [assignment.entry]
    assert (
        reverse("competition:judging_top_up", args=[assignment.stage.pk, assignment.entry.pk])
        in page
    )


def test_progress_query_count_does_not_grow(
    client, organiser, stage, django_assert_max_num_queries
):
    f.AssignmentFactory(stage=stage, entry__status=EntryStatus.PASSED)
    client.force_login(organiser)
    url = reverse("competition:judging_progress", args=[stage.pk])
    with django_assert_max_num_queries(12):
        client.get(url)
    for _ in range(10):
        a = f.AssignmentFactory(stage=stage, entry__status=EntryStatus.PASSED)
        ScoreSheet.objects.create(stage=stage, entry=a.entry, judge=a.judge)

    with django_assert_max_num_queries(12):
        response = client.get(url)

    assert len(response.context["progress"].judges) == 11


def test_top_up_after_a_declared_conflict(client, organiser, assignment, other_judge):
    conflict_declare(
        assignment=assignment, judge=assignment.judge, has_conflict=True, reason="Kerabat"
    )
    client.force_login(organiser)

    response = client.post(
        reverse("competition:judging_top_up", args=[assignment.stage.pk, assignment.entry.pk]),
        follow=True,
    )

    assert list(Assignment.objects.values_list("judge", flat=True)) == [other_judge.pk]
    assert "Dr. Juri Lain ditugaskan" in response.content.decode()


def test_remind_button_emails_judges(
    client, organiser, assignment, django_capture_on_commit_callbacks
):
    client.force_login(organiser)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("competition:judging_remind", args=[assignment.stage.pk]), follow=True
        )

    assert "Pengingat dikirim kepada 1 juri" in response.content.decode()
    assert [m.to for m in mail.outbox] == [[assignment.judge.email]]


def test_close_button_freezes_the_stage(client, organiser, stage):
    client.force_login(organiser)

    response = client.post(reverse("competition:judging_close", args=[stage.pk]), follow=True)

    stage.refresh_from_db()
    assert stage.closed_at is not None
    assert "semua lembar penilaian beku" in response.content.decode()


def test_close_page_asks_before_closing(client, organiser, stage):
    client.force_login(organiser)

    response = client.get(reverse("competition:judging_close", args=[stage.pk]))

    stage.refresh_from_db()
    assert stage.closed_at is None
    assert "Semua lembar penilaian yang ditugaskan sudah dikirim" in response.content.decode()


# --- assignment pages ---


def test_auto_assign_preview_then_confirm(
    client, organiser, stage, agency_b, django_capture_on_commit_callbacks
):
    for _ in range(2):
        f.EntryFactory(
            competition=stage.competition, status=EntryStatus.PASSED, innovation__agency=agency_b
        )
    j1, j2 = f.JudgeFactory(full_name="Juri Satu"), f.JudgeFactory(full_name="Juri Dua")
    client.force_login(organiser)
    url = reverse("competition:judging_auto_assign", args=[stage.pk])

    preview = client.get(url, {"pratinjau": "1", "acak": "7"})

    page = preview.content.decode()
    assert "Juri Satu" in page and "Juri Dua" in page
    assert "4 penugasan baru" in page
    assert not Assignment.objects.exists()
    token = preview.context["plan"].token

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"token": token})

    assert Assignment.objects.count() == 4
    assert sorted(m.to[0] for m in mail.outbox) == sorted([j1.email, j2.email])


def test_auto_assign_confirm_refused_when_data_changed(client, organiser, stage, agency_b, entry):
    f.EntryFactory(
        competition=stage.competition, status=EntryStatus.PASSED, innovation__agency=agency_b
    )
    f.JudgeFactory()
    f.JudgeFactory()
    token = assignment_plan(stage=stage).token
    f.AssignmentFactory(stage=stage, entry=entry)  # someone assigned meanwhile
    client.force_login(organiser)

    response = client.post(
        reverse("competition:judging_auto_assign", args=[stage.pk]), {"token": token}, follow=True
    )

    assert "berubah sejak pratinjau" in response.content.decode()
    assert Assignment.objects.count() == 1


def test_category_to_panel_page(client, organiser, stage, agency_b):
    category = f.CategoryFactory(competition=stage.competition, name="Lingkungan")
    e = f.EntryFactory(
        competition=stage.competition,
        category=category,
        status=EntryStatus.PASSED,
        innovation__agency=agency_b,
    )
    panel = [f.JudgeFactory(), f.JudgeFactory(agency=agency_b)]
    client.force_login(organiser)

    response = client.post(
        reverse("competition:judging_category_assign", args=[stage.pk]),
        {"category": category.pk, "judges": [j.pk for j in panel]},
        follow=True,
    )

    assert list(Assignment.objects.values_list("entry", "judge")) == [(e.pk, panel[0].pk)]
    assert "tidak boleh menilainya" in response.content.decode()


# --- audit ---


def test_audit_per_entry_shows_who_when_old_and_new(client, organiser, declared, criteria):
    sheet = submit(declared, criteria)
    from competition.services.judging import score_sheet_reopen

    score_sheet_reopen(sheet=sheet, actor=declared.judge)
    client.force_login(organiser)

    response = client.get(reverse("competition:judging_audit_entry", args=[declared.entry.pk]))

    page = response.content.decode()
    assert "Dr. Juri Penilai" in page
    assert "Dikirim → Draf" in page
    assert "Kebaruan" in page
    assert "80" in page


def test_audit_per_judge_query_count(
    client, organiser, declared, criteria, django_assert_max_num_queries
):
    submit(declared, criteria)
    client.force_login(organiser)
    url = reverse("competition:judging_audit_judge", args=[declared.judge.pk])
    with django_assert_max_num_queries(14):
        client.get(url)
    for _ in range(5):
        a = f.AssignmentFactory(stage=declared.stage, judge=declared.judge)
        conflict_declare(assignment=a, judge=a.judge, has_conflict=False)

    with django_assert_max_num_queries(14):
        response = client.get(url)

    assert len(response.context["rows"].object_list) > 10


# --- organiser admin ---


def stage_form(stage, rows):
    data = {
        "competition": stage.competition.pk,
        "order": stage.order,
        "kind": stage.kind,
        "name": stage.name,
        "opens_at_0": timezone.localtime(stage.opens_at).strftime("%d/%m/%Y"),
        "opens_at_1": timezone.localtime(stage.opens_at).strftime("%H:%M:%S"),
        "closes_at_0": timezone.localtime(stage.closes_at).strftime("%d/%m/%Y"),
        "closes_at_1": timezone.localtime(stage.closes_at).strftime("%H:%M:%S"),
        "final_weight": "100",
        "judges_per_entry": "3",
        "max_entries_per_judge": "",
        "min_entries_for_normalisation": "5",
        "criteria-TOTAL_FORMS": str(len(rows)),
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
    }
    for i, (label, weight) in enumerate(rows):
        data.update(
            {
                f"criteria-{i}-order": str(i),
                f"criteria-{i}-label": label,
                f"criteria-{i}-guidance": "",
                f"criteria-{i}-min_score": "0",
                f"criteria-{i}-max_score": "100",
                f"criteria-{i}-weight": weight,
                f"criteria-{i}-stage": str(stage.pk),
            }
        )
    return data


@pytest.fixture
def future_stage(db):
    return f.StageFactory(
        opens_at=timezone.now() + dt.timedelta(days=5),
        closes_at=timezone.now() + dt.timedelta(days=20),
    )


def test_stage_admin_refuses_weights_not_adding_to_100(client, organiser, future_stage):
    client.force_login(organiser)
    url = reverse("admin:competition_stage_change", args=[future_stage.pk])

    response = client.post(
        url, stage_form(future_stage, [("Kebaruan", "50"), ("Efektivitas", "40")])
    )

    assert response.status_code == 200
    assert "harus tepat 100%" in response.content.decode()
    assert not Criterion.objects.exists()


def test_stage_admin_saves_weights_of_100(client, organiser, future_stage):
    client.force_login(organiser)
    url = reverse("admin:competition_stage_change", args=[future_stage.pk])

    response = client.post(
        url, stage_form(future_stage, [("Kebaruan", "60"), ("Efektivitas", "40")])
    )

    assert response.status_code == 302
    assert sorted(Criterion.objects.values_list("weight", flat=True)) == [Decimal(40), Decimal(60)]
    assert Criterion.history.first().history_user == organiser


def test_stage_admin_criteria_are_read_only_once_open(client, organiser, stage, criteria):
    client.force_login(organiser)

    page = client.get(reverse("admin:competition_stage_change", args=[stage.pk])).content.decode()

    assert 'name="criteria-0-weight"' not in page
    assert "Kebaruan" in page


def test_assignment_admin_refuses_a_conflicted_pair(client, organiser, stage, entry, agency_b):
    judge = f.JudgeFactory(agency=agency_b)
    client.force_login(organiser)

    response = client.post(
        reverse("admin:competition_assignment_add"),
        {"stage": stage.pk, "entry": entry.pk, "judge": judge.pk},
    )

    assert "tidak boleh menilainya" in response.content.decode()
    assert not Assignment.objects.exists()


def test_assignment_admin_list_query_count(client, organiser, stage, django_assert_max_num_queries):
    f.AssignmentFactory(stage=stage)
    client.force_login(organiser)
    url = reverse("admin:competition_assignment_changelist")
    with django_assert_max_num_queries(15):
        client.get(url)
    for _ in range(10):
        f.AssignmentFactory(stage=stage)

    with django_assert_max_num_queries(15):
        response = client.get(url)

    assert response.context["cl"].result_count == 11


def test_organiser_reopens_a_frozen_sheet_with_reason_and_judge_sees_it(
    client, organiser, declared, criteria
):
    sheet = submit(declared, criteria)
    stage_close(stage=declared.stage, actor=organiser, reason="Batas waktu penilaian habis.")
    client.force_login(organiser)
    url = reverse("admin:competition_scoresheet_reopen", args=[sheet.pk])

    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200
    client.post(url, {"reason": "Nilai kriteria 1 salah ketik"})

    sheet.refresh_from_db()
    assert (sheet.status, sheet.reopen_reason) == (
        SheetStatus.DRAFT,
        "Nilai kriteria 1 salah ketik",
    )
    client.force_login(declared.judge)
    desk = client.get(reverse("judge_desk:competition_assignment_changelist")).content.decode()
    assert "Bank Sampah Digital" in desk
    page = client.get(
        reverse("judge_desk:competition_assignment_change", args=[declared.pk])
    ).content.decode()
    assert "Nilai kriteria 1 salah ketik" in page
    assert "Simpan draf" in page


def test_organiser_admin_pages_for_judging_render(client, organiser, declared, criteria):
    sheet = submit(declared, criteria)
    client.force_login(organiser)

    stages = client.get(reverse("admin:competition_stage_changelist")).content.decode()
    sheets = client.get(reverse("admin:competition_scoresheet_changelist")).content.decode()
    one = client.get(reverse("admin:competition_scoresheet_change", args=[sheet.pk]))
    declarations = client.get(reverse("admin:competition_conflictdeclaration_changelist"))

    assert reverse("competition:judging_progress", args=[declared.stage.pk]) in stages
    assert "Bank Sampah Digital" in sheets or "KIPP-2026-0001" in sheets
    assert "Kebaruan: 80" in one.content.decode()
    assert reverse("admin:competition_scoresheet_reopen", args=[sheet.pk]) in one.content.decode()
    assert "Dr. Juri Penilai" in declarations.content.decode()


def test_assignment_admin_assigns_one_judge_by_choosing_the_entry(
    client, organiser, stage, entry, judge, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    form = client.get(reverse("admin:competition_assignment_add")).content.decode()
    assert "KIPP-2026-0001 · Bank Sampah Digital" in form

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:competition_assignment_add"),
            {"stage": stage.pk, "entry": entry.pk, "judge": judge.pk},
        )

    assignment = Assignment.objects.get()
    assert (assignment.judge, assignment.assigned_by) == (judge, organiser)
    assert [m.to for m in mail.outbox] == [[judge.email]]
