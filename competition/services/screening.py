"""Administrative screening: the checklist, then pass, fail or return for revision.

The checklist is derived from the year's own rows (its sections, required attachment
kinds, minimum age) through ``competition.eligibility``, so it asks exactly what the
submission form asked. The organiser may tick items by hand; those ticks are kept on
``Entry.screening_checklist`` with who ticked and when. Every outcome is a status change
through ``entry_set_status`` with the reason, and the OPD is told by e-mail.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from competition.models import Entry, EntryStatus
from competition.selectors.screening import (
    CheckItem,
    entries_bulk_pass_preview,
    screening_checklist,
)
from competition.services.status import entry_set_status
from opd.models import Role, User
from outbox.services import mail_queue


def _ensure_organiser(actor) -> None:
    if actor is None or not actor.has_perm("competition.screen_entries"):
        raise PermissionDenied


def _recipients(entry: Entry) -> list[User]:
    """The entry's OPD staff, and whoever opened the entry if still active."""
    people = {
        user.pk: user
        for user in User.objects.filter(
            agency_id=entry.agency_id, role=Role.OPD_STAFF, is_active=True
        ).exclude(email="")
    }
    if entry.created_by and entry.created_by.is_active and entry.created_by.email:
        people.setdefault(entry.created_by.pk, entry.created_by)
    return sorted(people.values(), key=lambda user: user.email)


def _queue_outcome(entry_pk: int) -> None:
    """One mail per person, each in his or her own language (not the organiser's)."""
    entry = Entry.objects.select_related("innovation", "agency", "competition", "created_by").get(
        pk=entry_pk
    )
    context = {
        "entry": entry,
        "outcome": EntryStatus(entry.status).label,
        "url": settings.SITE_URL + reverse("competition:entry_detail", args=[entry.pk]),
    }
    for user in _recipients(entry):
        mail_queue(
            subject="competition/email/screening_outcome_subject.txt",
            template="competition/email/screening_outcome_body.txt",
            context=context,
            recipient=user,
            kind="competition.screening_outcome",
        )


def entry_screen(
    *,
    entry: Entry,
    outcome: str,
    actor,
    reason: str = "",
    revision_due_at=None,
    ticks: dict[str, bool] | None = None,
) -> Entry:
    """Record the organiser's screening decision on ``entry``.

    ``outcome`` is PASSED, FAILED (``reason`` required) or RETURNED (``reason`` saying
    what to fix and a future ``revision_due_at`` required). ``ticks`` are the organiser's
    own marks on the checklist, by item key; they are stored with each item's label and
    the automatic result at the time of the decision. Deciding the same outcome twice (a double
    POST) changes nothing and sends no second e-mail.
    """
    _ensure_organiser(actor)
    reason = (reason or "").strip()
    if outcome not in EntryStatus.SCREENING_OUTCOMES:
        raise ValidationError(_("Pilih hasil seleksi: lolos, tidak lolos, atau dikembalikan."))
    errors = {}
    if outcome in (EntryStatus.FAILED, EntryStatus.RETURNED) and not reason:
        errors["reason"] = (
            _("Tuliskan alasan proposal tidak lolos.")
            if outcome == EntryStatus.FAILED
            else _("Tuliskan apa yang harus diperbaiki OPD.")
        )
    if outcome == EntryStatus.RETURNED:
        if revision_due_at is None:
            errors["revision_due_at"] = _("Tentukan batas waktu perbaikan.")
        elif revision_due_at <= timezone.now():
            errors["revision_due_at"] = _("Batas waktu perbaikan harus di masa mendatang.")
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        locked = Entry.objects.select_for_update().get(pk=entry.pk)
        if locked.status == outcome and locked.screening_reason == reason:
            entry.refresh_from_db()
            return entry
        if locked.status not in EntryStatus.SCREENABLE:
            raise ValidationError(
                _(
                    "Proposal berstatus “%(status)s” tidak dapat diseleksi. Hanya proposal "
                    "yang sudah dikirim yang diseleksi."
                )
                % {"status": EntryStatus(locked.status).label},
                code="not_screenable",
            )
        ticks = ticks or {}
        checklist = {
            "items": [
                {
                    "key": item.key,
                    "label": str(item.label),
                    "automatic": item.ok,
                    "ticked": bool(ticks.get(item.key, False)),
                }
                for item in screening_checklist(locked)
            ],
            "by": actor.pk,
            "at": timezone.now().isoformat(),
        }
        entry_set_status(
            entry=locked,
            to_status=outcome,
            actor=actor,
            reason=reason,
            screening_reason=reason,
            revision_due_at=revision_due_at if outcome == EntryStatus.RETURNED else None,
            screening_checklist=checklist,
        )
        _queue_outcome(locked.pk)
    entry.refresh_from_db()
    return entry


@dataclass
class BulkPassResult:
    passed: list[Entry]
    skipped: list[tuple[Entry, list[CheckItem]]]


def entries_bulk_pass(*, entries: Iterable[Entry], actor) -> BulkPassResult:
    """Pass every submitted entry whose automatic checklist is clean; skip and report the rest.

    Entries not in the submitted status (already decided, drafts) are skipped with no
    failing items, so a second click passes nothing twice.
    """
    _ensure_organiser(actor)
    result = BulkPassResult(passed=[], skipped=[])
    for row in entries_bulk_pass_preview(entries):
        entry, items = row.entry, row.items
        if not row.clean:
            result.skipped.append((entry, row.problems))
            continue
        ticks = {i.key: True for i in items if i.automatic}
        try:
            entry_screen(entry=entry, outcome=EntryStatus.PASSED, actor=actor, ticks=ticks)
        except ValidationError:
            # Decided by someone else between the check and the write.
            result.skipped.append((entry, []))
            continue
        result.passed.append(entry)
    return result
