import pytest
from django.core.exceptions import ValidationError

from competition.models import EntryStatus, StatusChange
from competition.services.status import entry_set_status
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
    entry = f.EntryFactory(status=EntryStatus.DRAFT)

    entry_set_status(
        entry=entry, to_status=EntryStatus.SUBMITTED, actor=staff_a, reference="KIPP-2026-0001"
    )

    entry.refresh_from_db()
    assert entry.reference == "KIPP-2026-0001"
