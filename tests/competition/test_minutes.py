"""The berita acara and the certificates tell the truth about the stage and its dates."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import formats, timezone
from pypdf import PdfReader

from competition.models import EntryStatus
from tests import factories as f

WIB = ZoneInfo("Asia/Jakarta")


def _text(response):
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _minutes(client, organiser, stage):
    client.force_login(organiser)
    return _text(
        client.get(
            reverse(
                "competition:export_stage",
                args=[stage.competition.year, stage.order, "berita-acara", "pdf"],
            )
        )
    )


def _stage(plan, *, closed=True, judges=("Dr. Juri A", "Dr. Juri B", "Dr. Juri C")):
    """A presentation stage scored by ``judges`` as ``plan`` says: reference -> one total
    per judge (a single criterion weighing 100)."""
    competition = f.CompetitionFactory(year=2026)
    stage = f.StageFactory(competition=competition, closed=closed, rubric=(100,), name="Presentasi")
    people = [f.JudgeFactory(full_name=name) for name in judges]
    for reference, totals in plan.items():
        entry = f.EntryFactory(
            competition=competition,
            reference=reference,
            titled_by_reference=True,
            screened_in=True,
        )
        for judge, total in zip(people, totals, strict=True):
            f.ScoreSheetFactory(
                stage=stage, entry=entry, judge=judge, submitted=True, assigned=True, scores=[total]
            )
    return stage


# Without A (or B), 0002 passes 0001: the same three in another order, another Juara I.
ORDER_ONLY = {
    "KIPP-2026-0001": (80, 80, 70),
    "KIPP-2026-0002": (75, 75, 78),
    "KIPP-2026-0003": (70, 70, 72),
    "KIPP-2026-0004": (60, 60, 60),
}


def test_minutes_report_a_judge_who_changes_only_the_order_of_the_top_three(client, organiser):
    stage = _stage(ORDER_ONLY)

    text = _minutes(client, organiser, stage)

    assert "Tiga besar tetap sama" not in text
    assert "Tiga besar berubah bila salah satu juri berikut tidak dihitung" in text
    assert (
        "Dr. Juri A 1) KIPP-2026-0002; 2) KIPP-2026-0001; 3) KIPP-2026-0003 Ya, urutan berubah"
        in (text)
    )
    assert "Dr. Juri C 1) KIPP-2026-0001; 2) KIPP-2026-0002; 3) KIPP-2026-0003 Tidak" in text


def test_minutes_report_a_judge_who_changes_the_set_of_the_top_three(client, organiser):
    stage = _stage(
        {
            "KIPP-2026-0001": (90, 60),
            "KIPP-2026-0002": (70, 76),
            "KIPP-2026-0003": (72, 70),
            "KIPP-2026-0004": (50, 90),
        },
        judges=("Dr. Juri A", "Dr. Juri B"),
    )

    text = _minutes(client, organiser, stage)

    assert "Ya, susunan berubah: \N{MINUS SIGN}KIPP-2026-0001 +KIPP-2026-0004" in text


def test_minutes_of_an_open_stage_are_a_draft_that_claims_nothing(client, organiser):
    stage = _stage(ORDER_ONLY, closed=False)

    text = _minutes(client, organiser, stage)

    assert text.startswith("RANCANGAN BERITA ACARA PENILAIAN")
    assert "telah menyelesaikan penilaian" not in text
    assert "belum ditutup, penilaian belum selesai" in text


def test_minutes_are_dated_with_the_stage_closing_date_not_the_export_day(client, organiser):
    stage = _stage(ORDER_ONLY)
    stage.closed_at = dt.datetime(2025, 10, 7, 15, 0, tzinfo=WIB)
    stage.save()

    text = _minutes(client, organiser, stage)

    closing = formats.date_format(dt.date(2025, 10, 7), "DATE_FORMAT")
    today = formats.date_format(timezone.localdate(), "DATE_FORMAT")
    signed = text[text.index("Demikian berita acara") :]
    assert "telah menyelesaikan penilaian" in text
    assert f", {closing} Tim penilai" in signed
    assert today not in signed


def test_minutes_say_why_alpha_is_undefined_when_every_total_is_the_same(client, organiser):
    stage = _stage({"KIPP-2026-0001": (70, 70, 70), "KIPP-2026-0002": (70, 70, 70)})

    text = _minutes(client, organiser, stage)

    assert "semua nilai total sama, tidak ada perbedaan untuk diukur" in text
    assert "terlalu sedikit lembar nilai" not in text


def test_minutes_of_a_one_judge_stage_say_agreement_and_stability_do_not_apply(client, organiser):
    stage = _stage(
        {"KIPP-2026-0001": (90,), "KIPP-2026-0002": (80,), "KIPP-2026-0003": (70,)},
        judges=("Dr. Juri Tunggal",),
    )

    text = _minutes(client, organiser, stage)

    assert "kesepakatan antarjuri dan uji kestabilan tiga besar tidak berlaku" in text
    assert "Tanpa juri" not in text
    assert "Kesepakatan antarjuri (alfa" not in text


def test_one_judge_stage_page_says_agreement_and_stability_do_not_apply(client, organiser):
    stage = _stage({"KIPP-2026-0001": (90,), "KIPP-2026-0002": (80,)}, judges=("Dr. Juri",))
    client.force_login(organiser)

    page = client.get(reverse("competition:results_stage", args=[stage.pk])).content.decode()

    assert "kesepakatan antarjuri dan uji kestabilan tiga besar tidak berlaku" in page
    assert 'id="stability-stable"' not in page


def test_leaderboard_page_counts_an_order_only_change_as_a_change(client, organiser):
    stage = _stage(ORDER_ONLY)
    client.force_login(organiser)

    page = client.get(reverse("competition:results_stage", args=[stage.pk])).content.decode()

    assert "urutan berubah" in page
    assert "Tanpa salah satu dari 1 juri lainnya" in page or "Tanpa 1 juri lainnya" in page


def test_certificates_are_dated_with_the_decree_or_say_it_is_missing(client, organiser):
    competition = f.CompetitionFactory(year=2026)
    f.EntryFactory(
        competition=competition,
        reference="KIPP-2026-0001",
        titled_by_reference=True,
        status=EntryStatus.SUBMITTED,
    )
    client.force_login(organiser)
    today = timezone.localdate()

    response = client.get(reverse("competition:export_competition", args=[2026, "piagam", "pdf"]))

    text = _text(response)
    assert "(tanggal keputusan belum diisi)" in text
    assert formats.date_format(today, "DATE_FORMAT") not in text


def test_certificates_are_dated_with_the_decree_date(client, organiser):
    competition = f.CompetitionFactory(year=2026)
    f.ResultSnapshotFactory(competition=competition, decree_date=dt.date(2026, 11, 20))
    f.EntryFactory(
        competition=competition,
        reference="KIPP-2026-0001",
        titled_by_reference=True,
        status=EntryStatus.SUBMITTED,
    )
    client.force_login(organiser)

    response = client.get(reverse("competition:export_competition", args=[2026, "piagam", "pdf"]))

    assert formats.date_format(dt.date(2026, 11, 20), "DATE_FORMAT") in _text(response)


def test_recap_of_a_one_judge_stage_says_agreement_does_not_apply(client, organiser):
    stage = _stage({"KIPP-2026-0001": (90,), "KIPP-2026-0002": (80,)}, judges=("Dr. Juri",))
    client.force_login(organiser)

    response = client.get(
        reverse("competition:export_stage", args=[2026, stage.order, "rekap-nilai", "pdf"])
    )

    text = _text(response)
    assert "kesepakatan antarjuri dan uji kestabilan tiga besar tidak berlaku" in text
    assert "terlalu sedikit lembar nilai" not in text
