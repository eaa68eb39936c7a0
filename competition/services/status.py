"""The one door through which an entry's status changes."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from competition.models import Entry, EntryStatus, StatusChange

S = EntryStatus

# The roles, as permissions in ``competition.rules``: the entry's own OPD, or Bagian Organisasi.
BY_OWNER = "competition.move_entry_as_owner"
BY_ORGANISER = "competition.move_entry_as_organiser"

# Which status may follow which, and who may make the move. Everything else is refused.
ALLOWED_TRANSITIONS: dict[str, dict[str, str]] = {
    S.DRAFT: {S.SUBMITTED: BY_OWNER},
    # Withdrawn by the OPD before the deadline, or screened by the organiser.
    S.SUBMITTED: {
        S.DRAFT: BY_OWNER,
        S.PASSED: BY_ORGANISER,
        S.FAILED: BY_ORGANISER,
        S.RETURNED: BY_ORGANISER,
    },
    # Sent again by the OPD after revision, or failed by the organiser.
    S.RETURNED: {S.SUBMITTED: BY_OWNER, S.FAILED: BY_ORGANISER},
    # From screening on, every move is the organiser's.
    S.PASSED: {S.FINALIST: BY_ORGANISER, S.FAILED: BY_ORGANISER, S.SUBMITTED: BY_ORGANISER},
    S.FAILED: {S.SUBMITTED: BY_ORGANISER},
    S.FINALIST: {S.PASSED: BY_ORGANISER},
}


def entry_set_status(*, entry: Entry, to_status: str, actor, reason: str = "", **fields) -> Entry:
    """Move ``entry`` to ``to_status`` and record who did it and why, in one transaction.

    ``fields`` are other attributes of the entry that change with the status (the
    reference number on first submission, the revision date when returned); they are
    saved in the same write. The entry is re-read under a row lock so that two requests
    racing on the same entry cannot both pass the check. A person ``actor`` must hold the
    role the table names for the move (the pages ask the same rules first, so a refusal here
    is a caller's mistake); ``None`` is the system itself, as when seeding demo data for an
    agency with no staff account.
    """
    with transaction.atomic():
        locked = (
            Entry.objects.select_for_update(of=("self",)).select_related("agency").get(pk=entry.pk)
        )
        entry_set_status_locked(
            locked=locked, to_status=to_status, actor=actor, reason=reason, **fields
        )
    entry.take_row(locked)
    return entry


def entry_set_status_locked(
    *, locked: Entry, to_status: str, actor, reason: str = "", **fields
) -> None:
    """``entry_set_status`` for a service that already holds the entry's row under a lock in
    its own transaction and checked it (``entry_submit``, ``entry_withdraw``): locking and
    reading the row again would cost three queries and give the same row."""
    from_status = locked.status
    role = ALLOWED_TRANSITIONS.get(from_status, {}).get(to_status)
    if role is None:
        raise ValidationError(
            _("Status proposal tidak dapat diubah dari “%(from)s” menjadi “%(to)s”.")
            % {"from": S(from_status).label, "to": S(to_status).label},
            code="invalid_transition",
        )
    if actor is not None and not actor.has_perm(role, locked):
        raise PermissionDenied
    locked.status = to_status
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save(update_fields=["status", "updated_at", *fields])
    StatusChange.objects.create(
        entry=locked, from_status=from_status, to_status=to_status, reason=reason, actor=actor
    )
