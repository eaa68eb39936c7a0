"""The organiser's result pages and the OPD's own result page."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from competition.models import (
    Award,
    AwardLevel,
    EntryStatus,
    Forwarding,
    ModerationNote,
    PresentationSlot,
    ResultSnapshot,
)
from competition.services.finalists import slot_set
from competition.services.forwarding import entry_forward
from competition.services.snapshot import result_finalise, result_publish
from competition.views import ranking as ranking_views
from tests import factories as f

pytestmark = pytest.mark.django_db

DECREE = {"decree_number": "188.45/7/417.101/2026", "decree_date": dt.date(2026, 11, 20)}


@pytest.fixture
def scored(judge, other_judge, agency_a):
    stage = f.StageFactory(closed=True, rubric=(60, 40))
    criteria = list(stage.criteria.order_by("order"))
    entries = {}
    rows = [(90, 88), (85, 84), (80, 79), (75, 70)]
    for ref, (a, b) in zip("ABCD", rows, strict=True):
        entries[ref] = f.EntryFactory(
            competition=stage.competition,
            reference=f"KIPP-{ref}",
            titled_by_reference=True,
            innovation__agency=agency_a if ref == "D" else f.AgencyFactory(),
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


def _urls(stage, entries):
    year = stage.competition.year
    return [
        reverse("competition:results_index"),
        reverse("competition:results_stage", args=[stage.pk]),
        reverse("competition:results_moderation", args=[stage.pk, entries["A"].pk]),
        reverse("competition:results_schedule", args=[stage.pk]),
        reverse("competition:results_schedule_csv", args=[stage.pk]),
        reverse("competition:results_final", args=[year]),
        reverse("competition:results_pipeline", args=[year]),
    ]


def test_result_pages_send_anonymous_to_login(client, scored):
    stage, _, entries = scored

    for url in _urls(stage, entries):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["staff_a", "judge"])
def test_result_pages_are_404_for_staff_and_judges(client, scored, persona, request):
    stage, _, entries = scored
    client.force_login(request.getfixturevalue(persona))

    for url in _urls(stage, entries):
        assert client.get(url).status_code == 404


def test_leaderboard_shows_scores_flags_agreement_and_stability(client, organiser, scored):
    stage, _, _ = scored
    stage.competition.disagreement_threshold = Decimal("3")
    stage.competition.save()
    client.force_login(organiser)

    response = client.get(reverse("competition:results_stage", args=[stage.pk]))

    text = response.content.decode()
    assert "KIPP-A" in text and "89,000" in text
    assert "beda jauh" in text  # D: 75 and 70, sd 3.54 > 3
    assert "belum diberi catatan moderasi" in text
    assert "Alfa Krippendorff" in text
    assert "Uji kestabilan tiga besar" in text
    assert "Dr. Juri Penilai" in text


def test_leaderboard_lists_only_the_judges_who_change_the_top_three(
    client, organiser, judge, other_judge
):
    stage = f.StageFactory(closed=True, rubric=(100,))
    third = f.JudgeFactory(full_name="Dr. Juri Ketiga")
    # Without the third judge, C (pulled down by that judge alone) overtakes B.
    for reference, by_judge in {
        "KIPP-A": (90, 90, 90),
        "KIPP-B": (80, 80, 80),
        "KIPP-C": (85, 85, 60),
        "KIPP-D": (50, 50, 50),
    }.items():
        entry = f.EntryFactory(
            competition=stage.competition,
            reference=reference,
            titled_by_reference=True,
            screened_in=True,
        )
        for who, value in zip((judge, other_judge, third), by_judge, strict=True):
            f.ScoreSheetFactory(
                stage=stage, entry=entry, judge=who, submitted=True, assigned=True, scores=[value]
            )
    client.force_login(organiser)

    response = client.get(reverse("competition:results_stage", args=[stage.pk]))

    board = response.context["board"]
    assert [s.judge.name for s in board.stability_shifts] == ["Dr. Juri Ketiga"]
    text = response.content.decode()
    assert "Tanpa salah satu dari 2 juri lainnya, tiga besar tetap sama." in text


# With 25 entries, i and i + 20 score alike: one more query reads the top criterion's
# means of the entries level on score, which only they need.
@pytest.mark.parametrize(("n", "queries"), [(1, 10), (25, 11)])
def test_leaderboard_page_query_count_does_not_grow(
    n, queries, client, organiser, judge, other_judge, django_assert_num_queries
):
    stage = f.StageFactory(closed=True, rubric=(60, 40))
    for i in range(n):
        entry = f.EntryFactory(
            competition=stage.competition,
            reference=f"KIPP-{i:03d}",
            titled_by_reference=True,
            screened_in=True,
        )
        f.ScoreSheetFactory(
            stage=stage,
            entry=entry,
            judge=judge,
            submitted=True,
            assigned=True,
            scores=[70 + i % 20, 60],
        )
        f.ScoreSheetFactory(
            stage=stage,
            entry=entry,
            judge=other_judge,
            submitted=True,
            assigned=True,
            scores=[72 + i % 20, 61],
        )
    client.force_login(organiser)

    with django_assert_num_queries(queries):
        response = client.get(reverse("competition:results_stage", args=[stage.pk]))

    text = response.content.decode()
    assert all(f"KIPP-{i:03d}" in text for i in range(n))


def _leaderboard_table(response):
    text = response.content.decode()
    start = text.index('id="leaderboard"')
    return text[start : text.index("</table>", start)]


def test_leaderboard_page_two_continues_the_ranking(client, organiser, scored, monkeypatch):
    stage, _, _ = scored
    monkeypatch.setattr("competition.views.ranking.LEADERBOARD_ROWS_PER_PAGE", 2)
    client.force_login(organiser)
    url = reverse("competition:results_stage", args=[stage.pk])

    first = client.get(url)
    second = client.get(url, {"halaman": 2})

    assert "KIPP-A" in _leaderboard_table(first) and "KIPP-C" not in _leaderboard_table(first)
    table = _leaderboard_table(second)
    assert "KIPP-A" not in table and "KIPP-B" not in table
    assert table.index("KIPP-C") < table.index("KIPP-D")
    assert "Halaman 2 dari 2" in second.content.decode()


def test_leaderboard_lists_entries_needing_a_note_on_every_page(
    client, organiser, scored, monkeypatch
):
    stage, _, entries = scored
    stage.competition.disagreement_threshold = Decimal("3")
    stage.competition.save()
    monkeypatch.setattr("competition.views.ranking.LEADERBOARD_ROWS_PER_PAGE", 2)
    client.force_login(organiser)

    response = client.get(reverse("competition:results_stage", args=[stage.pk]))

    text = response.content.decode()
    assert "KIPP-D" not in _leaderboard_table(response)  # rank 4, on page 2
    box = text[text.index('id="needs-note"') :]
    box = box[: box.index("</div>")]
    assert "KIPP-D" in box
    assert reverse("competition:results_moderation", args=[stage.pk, entries["D"].pk]) in box


def test_moderation_note_is_saved_and_unblocks(client, organiser, scored):
    stage, _, entries = scored
    client.force_login(organiser)
    url = reverse("competition:results_moderation", args=[stage.pk, entries["D"].pk])

    response = client.post(url, {"note": "Panel memakai rata-rata; perbedaan wajar."})

    assert response.status_code == 302
    note = ModerationNote.objects.get(entry=entries["D"])
    assert note.author == organiser and note.note.startswith("Panel")


def test_finalists_top_n_from_leaderboard(client, organiser, scored):
    stage, _, entries = scored
    client.force_login(organiser)

    response = client.post(
        reverse("competition:results_finalists", args=[stage.pk]),
        {"mode": "top", "top_n": "2"},
        follow=True,
    )

    assert "2 proposal ditetapkan sebagai finalis" in response.content.decode()
    entries["A"].refresh_from_db()
    entries["C"].refresh_from_db()
    assert entries["A"].status == EntryStatus.FINALIST
    assert entries["C"].status == EntryStatus.PASSED


def test_hand_pick_offers_the_best_ranked_entries_and_accepts_any_ranked_one(
    client, organiser, scored, monkeypatch
):
    stage, _, entries = scored
    monkeypatch.setattr(ranking_views, "FINALIST_PICK_CANDIDATES", 2)
    client.force_login(organiser)

    text = client.get(reverse("competition:results_stage", args=[stage.pk])).content.decode()

    assert text.count('name="entries"') == 2
    assert f'id="pick-{entries["A"].pk}"' in text and f'id="pick-{entries["D"].pk}"' not in text
    assert "Menampilkan 2 proposal bernilai tertinggi dari 4." in text
    response = client.post(
        reverse("competition:results_finalists", args=[stage.pk]),
        {"mode": "pick", "entries": [entries["A"].pk, entries["D"].pk], "reason": "Replikasi."},
    )
    assert response.status_code == 302
    entries["D"].refresh_from_db()
    assert entries["D"].status == EntryStatus.FINALIST


def test_leaderboard_form_posts_entry_ids_without_thousand_separators(client, organiser, judge):
    stage = f.StageFactory(closed=True, rubric=(60, 40))
    entry = f.EntryFactory(
        competition=stage.competition,
        reference="KIPP-1",
        titled_by_reference=True,
        screened_in=True,
        id=4321,
    )
    f.ScoreSheetFactory(
        stage=stage, entry=entry, judge=judge, submitted=True, assigned=True, scores=[80, 80]
    )
    client.force_login(organiser)

    text = client.get(reverse("competition:results_stage", args=[stage.pk])).content.decode()

    assert 'name="entries" value="4321" id="pick-4321"' in text


def test_finalists_hand_picked_without_reason_is_refused(client, organiser, scored):
    stage, _, entries = scored
    client.force_login(organiser)

    response = client.post(
        reverse("competition:results_finalists", args=[stage.pk]),
        {"mode": "pick", "entries": [entries["D"].pk]},
        follow=True,
    )

    assert "Tuliskan alasannya" in response.content.decode()
    entries["D"].refresh_from_db()
    assert entries["D"].status == EntryStatus.PASSED


def test_schedule_add_slot_and_export_csv(client, organiser):
    stage = f.StageFactory(closed=True, rubric=(60, 40), kind="presentation")
    entry = f.EntryFactory(
        competition=stage.competition,
        reference="KIPP-A",
        titled_by_reference=True,
        status=EntryStatus.FINALIST,
    )
    client.force_login(organiser)
    url = reverse("competition:results_schedule", args=[stage.pk])

    response = client.post(
        url,
        {
            "entry": entry.pk,
            "starts_at": "2026-12-01T09:00",
            "ends_at": "2026-12-01T09:30",
            "room": "Ruang Sabha Pambojo",
        },
    )

    assert response.status_code == 302
    slot = PresentationSlot.objects.get(entry=entry)
    assert timezone.localtime(slot.starts_at).hour == 9
    csv_text = client.get(reverse("competition:results_schedule_csv", args=[stage.pk])).content
    assert "2026-12-01 09:00,2026-12-01 09:30,Ruang Sabha Pambojo,KIPP-A" in csv_text.decode()


def test_final_ranking_page_explains_scores_and_finalises(client, organiser, scored):
    stage, _, entries = scored
    client.force_login(organiser)
    url = reverse("competition:results_final", args=[stage.competition.year])

    page = client.get(url).content.decode()
    assert "89,000 × 100% = 89,000" in page  # noqa: RUF001

    response = client.post(
        url,
        {
            "decree_number": DECREE["decree_number"],
            "decree_date": "2026-11-20",
            "harapan": "0",
            "juara_1": entries["A"].pk,
            "juara_2": entries["B"].pk,
            "juara_3": entries["C"].pk,
        },
        follow=True,
    )

    text = response.content.decode()
    assert "Terverifikasi" in text
    snapshot = ResultSnapshot.objects.get(competition=stage.competition)
    assert [p.entry.reference for p in snapshot.placements.order_by("rank")] == [
        "KIPP-A",
        "KIPP-B",
        "KIPP-C",
    ]
    assert "Rp 15.000.000" in text


def test_final_ranking_override_needs_reason(client, organiser, scored):
    stage, _, entries = scored
    client.force_login(organiser)
    url = reverse("competition:results_final", args=[stage.competition.year])
    data = {
        "decree_number": DECREE["decree_number"],
        "decree_date": "2026-11-20",
        "harapan": "0",
        "juara_1": entries["B"].pk,
        "juara_2": entries["A"].pk,
        "juara_3": entries["C"].pk,
    }

    response = client.post(url, data)

    assert "memerlukan alasan" in response.content.decode()
    assert not ResultSnapshot.objects.exists()
    client.post(url, {**data, "reason": "Keputusan rapat pleno dewan juri."})
    snapshot = ResultSnapshot.objects.get()
    assert snapshot.placements.get(rank=1).entry == entries["B"]
    assert snapshot.payload["override"] is True


def test_publish_from_snapshot_page(client, organiser, scored):
    stage, _, _ = scored
    snapshot = result_finalise(competition=stage.competition, actor=organiser, **DECREE)
    client.force_login(organiser)

    response = client.post(
        reverse("competition:results_publish", args=[stage.competition.year, snapshot.version]),
        follow=True,
    )

    assert "Hasil diumumkan" in response.content.decode()
    snapshot.refresh_from_db()
    assert snapshot.published_at is not None


def test_snapshot_page_shows_all_versions(client, organiser, scored):
    stage, _, _ = scored
    result_finalise(competition=stage.competition, actor=organiser, **DECREE)
    second = result_finalise(
        competition=stage.competition,
        actor=organiser,
        harapan=1,
        reason="Menambah juara harapan.",
        **DECREE,
    )
    client.force_login(organiser)

    response = client.get(reverse("competition:results_snapshot", args=[stage.competition.year, 1]))

    text = response.content.decode()
    assert "Versi 1" in text and "Versi 2" in text and "Menambah juara harapan." in text
    assert second.version == 2


def _publish(stage, organiser):
    snapshot = result_finalise(competition=stage.competition, actor=organiser, **DECREE)
    return result_publish(snapshot=snapshot, actor=organiser)


def test_pipeline_forward_and_outcome_with_evidence(client, organiser, scored):
    stage, _, entries = scored
    _publish(stage, organiser)
    client.force_login(organiser)
    year = stage.competition.year

    client.post(
        reverse("competition:results_pipeline", args=[year]),
        {"entry": entries["A"].pk, "level": "province", "notes": ""},
    )
    forwarding = Forwarding.objects.get(entry=entries["A"])
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "gold").save(buffer, "PNG")
    png = buffer.getvalue()
    response = client.post(
        reverse("competition:results_outcome", args=[forwarding.pk]),
        {
            "step": "awarded",
            "label": "Top 45 Kovablik",
            "occurred_on": "2027-06-01",
            "is_top_winner": "on",
            "evidence": SimpleUploadedFile("piagam.png", png, content_type="image/png"),
        },
    )

    assert response.status_code == 302
    award = Award.objects.get(level=AwardLevel.PROVINCE)
    assert award.label == "Top 45 Kovablik" and award.is_top_winner
    page = client.get(reverse("competition:results_pipeline", args=[year])).content.decode()
    assert "Top 45 Kovablik" in page
    outcome = forwarding.outcomes.get()
    evidence = client.get(reverse("competition:results_evidence", args=[outcome.pk]))
    assert b"".join(evidence.streaming_content) == png
    assert evidence["Content-Disposition"].startswith("attachment;")
    assert evidence["Cache-Control"] == "private, no-store"
    assert evidence["X-Content-Type-Options"] == "nosniff"


def test_outcome_refuses_a_file_that_is_not_pdf_or_image(client, organiser, scored):
    stage, _, entries = scored
    _publish(stage, organiser)
    forwarding = entry_forward(entry=entries["A"], level="province", actor=organiser)
    client.force_login(organiser)

    response = client.post(
        reverse("competition:results_outcome", args=[forwarding.pk]),
        {
            "step": "registered",
            "occurred_on": "2027-06-01",
            "evidence": SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf"),
        },
    )

    assert "bukan PDF, JPEG atau PNG" in response.content.decode()
    assert not forwarding.outcomes.exists()


def test_opd_results_hidden_until_published(client, staff_a, organiser, scored):
    stage, _, _ = scored
    url = reverse("competition:opd_results", args=[stage.competition.year])
    client.force_login(staff_a)
    result_finalise(competition=stage.competition, actor=organiser, **DECREE)

    assert client.get(url).status_code == 404

    snapshot = ResultSnapshot.objects.get()
    result_publish(snapshot=snapshot, actor=organiser)
    text = client.get(url).content.decode()
    assert "KIPP-D" in text and "72,500" in text
    # Another OPD's entries stay out of sight.
    assert "KIPP-A" not in text


def test_opd_results_other_roles_get_404(client, judge, scored):
    stage, _, _ = scored
    client.force_login(judge)

    response = client.get(reverse("competition:opd_results", args=[stage.competition.year]))

    assert response.status_code == 404


def test_opd_results_needs_login(client, scored):
    stage, _, _ = scored

    response = client.get(reverse("competition:opd_results", args=[stage.competition.year]))

    assert response.status_code == 302


def test_results_index_lists_years(client, organiser, scored):
    stage, _, _ = scored
    f.CompetitionFactory(year=2031, name="Kompetisi Lain")
    client.force_login(organiser)

    text = client.get(reverse("competition:results_index")).content.decode()

    assert str(stage.competition.year) in text and "Kompetisi Lain 2031" in text


def test_opd_results_latest_redirects_to_the_announced_year(client, staff_a, organiser, scored):
    stage, _, _ = scored
    client.force_login(staff_a)
    url = reverse("competition:opd_results_latest")

    before = client.get(url)
    _publish(stage, organiser)
    after = client.get(url)

    assert "belum diumumkan" in before.content.decode()
    assert after["Location"] == reverse("competition:opd_results", args=[stage.competition.year])


@pytest.mark.parametrize("n", [1, 25])
def test_final_ranking_page_query_count_does_not_grow(
    n, client, organiser, judge, django_assert_num_queries
):
    stage = f.StageFactory(closed=True, rubric=(60, 40))
    for i in range(n):
        entry = f.EntryFactory(
            competition=stage.competition,
            reference=f"KIPP-{i:03d}",
            titled_by_reference=True,
            screened_in=True,
        )
        f.ScoreSheetFactory(
            stage=stage,
            entry=entry,
            judge=judge,
            submitted=True,
            assigned=True,
            scores=[50 + i, 60],
        )
    client.force_login(organiser)

    # 16 before the blockers' totals were confirmed by the database and the page stopped
    # averaging every criterion; 15 before it read the top criterion's means only for
    # entries level on a score (none here) and the totals check took the criteria the
    # ranking had read.
    with django_assert_num_queries(13):
        response = client.get(reverse("competition:results_final", args=[stage.competition.year]))

    text = response.content.decode()
    assert all(f"KIPP-{i:03d}" in text for i in range(n))


def test_final_ranking_page_lists_what_blocks_finalising(client, organiser, judge):
    stage = f.StageFactory(rubric=(60, 40))
    f.ScoreSheetFactory(
        stage=stage,
        entry=f.EntryFactory(
            competition=stage.competition,
            reference="KIPP-A",
            titled_by_reference=True,
            screened_in=True,
        ),
        judge=judge,
        submitted=True,
        assigned=True,
        scores=[80, 80],
    )
    client.force_login(organiser)

    text = client.get(
        reverse("competition:results_final", args=[stage.competition.year])
    ).content.decode()

    assert "Hasil belum dapat difinalkan" in text
    assert f"Tahap “{stage.name}” belum ditutup" in text


def test_forwarding_cancel_from_pipeline(client, organiser, scored):
    stage, _, entries = scored
    _publish(stage, organiser)
    forwarding = entry_forward(entry=entries["A"], level="national", actor=organiser)
    client.force_login(organiser)

    page = client.get(reverse("competition:results_pipeline", args=[stage.competition.year]))
    response = client.post(
        reverse("competition:results_forwarding_cancel", args=[forwarding.pk]), follow=True
    )

    assert "KIPP KemenPAN-RB" in page.content.decode()
    assert "Penerusan dibatalkan" in response.content.decode()
    assert not Forwarding.objects.exists()


def test_forwarding_cancel_is_404_for_staff(client, staff_a, organiser, scored):
    stage, _, entries = scored
    _publish(stage, organiser)
    forwarding = entry_forward(entry=entries["A"], level="national", actor=organiser)
    client.force_login(staff_a)

    response = client.post(reverse("competition:results_forwarding_cancel", args=[forwarding.pk]))

    assert response.status_code == 404
    assert Forwarding.objects.exists()


def test_final_ranking_page_shows_the_rung_that_broke_a_tie(client, organiser, judge):
    stage = f.StageFactory(closed=True, rubric=(60, 40))
    f.ScoreSheetFactory(
        stage=stage,
        entry=f.EntryFactory(
            competition=stage.competition,
            reference="KIPP-A",
            titled_by_reference=True,
            screened_in=True,
        ),
        judge=judge,
        submitted=True,
        assigned=True,
        scores=[70, 85],
    )
    f.ScoreSheetFactory(
        stage=stage,
        entry=f.EntryFactory(
            competition=stage.competition,
            reference="KIPP-B",
            titled_by_reference=True,
            screened_in=True,
        ),
        judge=judge,
        submitted=True,
        assigned=True,
        scores=[80, 70],
    )
    client.force_login(organiser)

    text = client.get(
        reverse("competition:results_final", args=[stage.competition.year])
    ).content.decode()

    assert "seri, dipecahkan oleh" in text
    assert "nilai lebih tinggi pada kriteria berbobot terbesar" in text
    assert text.index("KIPP-B") < text.index("KIPP-A")


def test_final_ranking_page_chair_order_resolves_a_full_tie(client, organiser, judge):
    stage = f.StageFactory(closed=True, rubric=(60, 40))
    a, b = f.scored_entries(stage, judge, {"KIPP-A": [80, 80], "KIPP-B": [80, 80]})
    client.force_login(organiser)
    url = reverse("competition:results_final", args=[stage.competition.year])

    tied = client.get(url).content.decode()
    client.post(
        url,
        {
            "decree_number": DECREE["decree_number"],
            "decree_date": "2026-11-20",
            "harapan": "0",
            "urutan_ketua": "KIPP-B, KIPP-A",
            "juara_1": b.pk,
            "juara_2": a.pk,
        },
    )

    assert "seri, belum diputuskan" in tied
    snapshot = ResultSnapshot.objects.get()
    assert snapshot.placements.get(rank=1).entry == b
    assert snapshot.payload["chair_order"] == [b.pk, a.pk]
    assert snapshot.payload["override"] is False


def test_finalist_remove_needs_reason_and_drops_the_slot(client, organiser):
    stage = f.StageFactory(closed=True, rubric=(60, 40), kind="presentation")
    entry = f.EntryFactory(
        competition=stage.competition,
        reference="KIPP-A",
        titled_by_reference=True,
        status=EntryStatus.FINALIST,
    )
    start = timezone.now()
    slot_set(
        stage=stage,
        entry=entry,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=30),
        actor=organiser,
    )
    client.force_login(organiser)
    url = reverse("competition:results_finalist_remove", args=[stage.pk, entry.pk])

    refused = client.post(url, {"reason": ""}, follow=True)
    entry.refresh_from_db()
    assert "Tuliskan alasan" in refused.content.decode()
    assert entry.status == EntryStatus.FINALIST

    client.post(url, {"reason": "OPD mengundurkan diri."})
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PASSED
    assert not PresentationSlot.objects.exists()


def test_finalist_remove_is_404_for_staff(client, staff_a):
    stage = f.StageFactory(closed=True, rubric=(60, 40), kind="presentation")
    entry = f.EntryFactory(
        competition=stage.competition,
        reference="KIPP-A",
        titled_by_reference=True,
        status=EntryStatus.FINALIST,
    )
    client.force_login(staff_a)

    response = client.post(
        reverse("competition:results_finalist_remove", args=[stage.pk, entry.pk]),
        {"reason": "x"},
    )

    assert response.status_code == 404
    entry.refresh_from_db()
    assert entry.status == EntryStatus.FINALIST
