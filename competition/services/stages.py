"""Writes about a judging stage: its rubric (locked once the stage opens or has a
sheet), the default stages of a year, closing and reopening it.

Every function is atomic and locks the rows it decides on; each change is kept by
django-simple-history with the acting user (``_history_user``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from competition import defaults
from competition.models import (
    Competition,
    Criterion,
    Stage,
    StageKind,
)
from competition.selectors.judging import stage_missing_sheets
from competition.services.freeze import year_check_editable
from opd.models import User
from outbox.services import mail_queue

# --- Rubrics -----------------------------------------------------------------------


def criteria_weight_error(weights) -> str | None:
    """The message to show when a stage's weights do not add up to 100, else None."""
    total = sum((Decimal(w or 0) for w in weights), Decimal("0"))
    if total != Decimal("100"):
        return _(
            "Jumlah bobot seluruh kriteria harus tepat 100%%; saat ini %(total)s%%. "
            "Sesuaikan bobot sebelum menyimpan."
        ) % {"total": f"{total.normalize():f}"}
    return None


def stage_check_rubric_editable(stage: Stage) -> None:
    """Criteria are fixed once a stage has opened, or has any score sheet (its opening
    moved back later): judges may already be scoring, and a submitted sheet's stored
    total was computed with these weights. A finalised year's criteria never change."""
    if stage.pk:
        year_check_editable(
            competition_id=stage.competition_id, what=_("kriteria tahap “%s”") % stage.name
        )
    if stage.pk and (stage.has_started() or stage.sheets.exists()):
        raise ValidationError(
            _(
                "Kriteria tahap “%(stage)s” tidak dapat diubah karena tahap ini sudah "
                "dibuka untuk penilaian."
            )
            % {"stage": stage.name},
            code="rubric_locked",
        )


def criterion_save(*, criterion: Criterion, actor) -> Criterion:
    with transaction.atomic():
        stage = Stage.objects.select_for_update().get(pk=criterion.stage_id)
        stage_check_rubric_editable(stage)
        criterion._history_user = actor
        criterion.full_clean()
        criterion.save()
    return criterion


def criterion_delete(*, criterion: Criterion, actor) -> None:
    with transaction.atomic():
        stage = Stage.objects.select_for_update().get(pk=criterion.stage_id)
        stage_check_rubric_editable(stage)
        criterion._history_user = actor
        criterion.delete()


def stage_create_default_rubric(*, stage: Stage, actor=None) -> list[Criterion]:
    """The default criteria for the stage's kind (scale 0-100, weights adding to 100)."""
    stage_check_rubric_editable(stage)
    if stage.criteria.exists():
        raise ValidationError(
            _("Tahap “%(stage)s” sudah memiliki kriteria.") % {"stage": stage.name},
            code="rubric_exists",
        )
    created = []
    with transaction.atomic(), translation.override("id"):
        for order, spec in enumerate(defaults.RUBRICS[stage.kind], start=1):
            criterion = Criterion(
                stage=stage,
                order=order,
                label=str(spec["label"]),
                guidance=str(spec["guidance"]),
                min_score=Decimal("0"),
                max_score=Decimal("100"),
                weight=spec["weight"],
            )
            criterion._history_user = actor
            criterion.save()
            created.append(criterion)
    return created


def _default_windows(competition: Competition, field_verification: bool):
    """Stage windows after screening, fitted before the announcement when there is one."""
    start = competition.screening_closes_at or (
        competition.submission_closes_at + dt.timedelta(days=14)
    )
    start = start + dt.timedelta(days=1)
    end = competition.announcement_at
    if end is None or end - start < dt.timedelta(days=10):
        days = [(0, 21), (28, 35), (38, 45)]
        return [(start + dt.timedelta(days=a), start + dt.timedelta(days=b)) for a, b in days]
    span = end - start
    fractions = (
        [(0, 0.5), (0.6, 0.8), (0.85, 0.95)]
        if field_verification
        else [
            (0, 0.55),
            (0.65, 0.9),
        ]
    )
    return [(start + span * a, start + span * b) for a, b in fractions]


def stage_create_defaults(
    *, competition: Competition, actor=None, field_verification: bool = False
) -> list[Stage]:
    """Desk evaluation and presentation stages (optionally field verification) with rubrics.

    Called by ``competition_create_default``. Desk and presentation count 40/60 in the
    final score; field verification only confirms and weighs 0.
    """
    kinds = [
        (StageKind.DESK, Decimal("40")),
        (StageKind.PRESENTATION, Decimal("60")),
    ]
    if field_verification:
        kinds.append((StageKind.FIELD, Decimal("0")))
    windows = _default_windows(competition, field_verification)
    stages = []
    with transaction.atomic(), translation.override("id"):
        for order, ((kind, final_weight), (opens_at, closes_at)) in enumerate(
            zip(kinds, windows, strict=False), start=1
        ):
            stage = Stage(
                competition=competition,
                order=order,
                kind=kind,
                name=str(StageKind(kind).label),
                opens_at=opens_at,
                closes_at=closes_at,
                final_weight=final_weight,
                judges_per_entry=3,
            )
            stage._history_user = actor
            stage.save()
            stage_create_default_rubric(stage=stage, actor=actor)
            stages.append(stage)
    return stages


# --- Stage close and reopen -----------------------------------------------------------


def stage_close(*, stage: Stage, actor, reason: str = "") -> Stage:
    """Freeze every sheet of the stage. Closing twice is harmless.

    Closing while sheets are missing (assigned but not submitted) leaves those entries
    incomplete, so it needs a reason; the reason is kept in the stage's history.
    """
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = Stage.objects.select_for_update().get(pk=stage.pk)
        if locked.closed_at is None:
            missing = stage_missing_sheets(locked)
            if missing and not reason:
                n = sum(len(m.assignments) for m in missing)
                raise ValidationError(
                    {
                        "reason": _(
                            "%(n)s lembar penilaian belum dikirim oleh %(judges)s juri. Tuliskan "
                            "alasan menutup tahap sekarang; proposal yang lembarnya belum "
                            "lengkap tidak mendapat nilai."
                        )
                        % {"n": n, "judges": len(missing)}
                    }
                )
            locked.closed_at = timezone.now()
            locked._history_user = actor
            locked._change_reason = reason or None
            locked.save(update_fields=["closed_at"])
    stage.refresh_from_db()
    return stage


def stage_reopen(
    *, stage: Stage, actor, reason: str, closes_at: dt.datetime | None = None
) -> Stage:
    """Open a closed stage again so that judges can finish their sheets.

    Needs a reason (kept in the stage's history) and is refused once the year's result is
    finalised. When the stage's window is already over, ``closes_at`` sets a new end.
    The judges of the stage are told by e-mail once the change is committed.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Tuliskan alasan membuka kembali tahap ini.")}, code="reason_required"
        )
    now = timezone.now()
    with transaction.atomic():
        locked = Stage.objects.select_for_update().select_related("competition").get(pk=stage.pk)
        if locked.closed_at is None:
            raise ValidationError(_("Tahap ini belum ditutup."), code="not_closed")
        year_check_editable(
            competition_id=locked.competition_id, what=_("tahap “%s”") % locked.name
        )
        if closes_at is not None:
            if closes_at <= now:
                raise ValidationError(
                    {"closes_at": _("Batas penilaian yang baru harus di masa depan.")}
                )
            locked.closes_at = closes_at
        elif locked.closes_at <= now:
            raise ValidationError(
                {
                    "closes_at": _(
                        "Batas penilaian tahap ini sudah lewat. Tentukan batas penilaian "
                        "yang baru agar juri dapat melengkapi lembarnya."
                    )
                }
            )
        locked.closed_at = None
        locked._history_user = actor
        locked._change_reason = reason
        locked.save(update_fields=["closed_at", "closes_at"])
        judges = list(
            User.objects.filter(assignments__stage=locked, is_active=True)
            .distinct()
            .order_by("full_name")
        )
        desk_url = settings.SITE_URL + reverse("judge_desk:index")
        for judge in judges:
            mail_queue(
                subject=gettext_lazy("Tahap penilaian dibuka kembali: %(stage_name)s"),
                template="competition/judging/email/stage_reopened.txt",
                context={
                    "judge": judge,
                    "stage": locked,
                    "stage_name": locked.name,
                    "reason": reason,
                    "url": desk_url,
                },
                recipient=judge,
                kind="competition.stage_reopened",
            )
    stage.refresh_from_db()
    return stage


def stage_save(*, stage: Stage, actor) -> Stage:
    """Save a stage's settings (window, weight, judges per entry) from the admin.

    Refused once the year is finalised: the window and the weight fed its result.
    """
    with transaction.atomic():
        if stage.pk:
            Stage.objects.select_for_update().get(pk=stage.pk)
        year_check_editable(
            competition_id=stage.competition_id,
            what=_("jadwal dan bobot tahap “%s”") % stage.name,
        )
        stage._history_user = actor
        stage.save()
    return stage
