"""The results admin: snapshots can be read and never changed."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from competition.models import AwardLevel, ForwardingLevel, OutcomeStep
from competition.services.snapshot import result_finalise
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def snapshot(judge, organiser):
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
        scores=[80, 80],
    )
    return result_finalise(
        competition=stage.competition,
        actor=organiser,
        decree_number="188.45/1/2026",
        decree_date=dt.date(2026, 11, 20),
    )


def test_snapshot_admin_is_read_only(client, organiser, snapshot):
    client.force_login(organiser)
    url = reverse("admin:competition_resultsnapshot_change", args=[snapshot.pk])

    page = client.get(url)
    client.post(url, {"decree_number": "diubah"})
    deleted = client.post(
        reverse("admin:competition_resultsnapshot_delete", args=[snapshot.pk]), {"post": "yes"}
    )

    text = page.content.decode()
    assert "188.45/1/2026" in text and snapshot.checksum in text
    snapshot.refresh_from_db()
    assert snapshot.decree_number == "188.45/1/2026"
    assert deleted.status_code == 403


def test_results_admin_lists_load(client, organiser, snapshot):
    client.force_login(organiser)

    for name in ["resultsnapshot", "forwarding", "outcome", "award"]:
        response = client.get(reverse(f"admin:competition_{name}_changelist"))
        assert response.status_code == 200, name


def test_results_admin_closed_to_staff(client, staff_a, snapshot):
    client.force_login(staff_a)

    response = client.get(reverse("admin:competition_resultsnapshot_changelist"))

    assert response.status_code == 302


def test_outcome_admin_refuses_evidence_that_is_not_a_real_pdf_or_image(client, organiser):
    outcome = f.OutcomeFactory(step=OutcomeStep.REGISTERED)
    client.force_login(organiser)
    fake = SimpleUploadedFile("bukti.pdf", b"<html><script>alert(1)</script></html>")

    response = client.post(
        reverse("admin:competition_outcome_change", args=[outcome.pk]),
        {
            "step": OutcomeStep.REGISTERED,
            "label": "",
            "rank": "",
            "decree_number": "",
            "occurred_on": "2027-06-01",
            "notes": "",
            "evidence": fake,
        },
    )

    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    outcome.refresh_from_db()
    assert not outcome.evidence


def test_outcome_corrected_in_the_admin_carries_its_award_along(client, organiser):
    outcome = f.OutcomeFactory(
        step=OutcomeStep.AWARDED, label="Top 99", forwarding__level=ForwardingLevel.NATIONAL
    )
    award = f.AwardFactory(
        innovation=outcome.forwarding.entry.innovation,
        level=AwardLevel.NATIONAL,
        label="Top 99",
        year=2027,
        is_top_99=True,
        outcome=outcome,
    )
    client.force_login(organiser)
    url = reverse("admin:competition_outcome_change", args=[outcome.pk])
    data = {
        "step": OutcomeStep.AWARDED,
        "label": "Top 45 KIPP",
        "rank": "",
        "decree_number": "B/123/M.KT.01/2028",
        "occurred_on": "2028-02-01",
        "notes": "",
    }

    assert client.post(url, {**data, "label": " "}).status_code == 200  # refused: no label
    response = client.post(url, data)

    assert response.status_code == 302
    award.refresh_from_db()
    assert (award.label, award.year, award.decree_number, award.is_top_99) == (
        "Top 45 KIPP",
        2028,
        "B/123/M.KT.01/2028",
        True,
    )
    assert outcome.history.latest().history_user == organiser


def test_forwardings_and_outcomes_cannot_be_deleted_in_the_admin(client, organiser):
    outcome = f.OutcomeFactory(step=OutcomeStep.REGISTERED)
    client.force_login(organiser)

    forwarding_delete = reverse("admin:competition_forwarding_delete", args=[outcome.forwarding.pk])
    outcome_delete = reverse("admin:competition_outcome_delete", args=[outcome.pk])

    assert client.post(forwarding_delete, {"post": "yes"}).status_code == 403
    assert client.post(outcome_delete, {"post": "yes"}).status_code == 403
    assert outcome.forwarding.outcomes.count() == 1
