"""Writes before the result: moderation notes on disagreements, the finalists, the
presentation schedule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from competition.models import Entry, EntryStatus, ModerationNote, PresentationSlot, Stage
from competition.selectors.finalise import moderation_blocker
from competition.selectors.leaderboard import Leaderboard, stage_leaderboard
from competition.services.freeze import year_check_editable
from competition.services.status import entry_set_status


def moderation_note_add(*, stage: Stage, entry: Entry, actor, note: str) -> ModerationNote:
    """Record what the panel decided about an entry the judges disagreed on."""
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("Tuliskan keputusan panel dan alasannya."), code="empty")
    if entry.competition_id != stage.competition_id:
        raise ValidationError(_("Proposal ini bukan bagian dari tahap tersebut."), code="stage")
    year_check_editable(competition_id=stage.competition_id, what=_("catatan moderasi"))
    return ModerationNote.objects.create(stage=stage, entry=entry, note=note, author=actor)


def _require_moderation(stage: Stage, board: Leaderboard) -> None:
    blocker = moderation_blocker(stage, board)
    if blocker is not None:
        raise blocker


def finalists_select(
    *,
    stage: Stage,
    actor,
    entry_ids: Sequence[int] = (),
    top_n: int | None = None,
    reason: str = "",
) -> list[Entry]:
    """Move entries to FINALIST from the leaderboard of ``stage``.

    Either the ``top_n`` best complete entries, or hand-picked ``entry_ids``; a pick
    other than the top of the leaderboard needs a ``reason``, recorded on each status
    change. Entries already finalist are left as they are (a double submit is harmless).
    Without a pick, ``top_n`` defaults to the competition's finalist count. Refused once
    the year is finalised.
    """
    year_check_editable(competition_id=stage.competition_id, what=_("daftar finalis"))
    if top_n is None and not entry_ids:
        top_n = stage.competition.finalist_count
    board = stage_leaderboard(stage, criterion_means=False)
    _require_moderation(stage, board)
    ranked = [r for r in board.rows if r.score is not None]
    if top_n is not None:
        if top_n < 1:
            raise ValidationError(_("Jumlah finalis minimal 1."), code="top_n")
        chosen = [r.entry.id for r in ranked[:top_n]]
    else:
        chosen = list(dict.fromkeys(entry_ids))
    if not chosen:
        raise ValidationError(_("Pilih setidaknya satu proposal sebagai finalis."), code="empty")
    by_id = {r.entry.id: r for r in board.rows}
    for entry_id in chosen:
        row = by_id.get(entry_id)
        if row is None:
            raise ValidationError(_("Proposal yang dipilih tidak dinilai pada tahap ini."))
        if row.score is None:
            raise ValidationError(
                _("Proposal %(ref)s belum lengkap dinilai; tunggu semua juri mengirim nilai.")
                % {"ref": row.entry.reference or row.entry.title},
                code="incomplete",
            )
    is_top = set(chosen) == {r.entry.id for r in ranked[: len(chosen)]}
    reason = (reason or "").strip()
    if not is_top and not reason:
        raise ValidationError(
            _(
                "Pilihan finalis berbeda dari urutan nilai tertinggi. Tuliskan alasannya "
                "agar dapat dipertanggungjawabkan."
            ),
            code="reason_required",
        )
    if not reason:
        reason = _("Finalis %(n)s besar tahap %(stage)s.") % {
            "n": len(chosen),
            "stage": stage.name,
        }
    moved = []
    with transaction.atomic():
        for entry in Entry.objects.filter(pk__in=chosen).order_by("pk"):
            if entry.status == EntryStatus.FINALIST:
                continue
            moved.append(
                entry_set_status(
                    entry=entry, to_status=EntryStatus.FINALIST, actor=actor, reason=reason
                )
            )
    return moved


def finalist_remove(*, entry: Entry, actor, reason: str) -> Entry:
    """Take an entry back out of the finalists (with a reason) before the presentation."""
    if not (reason or "").strip():
        raise ValidationError(_("Tuliskan alasan membatalkan finalis."), code="reason_required")
    year_check_editable(competition_id=entry.competition_id, what=_("daftar finalis"))
    with transaction.atomic():
        PresentationSlot.objects.filter(entry=entry).delete()
        return entry_set_status(
            entry=entry, to_status=EntryStatus.PASSED, actor=actor, reason=reason.strip()
        )


def slot_set(
    *,
    stage: Stage,
    entry: Entry,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    actor,
    room: str = "",
) -> PresentationSlot:
    """Give a finalist a presentation slot; slots of one stage never overlap.

    One jury hears every presentation, so two slots may not overlap even in different
    rooms. Setting a slot again moves it.
    """
    if entry.competition_id != stage.competition_id:
        raise ValidationError(_("Proposal ini bukan bagian dari kompetisi tahap tersebut."))
    if entry.status != EntryStatus.FINALIST:
        raise ValidationError(_("Hanya finalis yang mendapat jadwal presentasi."), code="status")
    if ends_at <= starts_at:
        raise ValidationError(_("Waktu selesai harus setelah waktu mulai."), code="order")
    with transaction.atomic():
        Stage.objects.select_for_update().get(pk=stage.pk)
        clash = (
            PresentationSlot.objects.filter(
                stage=stage, starts_at__lt=ends_at, ends_at__gt=starts_at
            )
            .exclude(entry=entry)
            .select_related("entry")
            .first()
        )
        if clash is not None:
            local = timezone.localtime(clash.starts_at)
            raise ValidationError(
                _("Jadwal bertabrakan dengan %(ref)s pukul %(time)s. Pilih waktu lain.")
                % {"ref": clash.entry, "time": formats.date_format(local, "DATETIME_FORMAT")},
                code="overlap",
            )
        slot, _created = PresentationSlot.objects.update_or_create(
            stage=stage,
            entry=entry,
            defaults={"starts_at": starts_at, "ends_at": ends_at, "room": room},
        )
    return slot
