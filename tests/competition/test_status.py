import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from competition.models import EntryStatus, StatusChange
from competition.services.status import (
    ALLOWED_TRANSITIONS,
    BY_ORGANISER,
    BY_OWNER,
    entry_set_status,
)
from tests import factories as f

# Read from the service's table (not copied), so that a row added there is tested here.
ALLOWED = {(from_, to) for from_, targets in ALLOWED_TRANSITIONS.items() for to in targets}
EVERY_PAIR = [(from_, to) for from_ in EntryStatus.values for to in EntryStatus.values]
ROLE_OF = {BY_OWNER: "owner", BY_ORGANISER: "organiser"}
TRANSITIONS = [
    (from_status, to_status, ROLE_OF[role])
    for from_status, moves in ALLOWED_TRANSITIONS.items()
    for to_status, role in moves.items()
]


def test_transition_table_names_only_real_statuses_and_roles():
    assert {status for pair in ALLOWED for status in pair} <= set(EntryStatus.values)
    assert {role for moves in ALLOWED_TRANSITIONS.values() for role in moves.values()} <= set(
        ROLE_OF
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("from_status", "to_status", "role"), TRANSITIONS)
def test_entry_set_status_makes_every_allowed_transition(
    from_status, to_status, role, agency_a, staff_a, organiser
):
    entry = f.EntryFactory(status=from_status, agency=agency_a)
    actor = {"owner": staff_a, "organiser": organiser}[role]

    entry_set_status(entry=entry, to_status=to_status, actor=actor, reason="Sesuai tabel")

    entry.refresh_from_db()
    assert entry.status == to_status
    change = StatusChange.objects.get(entry=entry)
    assert (change.from_status, change.to_status) == (from_status, to_status)
    assert (change.actor, change.reason) == (actor, "Sesuai tabel")
    assert change.at is not None


@pytest.mark.django_db
@pytest.mark.parametrize(("from_status", "to_status", "role"), TRANSITIONS)
def test_entry_set_status_allows_each_move_to_its_role_only(
    from_status, to_status, role, agency_a, staff_a, staff_b, organiser, judge
):
    """The other role, another OPD and a judge are refused and nothing is recorded."""
    entry = f.EntryFactory(status=from_status, agency=agency_a)
    refused = [staff_b, judge, organiser if role == "owner" else staff_a]

    for actor in refused:
        with pytest.raises(PermissionDenied):
            entry_set_status(entry=entry, to_status=to_status, actor=actor)

    entry.refresh_from_db()
    assert entry.status == from_status
    assert not StatusChange.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("from_status", "to_status"), [pair for pair in EVERY_PAIR if pair not in ALLOWED]
)
def test_entry_set_status_refuses_every_other_transition(organiser, from_status, to_status):
    entry = f.EntryFactory(status=from_status)
    updated_at = entry.updated_at

    with pytest.raises(ValidationError) as excinfo:
        entry_set_status(entry=entry, to_status=to_status, actor=organiser)

    assert excinfo.value.code == "invalid_transition"
    assert "tidak dapat diubah" in excinfo.value.messages[0]
    entry.refresh_from_db()
    assert (entry.status, entry.updated_at) == (from_status, updated_at)
    assert not StatusChange.objects.exists()


@pytest.mark.django_db
def test_entry_set_status_saves_accompanying_fields(staff_a):
    entry = f.EntryFactory(status=EntryStatus.DRAFT, agency=staff_a.agency)

    entry_set_status(
        entry=entry, to_status=EntryStatus.SUBMITTED, actor=staff_a, reference="KIPP-2026-0001"
    )

    entry.refresh_from_db()
    assert entry.reference == "KIPP-2026-0001"
