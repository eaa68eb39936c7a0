"""The finalist list is complete: contact, prize and what happened after forwarding."""

import datetime as dt

from competition.exports import documents
from competition.models import EntryStatus, ForwardingLevel, OutcomeStep, StatusChange
from competition.services.forwarding import entry_forward
from competition.services.snapshot import result_publish
from tests import factories as f
from tests.competition.test_exports import scored_year


def _rows(competition):
    table = documents.finalist_table(competition)
    header = [column.header for column in table.columns]
    return [dict(zip(header, row, strict=True)) for row in table.rows]


def test_finalist_contact_falls_back_to_the_staff_member_who_submitted(organiser):
    competition, _stage, entries = scored_year(2, organiser)
    sender = f.UserFactory(full_name="Budi Santoso", phone="0321-123", email="budi@kota.go.id")
    StatusChange.objects.create(
        entry=entries[1],
        from_status=EntryStatus.DRAFT,
        to_status=EntryStatus.SUBMITTED,
        actor=sender,
    )

    rows = _rows(competition)

    # The first has an innovator with a phone; the second has no innovator contact.
    assert rows[0]["Kontak inovator"] == "Siti Rahayu: 0812-3456"
    assert rows[1]["Kontak inovator"] == (
        "Budi Santoso (pengirim proposal): 0321-123, budi@kota.go.id"
    )


def test_finalist_prize_only_for_placements_with_prize_money(organiser):
    competition, _stage, _entries = scored_year(4, organiser)

    rows = _rows(competition)

    assert [(r["Hasil"], r["Uang pembinaan"]) for r in rows] == [
        ("Juara I", 15_000_000),
        ("Juara II", 10_000_000),
        ("Juara III", 7_500_000),
        ("Finalis", None),
    ]


def test_finalist_list_shows_outcomes_beside_forwarded_to(organiser):
    competition, _stage, entries = scored_year(2, organiser)
    result_publish(snapshot=competition.snapshots.get(), actor=organiser)
    forwarding = entry_forward(entry=entries[0], level=ForwardingLevel.PROVINCE, actor=organiser)
    f.OutcomeFactory(
        forwarding=forwarding,
        step=OutcomeStep.AWARDED,
        label="Top 30 Kovablik",
        occurred_on=dt.date(2026, 12, 1),
    )

    rows = _rows(competition)

    assert rows[0]["Diteruskan ke"] == "Kovablik Jawa Timur"
    assert rows[0]["Hasil di provinsi"] == "Top 30 Kovablik"
    assert rows[0]["Hasil di nasional"] == ""
    assert rows[1]["Hasil di provinsi"] == ""
