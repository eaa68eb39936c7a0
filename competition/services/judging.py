"""Writes about a judge's work: conflict declarations, score sheets, reminders (the
stage itself, its rubric, closing and reopening: :mod:`competition.services.stages`).

Every function is atomic and locks the rows it decides on, so that two tabs or two
people racing cannot both pass a check. Each change is kept by django-simple-history
with the acting user (``_history_user``), also when called outside a request.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from competition.models import (
    Assignment,
    ConflictDeclaration,
    Criterion,
    JudgeReminder,
    Score,
    ScoreSheet,
    SheetStatus,
    Stage,
)
from competition.selectors.judging import (
    DECLARED_NO_CONFLICT,
    judges_with_unfinished_sheets,
    unique_row,
)
from competition.services.freeze import year_check_editable
from kovablik.db import update_rows
from outbox.services import mail_queue

# --- Conflict declaration ---------------------------------------------------------------


def _stage_closed_error() -> ValidationError:
    return ValidationError(
        _(
            "Tahap penilaian ini sudah ditutup; lembar penilaian tidak dapat diubah lagi. "
            "Hubungi Bagian Organisasi bila ada yang perlu diperbaiki."
        ),
        code="stage_closed",
    )


def _lock_assignment(assignment_id: int, judge, assignments=None) -> Assignment:
    """The judge's assignment, its stage and entry locked; read from ``assignments`` (a
    queryset of ``Assignment``, annotated as the caller needs) when given."""
    assignments = Assignment.objects.all() if assignments is None else assignments
    try:
        return (
            assignments.select_for_update()
            .select_related("stage", "entry")
            .get(pk=assignment_id, judge=judge)
        )
    except Assignment.DoesNotExist:
        raise ValidationError(
            _("Penugasan ini tidak ada atau bukan milik Anda."), code="not_assigned"
        ) from None


def conflict_declare(
    *, assignment: Assignment, judge, has_conflict: bool, reason: str = ""
) -> ConflictDeclaration:
    """Record the judge's declaration; a conflict removes the assignment and any sheet.

    The declaration stays as the record. A sheet the judge had started is deleted (its
    history is kept), so that no score of a conflicted judge ever counts.
    """
    reason = reason.strip()
    if has_conflict and not reason:
        raise ValidationError(
            {"reason": _("Tuliskan alasan konflik kepentingan Anda.")}, code="reason_required"
        )
    now = timezone.now()
    with transaction.atomic():
        locked = _lock_assignment(assignment.pk, judge)
        # The sheet matters only to a conflict, which deletes it, and after the stage
        # closed, when only a reopened sheet may change: not read otherwise.
        sheet = None
        if has_conflict or not locked.stage.is_open(now):
            sheet = ScoreSheet.objects.filter(
                stage_id=locked.stage_id, entry_id=locked.entry_id, judge=judge
            ).first()
        if not ScoreSheet.judge_may_edit(locked.stage, sheet, now):
            raise _stage_closed_error()
        year_check_editable(competition_id=locked.stage.competition_id, what=_("lembar penilaian"))
        # The assignment's lock serialises the declarations of its stage, entry and judge:
        # a missing row is inserted without get_or_create's savepoint.
        declaration = unique_row(
            ConflictDeclaration.objects.select_for_update().filter(
                stage_id=locked.stage_id, entry_id=locked.entry_id, judge=judge
            )
        )
        if declaration is None:
            declaration = ConflictDeclaration(
                stage_id=locked.stage_id,
                entry_id=locked.entry_id,
                judge=judge,
                has_conflict=has_conflict,
                reason=reason if has_conflict else "",
            )
        elif declaration.has_conflict or not has_conflict:
            return declaration  # the same statement twice: nothing changes
        else:
            declaration.has_conflict = True
            declaration.reason = reason
        declaration._history_user = judge
        declaration.save()
        if has_conflict:
            if sheet is not None:
                sheet._history_user = judge
                for score in sheet.scores.all():
                    score._history_user = judge
                    score.delete()
                sheet.delete()
            locked._history_user = judge
            locked.delete()
    return declaration


def conflict_declare_many(
    *, judge, declarations: list[tuple[Assignment, bool, str]]
) -> list[ConflictDeclaration]:
    """Several declarations at once (the start of a stage): all of them or none.

    Each ``(assignment, has_conflict, reason)`` goes through ``conflict_declare``, so
    every proposal still gets its own audited declaration row. An error names the
    proposal it belongs to.
    """
    made = []
    with transaction.atomic():
        for assignment, has_conflict, reason in declarations:
            try:
                made.append(
                    conflict_declare(
                        assignment=assignment,
                        judge=judge,
                        has_conflict=has_conflict,
                        reason=reason,
                    )
                )
            except ValidationError as exc:
                title = assignment.entry.innovation.title
                raise ValidationError(f"{title}: {' '.join(exc.messages)}") from None
    return made


# --- Score sheets -----------------------------------------------------------------------


def _as_decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ValueError from None


def score_sheet_check(
    *, criteria, values: Mapping[int, object], comments: Mapping[int, str], submit: bool
) -> list[ValidationError]:
    """What is wrong with the input: range, step, completeness, required comments. Each
    error names its criterion (``params["criterion"]``) and what is wrong (``code``: a
    ``comment_required`` is about the comment, any other about the score), so that a form
    can show it beside the input it is about."""
    errors: list[ValidationError] = []

    def error(message, code, **params):
        errors.append(ValidationError(message, code=code, params={"criterion": c.pk, **params}))

    for c in criteria:
        raw = values.get(c.pk)
        try:
            value = _as_decimal(raw)
        except ValueError:
            error(_("Isikan angka, misalnya 75 atau 82,5."), "score_invalid")
            continue
        if value is None:
            if submit:
                error(_("Isikan nilai untuk kriteria ini sebelum mengirim."), "score_missing")
        elif not c.min_score <= value <= c.max_score:
            error(
                _("Nilai harus antara %(min)s dan %(max)s."),
                "score_out_of_range",
                min=f"{c.min_score.normalize():f}",
                max=f"{c.max_score.normalize():f}",
            )
        elif value != value.quantize(Decimal("0.01")):
            error(_("Gunakan paling banyak dua angka di belakang koma."), "score_too_precise")
        if submit and c.comment_required and not (comments.get(c.pk) or "").strip():
            error(_("Catatan wajib diisi untuk kriteria ini sebelum mengirim."), "comment_required")
    return errors


def _stale_error() -> ValidationError:
    return ValidationError(
        _(
            "Lembar ini telah diubah di tab/perangkat lain sejak Anda membukanya. Isian Anda "
            "belum disimpan dan masih tampil di bawah; periksa nilai terbaru lalu simpan lagi."
        ),
        code="stale",
    )


def score_sheet_save(
    *,
    sheet_or_assignment: ScoreSheet | Assignment,
    judge,
    values: Mapping[int, object],
    comments: Mapping[int, str],
    expected_version: int,
    submit: bool,
    general_comment: str = "",
    criteria: list[Criterion] | None = None,
) -> ScoreSheet:
    """Save the judge's scores as a draft, or submit them when complete.

    ``values`` and ``comments`` are keyed by criterion id; a missing or empty value
    leaves that criterion unscored (allowed only in a draft). ``expected_version`` is
    the version the form was made from (0 when there was no sheet yet): if the sheet
    changed since, the save is refused so that another tab's work is not overwritten.
    ``criteria`` are the stage's criteria in order when the caller has just read them
    for its form (a stage's rubric cannot change once it is open); read here otherwise.
    """
    with transaction.atomic():
        if isinstance(sheet_or_assignment, ScoreSheet):
            s = sheet_or_assignment
            assignment = Assignment.objects.filter(
                stage_id=s.stage_id, entry_id=s.entry_id, judge=judge
            ).first()
            if assignment is None:
                raise ValidationError(
                    _("Penugasan ini tidak ada atau bukan milik Anda."), code="not_assigned"
                )
        else:
            assignment = sheet_or_assignment
        # The judge's declaration is read with the locked row, in the same query.
        locked = _lock_assignment(
            assignment.pk, judge, Assignment.objects.annotate(declared=DECLARED_NO_CONFLICT)
        )
        stage = locked.stage
        if not locked.declared:
            raise ValidationError(
                _("Nyatakan dahulu bahwa Anda tidak memiliki konflik kepentingan."),
                code="not_declared",
            )
        sheet = unique_row(
            ScoreSheet.objects.select_for_update().filter(
                stage=stage, entry_id=locked.entry_id, judge=judge
            )
        )
        if not ScoreSheet.judge_may_edit(stage, sheet):
            raise _stage_closed_error()
        year_check_editable(competition_id=stage.competition_id, what=_("lembar penilaian"))
        current_version = sheet.version if sheet else 0
        if expected_version != current_version:
            raise _stale_error()
        if sheet is not None and sheet.status == SheetStatus.SUBMITTED:
            raise ValidationError(
                _("Lembar ini sudah dikirim. Buka kembali lembar ini bila ingin mengubahnya."),
                code="submitted",
            )
        if criteria is None:
            criteria = list(stage.criteria.order_by("order"))
        if submit and not criteria:
            raise ValidationError(
                _("Tahap ini belum memiliki kriteria penilaian. Hubungi Bagian Organisasi."),
                code="no_criteria",
            )
        errors = score_sheet_check(
            criteria=criteria, values=values, comments=comments, submit=submit
        )
        if errors:
            raise ValidationError(errors)

        new_sheet = sheet is None
        if new_sheet:
            sheet = ScoreSheet(stage=stage, entry_id=locked.entry_id, judge=judge, version=0)
        sheet.general_comment = general_comment.strip()
        sheet.version += 1
        sheet.total = None
        if submit:
            sheet.status = SheetStatus.SUBMITTED
            sheet.submitted_at = timezone.now()
            sheet.reopened_at = None
            sheet.total = ScoreSheet.weighted_total(
                criteria, {c.pk: _as_decimal(values.get(c.pk)) for c in criteria}
            )
        sheet._history_user = judge
        sheet.save()

        existing = {} if new_sheet else {s.criterion_id: s for s in sheet.scores.all()}
        created, changed = [], []
        for c in criteria:
            value = _as_decimal(values.get(c.pk))
            comment = (comments.get(c.pk) or "").strip()
            score = existing.get(c.pk)
            if value is None:
                if score is not None:
                    score._history_user = judge
                    score.delete()
            elif score is None:
                created.append(Score(sheet=sheet, criterion=c, value=value, comment=comment))
            elif score.value != value or score.comment != comment:
                score.value, score.comment = value, comment
                changed.append(score)
        # Two statements and their history rows instead of two per criterion: judges save
        # in bursts before a stage closes. Each change is still in the history, by judge
        # (no fields: bulk_update_with_history then writes the history rows only).
        if created:
            bulk_create_with_history(created, Score, default_user=judge)
        if changed:
            update_rows(changed, ["value", "comment"])
            bulk_update_with_history(changed, Score, [], default_user=judge)
    return sheet


def score_sheet_reopen(*, sheet: ScoreSheet, actor, reason: str = "") -> ScoreSheet:
    """Turn a submitted sheet back into a draft.

    The judge may do so for his or her own sheet while the stage is open. After the
    stage closes only the organiser may, and must give a reason, which is kept on the
    sheet and in its history.
    """
    reason = reason.strip()
    with transaction.atomic():
        locked = ScoreSheet.objects.select_for_update().select_related("stage").get(pk=sheet.pk)
        stage = locked.stage
        if locked.status != SheetStatus.SUBMITTED:
            raise ValidationError(_("Lembar ini belum dikirim."), code="not_submitted")
        year_check_editable(competition_id=stage.competition_id, what=_("lembar penilaian"))
        if actor.has_perm("competition.manage_judging"):
            if stage.is_frozen or not stage.is_open():
                if not reason:
                    raise ValidationError(
                        {"reason": _("Tuliskan alasan membuka kembali lembar ini.")},
                        code="reason_required",
                    )
                locked.reopened_at = timezone.now()
                locked.reopen_reason = reason
        elif actor.pk == locked.judge_id:
            if not stage.is_open():
                raise _stage_closed_error()
        else:
            raise ValidationError(_("Anda tidak berhak membuka lembar ini."), code="forbidden")
        locked.status = SheetStatus.DRAFT
        locked.total = None
        locked.version += 1
        locked._history_user = actor
        locked._change_reason = reason or None
        locked.save()
    sheet.refresh_from_db()
    return sheet


# --- Reminders --------------------------------------------------------------------------


def judges_remind(*, stage: Stage, now=None) -> int:
    """E-mail every judge with unfinished sheets in ``stage``; returns how many were told.

    At most once a day per judge and stage, however often cron runs: the ``JudgeReminder``
    rows are claimed first (claim before you send), and only judges whose row is new get a
    mail, queued in the same transaction.
    """
    today = timezone.localtime(now or timezone.now()).date()
    desk_url = settings.SITE_URL + reverse("judge_desk:index")
    told = 0
    with transaction.atomic():
        # Serialises concurrent runs so that the per-day check below holds.
        stage = Stage.objects.select_for_update().get(pk=stage.pk)
        already = set(
            JudgeReminder.objects.filter(stage=stage, sent_on=today).values_list(
                "judge_id", flat=True
            )
        )
        pending = {
            judge: assignments
            for judge, assignments in judges_with_unfinished_sheets(stage).items()
            if judge.pk not in already and judge.email
        }
        JudgeReminder.objects.bulk_create(
            JudgeReminder(stage=stage, judge=judge, sent_on=today) for judge in pending
        )
        for judge, assignments in pending.items():
            mail_queue(
                subject=gettext_lazy("Pengingat penilaian: %(stage_name)s"),
                template="competition/judging/email/reminder.txt",
                context={
                    "judge": judge,
                    "stage": stage,
                    "stage_name": stage.name,
                    "assignments": assignments,
                    "url": desk_url,
                },
                recipient=judge,
                kind="competition.judge_reminder",
            )
            told += 1
    return told
