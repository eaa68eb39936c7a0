"""A finalised year is read-only: what feeds its result changes only through a new version.

Once a year has a result snapshot, its finalists, score sheets, moderation notes, stage
windows and weights, criteria and tie-break ladder stay as they were frozen. The one way
to change them is the documented path: the organiser opens a new result version with a
reason (``result_revision_open``, audited in the competition's history), reopens what it
needs, and finalises the next version with that reason, which verifies it and closes the
revision again.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from competition.models import Competition, ResultSnapshot


def year_is_locked(competition: Competition) -> bool:
    """Whether the year has a finalised result and no new version is being prepared."""
    return (
        competition.results_revision_opened_at is None
        and ResultSnapshot.objects.filter(competition_id=competition.pk).exists()
    )


def year_locked_error(competition: Competition, what: str) -> ValidationError:
    """The refusal, naming the one path by which a finalised year changes."""
    latest = competition.snapshots.order_by("-version").values_list("version", flat=True).first()
    return ValidationError(
        _(
            "Hasil %(year)s sudah difinalkan (versi %(v)s), jadi %(what)s tidak dapat "
            "diubah lagi. Perubahan hanya melalui versi baru hasil akhir: buka halaman "
            "Peringkat akhir, pilih “Buka versi baru hasil” dan tuliskan alasannya."
        )
        % {"year": competition.year, "v": latest, "what": what},
        code="year_finalised",
    )


def year_check_editable(*, competition_id: int, what: str) -> None:
    """Refuse a change to what feeds the result of a finalised year.

    One query, read afresh, so that a revision opened in another tab counts.
    """
    if ResultSnapshot.objects.filter(
        competition_id=competition_id, competition__results_revision_opened_at__isnull=True
    ).exists():
        raise year_locked_error(Competition.objects.get(pk=competition_id), what)


def result_revision_open(*, competition: Competition, actor, reason: str) -> Competition:
    """Open a new result version: the year's inputs may change until it is finalised.

    Needs a finalised result and a reason; kept in the competition's history with the
    reason. Opening twice keeps the first opening.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Tuliskan alasan membuka versi baru hasil akhir.")},
            code="reason_required",
        )
    with transaction.atomic():
        locked = Competition.objects.select_for_update().get(pk=competition.pk)
        if not locked.snapshots.exists():
            raise ValidationError(
                _("Hasil tahun ini belum difinalkan; belum ada yang perlu dibuka."),
                code="not_finalised",
            )
        if locked.results_revision_opened_at is None:
            locked.results_revision_opened_at = timezone.now()
            locked.results_revision_reason = reason
            locked._history_user = actor
            locked._change_reason = reason
            locked.save(update_fields=["results_revision_opened_at", "results_revision_reason"])
    competition.refresh_from_db()
    return competition


def result_revision_close(*, competition: Competition, actor, reason: str) -> None:
    """Called by ``result_finalise`` in its transaction: the new version ends the revision."""
    if competition.results_revision_opened_at is None:
        return
    competition.results_revision_opened_at = None
    competition.results_revision_reason = ""
    competition._history_user = actor
    competition._change_reason = reason
    competition.save(update_fields=["results_revision_opened_at", "results_revision_reason"])
