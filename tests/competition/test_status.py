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


@pytest.mark.django_db
def test_entry_set_status_records_who_when_from_to_why(organiser):
    entry = f.EntryFactory(status=EntryStatus.SUBMITTED)

    entry_set_status(
        entry=entry, to_status=EntryStatus.FAILED, actor=organiser, reason="Lampiran SK tidak ada"
    )

    entry.refresh_from_db()
    assert entry.status == EntryStatus.FAILED
    change = StatusChange.objects.get(entry=entry)
    assert (change.from_status, change.to_status) == (EntryStatus.SUBMITTED, EntryStatus.FAILED)
    assert change.actor == organiser
    assert change.reason == "Lampiran SK tidak ada"
    assert change.at is not None


@pytest.mark.django_db
def test_entry_set_status_refuses_a_transition_not_in_the_table(organiser):
    entry = f.EntryFactory(status=EntryStatus.DRAFT)

    with pytest.raises(ValidationError) as excinfo:
        entry_set_status(entry=entry, to_status=EntryStatus.FINALIST, actor=organiser)

    assert "tidak dapat diubah" in excinfo.value.messages[0]
    entry.refresh_from_db()
    assert entry.status == EntryStatus.DRAFT
    assert not StatusChange.objects.exists()


@pytest.mark.django_db
def test_entry_set_status_saves_accompanying_fields(staff_a):
    entry = f.EntryFactory(status=EntryStatus.DRAFT, agency=staff_a.agency)

    entry_set_status(
        entry=entry, to_status=EntryStatus.SUBMITTED, actor=staff_a, reference="KIPP-2026-0001"
    )

    entry.refresh_from_db()
    assert entry.reference == "KIPP-2026-0001"


ROLE_OF = {BY_OWNER: "owner", BY_ORGANISER: "organiser"}
TRANSITIONS = [
    (from_status, to_status, ROLE_OF[role])
    for from_status, moves in ALLOWED_TRANSITIONS.items()
    for to_status, role in moves.items()
]


@pytest.mark.django_db
@pytest.mark.parametrize(("from_status", "to_status", "role"), TRANSITIONS)
def test_entry_set_status_allows_each_move_to_its_role_only(
    from_status, to_status, role, agency_a, staff_a, staff_b, organiser, judge
):
    """The role the table names makes the move; the other role, another OPD and a judge
    are refused and nothing is recorded."""
    entry = f.EntryFactory(status=from_status, agency=agency_a)
    allowed = {"owner": staff_a, "organiser": organiser}[role]
    refused = [staff_b, judge, organiser if role == "owner" else staff_a]

    for actor in refused:
        with pytest.raises(PermissionDenied):
            entry_set_status(entry=entry, to_status=to_status, actor=actor)
    assert not StatusChange.objects.exists()

    entry_set_status(entry=entry, to_status=to_status, actor=allowed)

    entry.refresh_from_db()
    assert entry.status == to_status
    assert StatusChange.objects.get().actor == allowed
