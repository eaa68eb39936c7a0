"""The one door through which an entry's status changes."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from competition.models import Entry, EntryStatus, StatusChange

S = EntryStatus

# Which status may follow which. Everything else is refused.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED}),
    # Withdrawn by the OPD before the deadline, or screened by the organiser.
    S.SUBMITTED: frozenset({S.DRAFT, S.PASSED, S.FAILED, S.RETURNED}),
    S.RETURNED: frozenset({S.SUBMITTED, S.FAILED}),
    S.PASSED: frozenset({S.FINALIST, S.FAILED, S.SUBMITTED}),
    S.FAILED: frozenset({S.SUBMITTED}),
    S.FINALIST: frozenset({S.PASSED}),
}


def entry_set_status(*, entry: Entry, to_status: str, actor, reason: str = "", **fields) -> Entry:
    """Move ``entry`` to ``to_status`` and record who did it and why, in one transaction.

    ``fields`` are other attributes of the entry that change with the status (the
    reference number on first submission, the revision date when returned); they are
    saved in the same write. The entry is re-read under a row lock so that two requests
    racing on the same entry cannot both pass the check.
    """
    with transaction.atomic():
        locked = Entry.objects.select_for_update().get(pk=entry.pk)
        from_status = locked.status
        if to_status not in ALLOWED_TRANSITIONS.get(from_status, frozenset()):
            raise ValidationError(
                _("Status proposal tidak dapat diubah dari “%(from)s” menjadi “%(to)s”.")
                % {"from": S(from_status).label, "to": S(to_status).label},
                code="invalid_transition",
            )
        locked.status = to_status
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save(update_fields=["status", "updated_at", *fields])
        StatusChange.objects.create(
            entry=locked, from_status=from_status, to_status=to_status, reason=reason, actor=actor
        )
    entry.refresh_from_db()
    return entry
