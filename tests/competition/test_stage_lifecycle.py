"""A stage closes with a reason when sheets are missing, and reopens with a reason."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from competition.models import Stage
from competition.services.snapshot import result_finalise
from competition.services.stages import stage_close, stage_reopen
from tests import factories as f

pytestmark = pytest.mark.django_db

DECREE = {"decree_number": "188.45/123/417.101/2026", "decree_date": dt.date(2026, 11, 20)}


@pytest.fixture
def half_done(judge, other_judge):
    """An open stage: the first judge sent both sheets, the other sent one and drafted one."""
    stage = f.StageFactory(rubric=(60, 40))
    a, b = f.scored_entries(stage, judge, {"KIPP-A": [90, 90], "KIPP-B": [80, 80]})
    f.ScoreSheetFactory(
        stage=stage, entry=a, judge=other_judge, submitted=True, assigned=True, scores=[88, 88]
    )
    f.ScoreSheetFactory(stage=stage, entry=b, judge=other_judge, assigned=True, scores=[70, 70])
    third = f.JudgeFactory(full_name="Dr. Juri Ketiga")
    f.AssignmentFactory(stage=stage, entry=a, judge=third)
    return stage


def test_stage_close_with_missing_sheets_needs_a_reason(half_done, organiser):
    with pytest.raises(ValidationError) as exc:
        stage_close(stage=half_done, actor=organiser)

    assert "2 lembar penilaian belum dikirim oleh 2 juri" in exc.value.messages[0]
    half_done.refresh_from_db()
    assert half_done.closed_at is None


def test_stage_close_keeps_the_reason_in_the_stage_history(half_done, organiser):
    stage_close(stage=half_done, actor=organiser, reason="Rapat pleno dimajukan.")

    half_done.refresh_from_db()
    assert half_done.closed_at is not None
    record = half_done.history.latest()
    assert record.history_change_reason == "Rapat pleno dimajukan."
    assert record.history_user == organiser


def test_close_page_lists_missing_sheets_per_judge(client, half_done, organiser):
    client.force_login(organiser)

    response = client.get(reverse("competition:judging_close", args=[half_done.pk]))

    html = response.content.decode()
    assert "2 lembar penilaian belum dikirim" in html
    assert "<strong>Dr. Juri Lain</strong>: KIPP-B Inovasi KIPP-B (draf)" in html
    assert "<strong>Dr. Juri Ketiga</strong>: KIPP-A Inovasi KIPP-A" in html
    assert "Dr. Juri Penilai" not in html


def test_close_page_asks_for_a_reason_then_closes(client, half_done, organiser):
    client.force_login(organiser)
    url = reverse("competition:judging_close", args=[half_done.pk])

    refused = client.post(url, {"reason": ""})
    half_done.refresh_from_db()
    assert half_done.closed_at is None
    assert "Tuliskan alasan menutup tahap sekarang" in refused.content.decode()

    closed = client.post(url, {"reason": "Juri ketiga berhalangan."}, follow=True)
    half_done.refresh_from_db()
    assert half_done.closed_at is not None
    assert "semua lembar penilaian beku" in closed.content.decode()


def test_stage_reopen_needs_a_reason(half_done, organiser):
    stage_close(stage=half_done, actor=organiser, reason="Batas waktu.")

    with pytest.raises(ValidationError) as exc:
        stage_reopen(stage=half_done, actor=organiser, reason=" ")

    assert exc.value.messages == ["Tuliskan alasan membuka kembali tahap ini."]


def test_stage_reopen_opens_audits_and_tells_the_judges(
    half_done, organiser, django_capture_on_commit_callbacks
):
    stage_close(stage=half_done, actor=organiser, reason="Batas waktu.")

    with django_capture_on_commit_callbacks(execute=True):
        stage_reopen(
            stage=half_done, actor=organiser, reason="Dua lembar belum masuk karena sakit."
        )

    half_done.refresh_from_db()
    assert half_done.closed_at is None
    assert half_done.is_open()
    record = half_done.history.latest()
    assert record.history_change_reason == "Dua lembar belum masuk karena sakit."
    assert record.history_user == organiser
    judges = set(half_done.assignments.values_list("judge__email", flat=True))
    assert len(judges) == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(judges)
    assert "dibuka kembali" in mail.outbox[0].subject
    assert "Dua lembar belum masuk karena sakit." in mail.outbox[0].body


def test_stage_reopen_after_its_window_needs_a_new_end(half_done, organiser):
    stage_close(stage=half_done, actor=organiser, reason="Batas waktu.")
    Stage.objects.filter(pk=half_done.pk).update(closes_at=timezone.now() - dt.timedelta(hours=1))

    with pytest.raises(ValidationError) as exc:
        stage_reopen(stage=half_done, actor=organiser, reason="Sanggah juri.")
    assert "Tentukan batas penilaian yang baru" in exc.value.messages[0]

    new_end = timezone.now() + dt.timedelta(days=2)
    stage_reopen(stage=half_done, actor=organiser, reason="Sanggah juri.", closes_at=new_end)
    half_done.refresh_from_db()
    assert half_done.closes_at == new_end
    assert half_done.is_open()


def test_reopen_page_reopens_the_stage(client, half_done, organiser):
    stage_close(stage=half_done, actor=organiser, reason="Batas waktu.")
    client.force_login(organiser)

    response = client.post(
        reverse("competition:judging_reopen", args=[half_done.pk]),
        {"reason": "Lembar juri ketiga tertinggal."},
        follow=True,
    )

    half_done.refresh_from_db()
    assert half_done.closed_at is None
    text = " ".join(response.content.decode().split())
    assert "dibuka kembali; juri diberi tahu" in text
    assert "Petugas Bagian Organisasi · dibuka kembali: Lembar juri ketiga tertinggal." in text
    assert "Petugas Bagian Organisasi · ditutup: Batas waktu." in text


def test_stage_reopen_refused_once_the_year_is_finalised(judge, organiser):
    stage = f.StageFactory(closed=True, rubric=(60, 40))
    for ref, value in (("A", 90), ("B", 80), ("C", 70)):
        f.ScoreSheetFactory(
            stage=stage,
            entry=f.EntryFactory(
                competition=stage.competition,
                reference=ref,
                titled_by_reference=True,
                screened_in=True,
            ),
            judge=judge,
            submitted=True,
            assigned=True,
            scores=[value] * 2,
        )
    result_finalise(competition=stage.competition, actor=organiser, **DECREE)

    with pytest.raises(ValidationError) as exc:
        stage_reopen(stage=stage, actor=organiser, reason="Sanggah.")

    assert "versi baru hasil akhir" in exc.value.messages[0]
    stage.refresh_from_db()
    assert stage.closed_at is not None


def test_judge_desk_says_when_the_stage_closed(client, half_done, judge, organiser):
    stage_close(stage=half_done, actor=organiser, reason="Batas waktu.")
    Stage.objects.filter(pk=half_done.pk).update(
        closed_at=dt.datetime(2026, 10, 5, 9, 30, tzinfo=dt.UTC)
    )
    client.force_login(judge)

    response = client.get(reverse("judge_desk:index"))

    html = response.content.decode()
    year = half_done.competition.year
    assert f"Tahap Penilaian proposal {year} ditutup pada 5 Oktober 2026 16:30" in html
    assert "Tidak ada tahap penilaian yang sedang dibuka untuk Anda." in html


def test_admin_close_action_sends_a_stage_with_missing_sheets_to_its_close_page(
    client, half_done, organiser
):
    client.force_login(organiser)

    response = client.post(
        reverse("admin:competition_stage_changelist"),
        {"action": "close_stages", "_selected_action": [half_done.pk]},
        follow=True,
    )

    half_done.refresh_from_db()
    assert half_done.closed_at is None
    html = response.content.decode()
    assert "masih ada lembar penilaian yang belum dikirim" in html
    assert reverse("competition:judging_close", args=[half_done.pk]) in html
    assert "0 tahap ditutup." in html
