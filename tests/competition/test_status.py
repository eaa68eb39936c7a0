import pytest
from django.core.exceptions import ValidationError

from competition.models import EntryStatus, StatusChange
from competition.services.status import ALLOWED_TRANSITIONS, entry_set_status
from tests import factories as f

# Read from the service's table (not copied), so that a row added there is tested here.
ALLOWED = {(from_, to) for from_, targets in ALLOWED_TRANSITIONS.items() for to in targets}
EVERY_PAIR = [(from_, to) for from_ in EntryStatus.values for to in EntryStatus.values]


def test_transition_table_names_only_real_statuses():
    assert {status for pair in ALLOWED for status in pair} <= set(EntryStatus.values)


@pytest.mark.django_db
@pytest.mark.parametrize(("from_status", "to_status"), sorted(ALLOWED))
def test_entry_set_status_makes_every_allowed_transition(organiser, from_status, to_status):
    entry = f.EntryFactory(status=from_status)

    entry_set_status(entry=entry, to_status=to_status, actor=organiser, reason="Sesuai tabel")

    entry.refresh_from_db()
    assert entry.status == to_status
    change = StatusChange.objects.get(entry=entry)
    assert (change.from_status, change.to_status) == (from_status, to_status)
    assert (change.actor, change.reason) == (organiser, "Sesuai tabel")
    assert change.at is not None


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
    entry = f.EntryFactory(status=EntryStatus.DRAFT)

    entry_set_status(
        entry=entry, to_status=EntryStatus.SUBMITTED, actor=staff_a, reference="KIPP-2026-0001"
    )

    entry.refresh_from_db()
    assert entry.reference == "KIPP-2026-0001"
