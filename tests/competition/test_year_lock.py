"""A finalised year is read-only, except through a new result version with a reason."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from competition.admin.judging import StageAdminForm
from competition.admin.setup import CompetitionAdminForm
from competition.models import Criterion, EntryStatus, ScoreSheet
from competition.services import assignment as assignment_services
from competition.services import judging as judging_services
from competition.services.finalists import finalist_remove, finalists_select, moderation_note_add
from competition.services.freeze import result_revision_open, year_is_locked
from competition.services.snapshot import result_finalise, result_publish
from competition.services.stages import criterion_save, stage_close, stage_reopen, stage_save
from competition.services.verification import result_verify
from tests import factories as f

pytestmark = pytest.mark.django_db

DECREE = {"decree_number": "188.45/123/417.101/2026", "decree_date": dt.date(2026, 11, 20)}
NEW_VERSION_PATH = "Perubahan hanya melalui versi baru hasil akhir"


@pytest.fixture
def scored(judge, other_judge):
    """Five entries scored by two judges on a closed desk stage: A > B > C > D > E."""
    stage = f.StageFactory(closed=True, rubric=(60, 40))
    criteria = list(stage.criteria.order_by("order"))
    entries = {}
    for ref, (a, b) in zip(
        "ABCDE", [(90, 88), (85, 84), (80, 79), (75, 70), (60, 62)], strict=True
    ):
        entries[ref] = f.EntryFactory(
            competition=stage.competition,
            reference=f"KIPP-{ref}",
            titled_by_reference=True,
            screened_in=True,
        )
        f.ScoreSheetFactory(
            stage=stage,
            entry=entries[ref],
            judge=judge,
            submitted=True,
            assigned=True,
            scores=[a, a],
        )
        f.ScoreSheetFactory(
            stage=stage,
            entry=entries[ref],
            judge=other_judge,
            submitted=True,
            assigned=True,
            scores=[b, b],
        )
    return stage, criteria, entries


@pytest.fixture
def finalised(scored, organiser):
    stage, criteria, entries = scored
    finalists_select(stage=stage, actor=organiser, top_n=3)
    snapshot = result_finalise(competition=stage.competition, actor=organiser, **DECREE)
    result_publish(snapshot=snapshot, actor=organiser)
    return stage, criteria, entries


def test_finalists_default_to_the_competition_setting(scored, organiser):
    stage, _, _entries = scored
    stage.competition.finalist_count = 2
    stage.competition.save()

    moved = finalists_select(stage=stage, actor=organiser)

    assert sorted(e.reference for e in moved) == ["KIPP-A", "KIPP-B"]


def test_leaderboard_offers_the_competition_finalist_count_not_every_entry(
    client, organiser, scored
):
    stage, _, _entries = scored
    stage.competition.finalist_count = 2
    stage.competition.save()
    client.force_login(organiser)

    html = client.get(reverse("competition:results_stage", args=[stage.pk])).content.decode()

    assert 'name="top_n" id="id_top_n" value="2"' in html


def test_finalists_select_refused_after_finalising(finalised, organiser):
    stage, _, entries = finalised

    with pytest.raises(ValidationError) as exc:
        finalists_select(
            stage=stage, actor=organiser, entry_ids=[entries["E"].pk], reason="Sanggah."
        )

    assert exc.value.code == "year_finalised"
    assert NEW_VERSION_PATH in exc.value.messages[0]
    entries["E"].refresh_from_db()
    assert entries["E"].status == EntryStatus.PASSED


def test_finalists_form_refused_after_finalising_names_the_new_version_path(
    client, organiser, finalised
):
    stage, _, entries = finalised
    client.force_login(organiser)

    page = client.get(reverse("competition:results_stage", args=[stage.pk])).content.decode()
    response = client.post(
        reverse("competition:results_finalists", args=[stage.pk]),
        {"mode": "top", "top_n": "5"},
        follow=True,
    )

    assert "daftar finalis tidak dapat diubah lagi" in page
    assert 'name="top_n"' not in page
    assert NEW_VERSION_PATH in response.content.decode()
    entries["D"].refresh_from_db()
    assert entries["D"].status == EntryStatus.PASSED


def test_finalist_remove_refused_after_finalising(finalised, organiser):
    _stage, _, entries = finalised

    with pytest.raises(ValidationError) as exc:
        finalist_remove(entry=entries["A"], actor=organiser, reason="Salah pilih.")

    assert exc.value.code == "year_finalised"


def test_sheet_reopen_refused_after_finalising(finalised, organiser, judge):
    stage, _, entries = finalised
    sheet = ScoreSheet.objects.get(stage=stage, entry=entries["D"], judge=judge)

    with pytest.raises(ValidationError) as exc:
        judging_services.score_sheet_reopen(sheet=sheet, actor=organiser, reason="Salah ketik.")

    assert exc.value.code == "year_finalised"
    sheet.refresh_from_db()
    assert sheet.status == "submitted"


def test_moderation_note_refused_after_finalising(finalised, organiser):
    stage, _, entries = finalised

    with pytest.raises(ValidationError) as exc:
        moderation_note_add(
            stage=stage, entry=entries["A"], actor=organiser, note="Nilai dipertahankan."
        )

    assert exc.value.code == "year_finalised"


def test_stage_changes_refused_after_finalising(finalised, organiser):
    stage, _, _entries = finalised
    stage.final_weight = Decimal("50")

    with pytest.raises(ValidationError) as exc:
        stage_save(stage=stage, actor=organiser)

    assert exc.value.code == "year_finalised"
    stage.refresh_from_db()
    assert stage.final_weight == Decimal("100")


def test_stage_admin_form_refuses_a_new_window_after_finalising(finalised):
    stage, _, _entries = finalised
    data = {
        field: getattr(stage, field)
        for field in StageAdminForm._meta.fields
        if field not in ("competition",)
    }
    data["competition"] = stage.competition_id
    data["closes_at"] = stage.closes_at + dt.timedelta(days=7)
    data["max_entries_per_judge"] = ""

    form = StageAdminForm(data=data, instance=stage)

    assert not form.is_valid()
    assert NEW_VERSION_PATH in form.non_field_errors()[0]


def test_criterion_change_refused_after_finalising(finalised, organiser):
    _stage, criteria, _entries = finalised
    criterion = Criterion.objects.get(pk=criteria[0].pk)
    criterion.weight = Decimal("70")

    with pytest.raises(ValidationError) as exc:
        criterion_save(criterion=criterion, actor=organiser)

    assert exc.value.code == "year_finalised"


def test_competition_admin_refuses_a_new_ladder_after_finalising(finalised):
    stage, _, _entries = finalised
    competition = stage.competition
    form = CompetitionAdminForm(instance=competition)
    data = {
        name: form.initial.get(name) for name in form.fields if form.initial.get(name) is not None
    }
    data["tie_break_ladder"] = '["first_places", "top_criterion"]'
    for name in ("submission_opens_at", "submission_closes_at"):
        value = getattr(competition, name)
        data[name] = value

    bound = CompetitionAdminForm(data=data, instance=competition)

    assert not bound.is_valid()
    assert any(NEW_VERSION_PATH in e for e in bound.non_field_errors())


def test_assignment_refused_after_finalising(finalised, organiser):
    stage, _, entries = finalised
    extra_judge = f.JudgeFactory()

    with pytest.raises(ValidationError) as exc:
        assignment_services.assignment_create(
            stage=stage, entry=entries["E"], judge=extra_judge, actor=organiser
        )

    assert exc.value.code == "year_finalised"


def test_new_result_version_opens_the_year_and_locks_it_again(finalised, organiser):
    stage, _, entries = finalised
    competition = stage.competition
    with pytest.raises(ValidationError):
        result_revision_open(competition=competition, actor=organiser, reason="")

    result_revision_open(
        competition=competition, actor=organiser, reason="Sanggah OPD D diterima dewan juri."
    )

    assert not year_is_locked(competition)
    record = competition.history.latest()
    assert record.history_change_reason == "Sanggah OPD D diterima dewan juri."
    assert record.history_user == organiser
    finalists_select(
        stage=stage, actor=organiser, entry_ids=[entries["D"].pk], reason="Sanggah diterima."
    )
    stage_reopen(stage=stage, actor=organiser, reason="Sanggah OPD D.")
    stage_close(stage=stage, actor=organiser)
    second = result_finalise(
        competition=competition, actor=organiser, reason="Sanggah OPD D diterima.", **DECREE
    )
    assert second.version == 2
    assert result_verify(second)
    competition.refresh_from_db()
    assert year_is_locked(competition)


def test_final_ranking_page_offers_the_new_version_path(client, organiser, finalised):
    stage, _, _entries = finalised
    client.force_login(organiser)
    url = reverse("competition:results_final", args=[stage.competition.year])

    locked = client.get(url).content.decode()
    response = client.post(
        reverse("competition:results_revision", args=[stage.competition.year]),
        {"reason": "Sanggah OPD diterima."},
        follow=True,
    )

    assert "Buka versi baru hasil" in locked
    html = response.content.decode()
    assert "Versi baru hasil dibuka pada" in html
    assert "Sanggah OPD diterima." in html


def test_a_reopened_sheet_blocks_finalising_until_it_is_sent_again(scored, organiser, judge):
    stage, _, entries = scored
    sheet = ScoreSheet.objects.get(stage=stage, entry=entries["B"], judge=judge)
    judging_services.score_sheet_reopen(sheet=sheet, actor=organiser, reason="Salah ketik.")

    with pytest.raises(ValidationError) as exc:
        result_finalise(competition=stage.competition, actor=organiser, **DECREE)

    assert exc.value.code == "sheet_reopened"
    assert "Dr. Juri Penilai untuk KIPP-B dibuka kembali" in exc.value.messages[0]


def test_admin_sheet_reopen_refused_after_finalising(client, finalised, organiser, judge):
    stage, _, entries = finalised
    sheet = ScoreSheet.objects.get(stage=stage, entry=entries["C"], judge=judge)
    client.force_login(organiser)

    response = client.post(
        reverse("admin:competition_scoresheet_reopen", args=[sheet.pk]),
        {"reason": "Juri salah ketik."},
    )

    assert NEW_VERSION_PATH in response.content.decode()
    sheet.refresh_from_db()
    assert sheet.status == "submitted"


def _pages(client, stage, entry):
    schedule = client.get(reverse("competition:results_schedule", args=[stage.pk]))
    moderation = client.get(reverse("competition:results_moderation", args=[stage.pk, entry.pk]))
    return schedule.content.decode(), moderation.content.decode()


def test_finalised_year_offers_no_finalist_removal_or_moderation_note(client, organiser, finalised):
    stage, _, entries = finalised
    client.force_login(organiser)
    final_url = reverse("competition:results_final", args=[stage.competition.year])

    schedule, moderation = _pages(client, stage, entries["A"])

    assert "Batalkan finalis" not in schedule
    assert "Simpan catatan" not in moderation and 'name="note"' not in moderation
    for html in (schedule, moderation):
        assert NEW_VERSION_PATH in html
        assert f'href="{final_url}"' in html


def test_open_year_offers_finalist_removal_and_moderation_note(client, organiser, scored):
    stage, _, entries = scored
    finalists_select(stage=stage, actor=organiser, top_n=3)
    client.force_login(organiser)

    schedule, moderation = _pages(client, stage, entries["A"])

    assert "Batalkan finalis" in schedule
    assert "Simpan catatan" in moderation
    assert NEW_VERSION_PATH not in schedule and NEW_VERSION_PATH not in moderation


def test_new_result_version_offers_the_actions_again(client, organiser, finalised):
    stage, _, entries = finalised
    result_revision_open(competition=stage.competition, actor=organiser, reason="Sanggah.")
    client.force_login(organiser)

    schedule, moderation = _pages(client, stage, entries["A"])

    assert "Batalkan finalis" in schedule
    assert "Simpan catatan" in moderation
