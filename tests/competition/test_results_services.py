"""Finalists, the schedule, the frozen snapshot, publication, forwarding and outcomes."""

import datetime as dt
import hashlib
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from competition.models import (
    Award,
    AwardLevel,
    EntryStatus,
    Forwarding,
    ForwardingLevel,
    OutcomeStep,
    Placement,
    PlacementTitle,
    ResultSnapshot,
    Score,
    StatusChange,
)
from competition.services.finalists import finalists_select, moderation_note_add, slot_set
from competition.services.forwarding import (
    entry_forward,
    forwarding_cancel,
    outcome_correct,
    outcome_record,
)
from competition.services.snapshot import result_finalise, result_publish
from competition.services.verification import result_verify
from tests import factories as f

pytestmark = pytest.mark.django_db

DECREE = {"decree_number": "188.45/123/417.101/2026", "decree_date": dt.date(2026, 11, 20)}


@pytest.fixture
def scored(judge, other_judge):
    """Five entries scored by two judges on a closed stage: A > B > C > D > E."""
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


def test_finalists_select_top_n_moves_entries(scored, organiser):
    stage, _, entries = scored

    moved = finalists_select(stage=stage, actor=organiser, top_n=3)

    assert {e.reference for e in moved} == {"KIPP-A", "KIPP-B", "KIPP-C"}
    entries["D"].refresh_from_db()
    assert entries["D"].status == EntryStatus.PASSED
    change = StatusChange.objects.get(entry=entries["A"], to_status=EntryStatus.FINALIST)
    assert change.actor == organiser and "Finalis 3 besar" in change.reason


def test_finalists_select_hand_picked_needs_reason(scored, organiser):
    stage, _, entries = scored

    with pytest.raises(ValidationError, match="alasannya"):
        finalists_select(stage=stage, actor=organiser, entry_ids=[entries["E"].pk])

    finalists_select(
        stage=stage, actor=organiser, entry_ids=[entries["E"].pk], reason="Keputusan pleno."
    )
    entries["E"].refresh_from_db()
    assert entries["E"].status == EntryStatus.FINALIST


def test_finalists_select_twice_is_harmless(scored, organiser):
    stage, _, _ = scored
    finalists_select(stage=stage, actor=organiser, top_n=2)

    again = finalists_select(stage=stage, actor=organiser, top_n=2)

    assert again == []
    assert StatusChange.objects.filter(to_status=EntryStatus.FINALIST).count() == 2


def test_finalists_select_refused_while_flagged_entry_has_no_note(scored, organiser):
    stage, _, _ = scored
    stage.competition.disagreement_threshold = Decimal("1")
    stage.competition.save()

    with pytest.raises(ValidationError, match="catatan moderasi"):
        finalists_select(stage=stage, actor=organiser, top_n=3)


def test_moderation_note_add_requires_text(scored, organiser):
    stage, _, entries = scored

    with pytest.raises(ValidationError):
        moderation_note_add(stage=stage, entry=entries["A"], actor=organiser, note="  ")
    note = moderation_note_add(
        stage=stage, entry=entries["A"], actor=organiser, note="Dipakai rata-rata."
    )
    assert note.author == organiser


def test_slot_set_refuses_overlap(organiser):
    stage = f.StageFactory(closed=True, rubric=(60, 40), kind="presentation")
    a = f.EntryFactory(
        competition=stage.competition,
        reference="KIPP-A",
        titled_by_reference=True,
        status=EntryStatus.FINALIST,
    )
    b = f.EntryFactory(
        competition=stage.competition,
        reference="KIPP-B",
        titled_by_reference=True,
        status=EntryStatus.FINALIST,
    )
    start = timezone.now().replace(microsecond=0)
    slot_set(
        stage=stage,
        entry=a,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=30),
        actor=organiser,
    )

    with pytest.raises(ValidationError, match="bertabrakan"):
        slot_set(
            stage=stage,
            entry=b,
            starts_at=start + dt.timedelta(minutes=20),
            ends_at=start + dt.timedelta(minutes=50),
            actor=organiser,
        )
    slot = slot_set(
        stage=stage,
        entry=b,
        starts_at=start + dt.timedelta(minutes=30),
        ends_at=start + dt.timedelta(minutes=60),
        actor=organiser,
    )
    assert slot.entry == b


def test_slot_set_only_for_finalists(organiser):
    stage = f.StageFactory(closed=True, rubric=(60, 40), kind="presentation")
    entry = f.EntryFactory(
        competition=stage.competition,
        reference="KIPP-A",
        titled_by_reference=True,
        screened_in=True,
    )
    start = timezone.now()

    with pytest.raises(ValidationError, match="finalis"):
        slot_set(
            stage=stage,
            entry=entry,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=1),
            actor=organiser,
        )


def test_result_finalise_freezes_juara_and_prizes(scored, organiser):
    stage, _, _entries = scored

    snapshot = result_finalise(competition=stage.competition, actor=organiser, **DECREE)

    placements = list(snapshot.placements.order_by("rank"))
    assert [(p.entry.reference, p.title, p.prize) for p in placements] == [
        ("KIPP-A", PlacementTitle.JUARA_1, 15_000_000),
        ("KIPP-B", PlacementTitle.JUARA_2, 10_000_000),
        ("KIPP-C", PlacementTitle.JUARA_3, 7_500_000),
    ]
    # A: judge 90 and 88 -> mean 89.
    assert placements[0].final_score == Decimal("89.000")
    assert snapshot.version == 1
    assert snapshot.decree_number == DECREE["decree_number"]


def test_result_finalise_payload_holds_method_inputs_and_checksum(scored, organiser):
    stage, _, _ = scored

    snapshot = result_finalise(competition=stage.competition, actor=organiser, **DECREE)

    payload = snapshot.payload
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert snapshot.checksum == hashlib.sha256(canonical.encode()).hexdigest()
    assert payload["weights"] == {str(stage.pk): "100.00"}
    assert payload["tie_break_ladder"] == ["top_criterion", "first_places", "chair_decision"]
    stage_data = payload["computed"]["stages"][0]
    assert len(stage_data["sheets"]) == 10
    assert stage_data["sheets"][0]["scores"]
    assert payload["computed"]["ranking"][0]["final_score"] == "89.000000"
    assert stage_data["agreement"]["alpha"] is not None


def test_result_finalise_with_harapan(scored, organiser):
    stage, _, _ = scored

    snapshot = result_finalise(competition=stage.competition, actor=organiser, harapan=2, **DECREE)

    assert list(snapshot.placements.values_list("title", flat=True)) == [
        "juara_1",
        "juara_2",
        "juara_3",
        "harapan_1",
        "harapan_2",
    ]


def test_result_finalise_refused_while_stage_open(judge, organiser):
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

    with pytest.raises(ValidationError, match="belum ditutup"):
        result_finalise(competition=stage.competition, actor=organiser, **DECREE)


def test_result_finalise_refused_with_unresolved_tie_until_chair_decides(judge, organiser):
    stage = f.StageFactory(closed=True, rubric=(60, 40))
    a, b = f.scored_entries(stage, judge, {"KIPP-A": [80, 80], "KIPP-B": [80, 80]})

    with pytest.raises(ValidationError, match="seri"):
        result_finalise(competition=stage.competition, actor=organiser, **DECREE)
    snapshot = result_finalise(
        competition=stage.competition, actor=organiser, chair_order=[b.pk, a.pk], **DECREE
    )

    assert snapshot.placements.get(rank=1).entry == b
    assert snapshot.payload["chair_order"] == [b.pk, a.pk]


def test_result_finalise_requires_decree(scored, organiser):
    stage, _, _ = scored

    with pytest.raises(ValidationError, match="SK"):
        result_finalise(
            competition=stage.competition, actor=organiser, decree_number="", decree_date=None
        )


def test_result_finalise_again_needs_reason_and_makes_version_2(scored, organiser):
    stage, _, entries = scored
    first = result_finalise(competition=stage.competition, actor=organiser, **DECREE)
    override = [
        (entries["B"].pk, "juara_1"),
        (entries["A"].pk, "juara_2"),
        (entries["C"].pk, "juara_3"),
    ]

    with pytest.raises(ValidationError, match="alasan"):
        result_finalise(
            competition=stage.competition, actor=organiser, placements_override=override, **DECREE
        )
    second = result_finalise(
        competition=stage.competition,
        actor=organiser,
        placements_override=override,
        reason="Sanggah OPD diterima dewan juri.",
        **DECREE,
    )

    assert second.version == 2
    assert second.reason == "Sanggah OPD diterima dewan juri."
    assert second.placements.get(rank=1).entry == entries["B"]
    assert first.placements.get(rank=1).entry == entries["A"]
    assert ResultSnapshot.objects.filter(competition=stage.competition).count() == 2


def test_result_finalise_same_result_twice_returns_the_same_snapshot(scored, organiser):
    stage, _, _ = scored
    first = result_finalise(competition=stage.competition, actor=organiser, **DECREE)

    again = result_finalise(competition=stage.competition, actor=organiser, **DECREE)

    assert again.pk == first.pk


def test_result_verify_recomputes_from_stored_sheets(scored, organiser):
    stage, _, _ = scored
    snapshot = result_finalise(competition=stage.competition, actor=organiser, **DECREE)
    # Settings changed afterwards do not matter: the snapshot's own method is used.
    stage.final_weight = Decimal("50")
    stage.save()

    assert result_verify(snapshot)


def test_result_verify_detects_a_changed_sheet(scored, organiser):
    stage, _, _ = scored
    snapshot = result_finalise(competition=stage.competition, actor=organiser, **DECREE)
    Score.objects.filter(sheet__stage=stage).update(value=Decimal("10"))

    assert not result_verify(snapshot)


def test_result_verify_detects_a_tampered_payload(scored, organiser):
    stage, _, _ = scored
    snapshot = result_finalise(competition=stage.competition, actor=organiser, **DECREE)
    payload = snapshot.payload
    payload["placements"][0]["prize"] = 99
    ResultSnapshot.objects.filter(pk=snapshot.pk).update(payload=payload)
    snapshot.refresh_from_db()

    assert not result_verify(snapshot)


def test_snapshot_and_placements_refuse_updates(scored, organiser):
    stage, _, _ = scored
    snapshot = result_finalise(competition=stage.competition, actor=organiser, **DECREE)
    placement = snapshot.placements.first()

    snapshot.payload = {}
    with pytest.raises(ValueError, match="never changed"):
        snapshot.save()
    placement.prize = 1
    with pytest.raises(ValueError, match="never changed"):
        placement.save()
    assert Placement.objects.get(pk=placement.pk).prize == 15_000_000


def test_result_publish_sets_time_and_city_awards(scored, organiser):
    stage, _, entries = scored
    snapshot = result_finalise(competition=stage.competition, actor=organiser, **DECREE)

    result_publish(snapshot=snapshot, actor=organiser)
    result_publish(snapshot=snapshot, actor=organiser)

    snapshot.refresh_from_db()
    assert snapshot.published_at is not None
    award = Award.objects.get(innovation=entries["A"].innovation, level=AwardLevel.CITY)
    assert (award.label, award.is_top_winner, award.year) == (
        "Juara I",
        True,
        stage.competition.year,
    )
    assert Award.objects.filter(level=AwardLevel.CITY).count() == 3
    assert result_verify(snapshot)


def test_result_publish_only_latest_version(scored, organiser):
    stage, _, _entries = scored
    first = result_finalise(competition=stage.competition, actor=organiser, **DECREE)
    result_finalise(
        competition=stage.competition,
        actor=organiser,
        harapan=1,
        reason="Menambah juara harapan.",
        **DECREE,
    )

    with pytest.raises(ValidationError, match="versi terbaru"):
        result_publish(snapshot=first, actor=organiser)


def _published(scored, organiser):
    stage, _, entries = scored
    snapshot = result_finalise(competition=stage.competition, actor=organiser, harapan=1, **DECREE)
    result_publish(snapshot=snapshot, actor=organiser)
    return entries


def test_entry_forward_within_quota(scored, organiser):
    entries = _published(scored, organiser)
    competition = entries["A"].competition
    competition.forward_quota = 2
    competition.save()

    entry_forward(entry=entries["A"], level=ForwardingLevel.PROVINCE, actor=organiser)
    entry_forward(entry=entries["B"], level=ForwardingLevel.PROVINCE, actor=organiser)
    again = entry_forward(entry=entries["B"], level=ForwardingLevel.PROVINCE, actor=organiser)

    assert again.entry == entries["B"]
    with pytest.raises(ValidationError, match="Kuota"):
        entry_forward(entry=entries["C"], level=ForwardingLevel.PROVINCE, actor=organiser)
    national = entry_forward(entry=entries["C"], level=ForwardingLevel.NATIONAL, actor=organiser)
    assert national.level == ForwardingLevel.NATIONAL


def test_entry_forward_refuses_unplaced_entry(scored, organiser):
    entries = _published(scored, organiser)

    with pytest.raises(ValidationError, match="hasil akhir"):
        entry_forward(entry=entries["E"], level=ForwardingLevel.PROVINCE, actor=organiser)


def test_outcome_awarded_writes_award_history(scored, organiser):
    entries = _published(scored, organiser)
    forwarding = entry_forward(entry=entries["A"], level=ForwardingLevel.NATIONAL, actor=organiser)
    outcome_record(
        forwarding=forwarding,
        actor=organiser,
        step=OutcomeStep.REGISTERED,
        occurred_on=dt.date(2027, 2, 1),
    )

    outcome_record(
        forwarding=forwarding,
        actor=organiser,
        step=OutcomeStep.AWARDED,
        occurred_on=dt.date(2027, 8, 1),
        label="Top 99",
        is_top_99=True,
        decree_number="SK-99",
    )
    outcome_record(
        forwarding=forwarding,
        actor=organiser,
        step=OutcomeStep.AWARDED,
        occurred_on=dt.date(2027, 10, 1),
        label="Top 45 KIPP",
        is_top_winner=True,
        is_top_99=True,
    )

    award = Award.objects.get(innovation=entries["A"].innovation, level=AwardLevel.NATIONAL)
    assert (award.label, award.year, award.is_top_winner, award.is_top_99) == (
        "Top 45 KIPP",
        2027,
        True,
        True,
    )
    assert forwarding.outcomes.count() == 3


def test_outcome_awarded_needs_label(scored, organiser):
    entries = _published(scored, organiser)
    forwarding = entry_forward(entry=entries["A"], level=ForwardingLevel.PROVINCE, actor=organiser)

    with pytest.raises(ValidationError, match="predikat"):
        outcome_record(
            forwarding=forwarding,
            actor=organiser,
            step=OutcomeStep.AWARDED,
            occurred_on=dt.date(2027, 1, 1),
        )


def test_outcome_keeps_evidence_file(scored, organiser):
    entries = _published(scored, organiser)
    forwarding = entry_forward(entry=entries["A"], level=ForwardingLevel.PROVINCE, actor=organiser)

    outcome = outcome_record(
        forwarding=forwarding,
        actor=organiser,
        step=OutcomeStep.FINALIST,
        occurred_on=dt.date(2027, 1, 1),
        evidence=SimpleUploadedFile("bukti.pdf", b"%PDF-1.4\n"),
    )

    assert outcome.evidence.name.startswith(f"outcomes/{forwarding.pk}/")


def test_forwarding_cancel_refused_after_outcome(scored, organiser):
    entries = _published(scored, organiser)
    forwarding = entry_forward(entry=entries["A"], level=ForwardingLevel.PROVINCE, actor=organiser)
    f.OutcomeFactory(forwarding=forwarding)

    with pytest.raises(ValidationError):
        forwarding_cancel(forwarding=forwarding, actor=organiser)


def test_forwarding_and_its_cancelling_are_kept_in_history(scored, organiser):
    entries = _published(scored, organiser)
    forwarding = entry_forward(entry=entries["A"], level=ForwardingLevel.PROVINCE, actor=organiser)

    forwarding_cancel(forwarding=forwarding, actor=organiser)

    assert not Forwarding.objects.filter(pk=forwarding.pk).exists()
    rows = Forwarding.history.filter(id=forwarding.pk).order_by("history_date")
    assert [(r.history_type, r.history_user) for r in rows] == [
        ("+", organiser),
        ("-", organiser),
    ]


def test_correcting_an_awarded_outcome_updates_or_withdraws_its_award(scored, organiser):
    entries = _published(scored, organiser)
    forwarding = entry_forward(entry=entries["A"], level=ForwardingLevel.NATIONAL, actor=organiser)
    outcome = outcome_record(
        forwarding=forwarding,
        actor=organiser,
        step=OutcomeStep.AWARDED,
        occurred_on=dt.date(2027, 8, 1),
        label="Top 99",
        is_top_99=True,
    )

    outcome.label, outcome.occurred_on = "Top 45 KIPP", dt.date(2028, 1, 5)
    outcome_correct(outcome=outcome, actor=organiser)
    award = Award.objects.get(outcome=outcome)
    assert (award.label, award.year, award.is_top_99) == ("Top 45 KIPP", 2028, True)

    outcome.step = OutcomeStep.NOT_SELECTED
    outcome_correct(outcome=outcome, actor=organiser)
    assert not Award.objects.filter(innovation=entries["A"].innovation, level=AwardLevel.NATIONAL)
    assert Award.history.filter(id=award.pk, history_type="-").get().history_user == organiser


def test_result_finalise_refused_when_criteria_weights_not_100(judge, organiser):
    stage = f.StageFactory(closed=True, rubric=(60, 30))
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

    with pytest.raises(ValidationError, match="Bobot kriteria"):
        result_finalise(competition=stage.competition, actor=organiser, **DECREE)


def test_result_finalise_override_needs_a_juara_1(scored, organiser):
    stage, _, entries = scored

    with pytest.raises(ValidationError, match="Juara I"):
        result_finalise(
            competition=stage.competition,
            actor=organiser,
            placements_override=[(entries["B"].pk, "juara_2")],
            reason="Uji.",
            **DECREE,
        )
