"""Judging: who scores what, the conflicts they declare, and their score sheets."""

from collections.abc import Mapping
from decimal import Decimal
from functools import cache

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from competition import stats
from kovablik.history import HistoricalRecords

from .competition import Criterion, Stage
from .entry import Entry


@cache
def _reopened_sheet() -> Exists:
    """The assignment's sheet was reopened: built once (a filter copies it to resolve it),
    on first use, once the models it reads are loaded; building it anew cost 0.2 ms a list."""
    return Exists(
        ScoreSheet.objects.reopened().filter(
            stage_id=OuterRef("stage_id"),
            entry_id=OuterRef("entry_id"),
            judge_id=OuterRef("judge_id"),
        )
    )


class AssignmentQuerySet(models.QuerySet):
    def workable(self, now=None):
        """Assignments the judge may work on now: `ScoreSheet.judge_may_edit` in SQL."""
        now = now or timezone.now()
        stage_open = Q(
            stage__closed_at__isnull=True, stage__opens_at__lte=now, stage__closes_at__gt=now
        )
        return self.filter(stage_open | _reopened_sheet())


class Assignment(models.Model):
    """A judge is asked to score one entry in one stage."""

    stage = models.ForeignKey(
        Stage,
        verbose_name=_("tahap penilaian"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    entry = models.ForeignKey(
        Entry, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="assignments"
    )
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("juri"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("penugasan juri")
        verbose_name_plural = _("penugasan juri")
        ordering = ["stage_id", "entry_id", "judge_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "entry", "judge"], name="one_assignment_per_judge_entry_stage"
            )
        ]

    def __str__(self):
        return f"{self.judge} → {self.entry} ({self.stage})"


class ConflictDeclaration(models.Model):
    """A judge's statement, before opening an entry, that they have or have no conflict."""

    stage = models.ForeignKey(
        Stage,
        verbose_name=_("tahap penilaian"),
        on_delete=models.CASCADE,
        related_name="conflict_declarations",
    )
    entry = models.ForeignKey(
        Entry,
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="conflict_declarations",
    )
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("juri"),
        on_delete=models.PROTECT,
        related_name="conflict_declarations",
    )
    has_conflict = models.BooleanField(_("ada konflik kepentingan"))
    reason = models.TextField(_("alasan"), blank=True)
    declared_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pernyataan konflik kepentingan")
        verbose_name_plural = _("pernyataan konflik kepentingan")
        ordering = ["stage_id", "entry_id", "judge_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "entry", "judge"], name="one_declaration_per_judge_entry_stage"
            ),
            models.CheckConstraint(
                condition=Q(has_conflict=False) | ~Q(reason=""), name="conflict_needs_reason"
            ),
        ]

    def __str__(self):
        return f"{self.judge} / {self.entry}"


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Dikirim")


class ScoreSheetQuerySet(models.QuerySet):
    def reopened(self):
        """Sheets the organiser reopened after their stage closed, not yet submitted again."""
        return self.filter(reopened_at__isnull=False, status=SheetStatus.DRAFT)


class ScoreSheet(models.Model):
    """A judge's work on one entry in one stage: one score per criterion."""

    stage = models.ForeignKey(
        Stage, verbose_name=_("tahap penilaian"), on_delete=models.PROTECT, related_name="sheets"
    )
    entry = models.ForeignKey(
        Entry, verbose_name=_("proposal"), on_delete=models.PROTECT, related_name="sheets"
    )
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("juri"),
        on_delete=models.PROTECT,
        related_name="sheets",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=SheetStatus.choices, default=SheetStatus.DRAFT
    )
    general_comment = models.TextField(_("catatan umum"), blank=True)
    # Optimistic locking: a save must name the version it was made from.
    version = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField(_("dikirim pada"), null=True, blank=True)
    # The weighted total (0-100) of a submitted sheet, written with its scores in one
    # transaction: the leaderboard of thousands of sheets reads this one column instead
    # of summing every score. Criteria are locked once a stage opens or has sheets
    # (stage_check_rubric_editable), so it cannot go stale; null while a draft. A total
    # changed behind the portal's back blocks finalising and fails verification
    # (competition.selectors.verification recomputes it from the scores).
    total = models.FloatField(_("nilai total"), null=True, blank=True, editable=False)
    # Set when the organiser reopens a sheet of a closed stage: only then may the judge
    # change it after the close, until it is submitted again.
    reopened_at = models.DateTimeField(_("dibuka kembali pada"), null=True, blank=True)
    reopen_reason = models.TextField(_("alasan dibuka kembali"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = ScoreSheetQuerySet.as_manager()

    class Meta:
        verbose_name = _("lembar penilaian")
        verbose_name_plural = _("lembar penilaian")
        ordering = ["stage_id", "entry_id", "judge_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "entry", "judge"], name="one_sheet_per_judge_entry_stage"
            )
        ]

    def __str__(self):
        return f"{self.entry} / {self.judge}"

    @property
    def is_reopened(self) -> bool:
        return self.reopened_at is not None and self.status == SheetStatus.DRAFT

    @staticmethod
    def judge_may_edit(stage: Stage, sheet: "ScoreSheet | None", now=None) -> bool:
        """Whether the judge may change a sheet of ``stage`` now (``sheet`` None before the
        first save): while the stage is open, or on a sheet the organiser reopened after
        the close, until it is submitted again. `Assignment.objects.workable` in SQL."""
        return stage.is_open(now) or (sheet is not None and sheet.is_reopened)

    @staticmethod
    def weighted_total(criteria, values: Mapping[int, Decimal | None]) -> float | None:
        """The total of ``values`` (criterion id -> score) on ``criteria``, added up in
        criterion order so that the same scores always give the same float."""
        ordered = sorted(criteria, key=lambda c: (c.order, c.pk))
        return stats.sheet_total(
            {k: float(v) for k, v in values.items() if v is not None},
            [stats.CriterionSpec(c.pk, float(c.max_score), float(c.weight)) for c in ordered],
        )


class Score(models.Model):
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.DecimalField(_("nilai"), max_digits=6, decimal_places=2)
    comment = models.TextField(_("catatan / saran"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nilai")
        verbose_name_plural = _("nilai")
        ordering = ["sheet_id", "criterion_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sheet", "criterion"], name="one_score_per_sheet_criterion"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="score_not_negative"),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.value}"


class ModerationNote(models.Model):
    """What the panel decided about an entry the judges disagreed on, and why."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="moderation_notes")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="moderation_notes")
    note = models.TextField(_("keputusan panel"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("catatan moderasi")
        verbose_name_plural = _("catatan moderasi")
        ordering = ["stage_id", "entry_id", "created_at"]

    def __str__(self):
        return f"{self.entry} ({self.stage})"
