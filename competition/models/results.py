"""Results: the frozen ranking, its placements, and the path to province and nation."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kovablik.history import HistoricalRecords

from .competition import Competition, Stage
from .entry import Entry


class PresentationSlot(models.Model):
    """A finalist's time slot in the presentation-and-interview stage."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="slots")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("mulai"))
    ends_at = models.DateTimeField(_("selesai"))
    room = models.CharField(_("tempat"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("jadwal presentasi")
        verbose_name_plural = _("jadwal presentasi")
        ordering = ["stage_id", "starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["stage", "entry"], name="one_slot_per_entry_stage"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="slot_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.entry} {self.starts_at:%Y-%m-%d %H:%M}"


class ResultSnapshot(models.Model):
    """A finalised result, frozen: method, inputs and every computed figure, with a checksum.

    Public pages and exports read snapshots, never live scores. A change makes a new
    version with a reason; earlier versions stay.
    """

    competition = models.ForeignKey(
        Competition, verbose_name=_("kompetisi"), on_delete=models.PROTECT, related_name="snapshots"
    )
    version = models.PositiveSmallIntegerField(_("versi"))
    payload = models.JSONField(_("isi"))
    checksum = models.CharField(_("checksum SHA-256"), max_length=64)
    reason = models.TextField(_("alasan perubahan"), blank=True)
    decree_number = models.CharField(_("nomor SK penetapan pemenang"), max_length=150, blank=True)
    decree_date = models.DateField(_("tanggal SK"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("diumumkan pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("hasil akhir")
        verbose_name_plural = _("hasil akhir")
        ordering = ["competition_id", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "version"], name="unique_snapshot_version"
            ),
            models.CheckConstraint(
                condition=Q(version=1) | ~Q(reason=""), name="snapshot_revision_needs_reason"
            ),
        ]

    def __str__(self):
        return f"{self.competition} v{self.version}"

    def save(self, *args, **kwargs):
        # Frozen: once written, only the publication time may be set.
        if self.pk is not None and set(kwargs.get("update_fields") or ()) != {"published_at"}:
            raise ValueError("A result snapshot is never changed; finalise a new version.")
        super().save(*args, **kwargs)


class PlacementTitle(models.TextChoices):
    JUARA_1 = "juara_1", _("Juara I")
    JUARA_2 = "juara_2", _("Juara II")
    JUARA_3 = "juara_3", _("Juara III")
    HARAPAN_1 = "harapan_1", _("Harapan I")
    HARAPAN_2 = "harapan_2", _("Harapan II")
    HARAPAN_3 = "harapan_3", _("Harapan III")
    FINALIST = "finalist", _("Finalis")


# The titles by rank, named once (set after the class body, where a tuple would become a
# member): JUARA, the top winners (certificates, prize money, next year's eligibility);
# HARAPAN, the honourable mentions; WINNING, both, what the announcement lists.
PlacementTitle.JUARA = (PlacementTitle.JUARA_1, PlacementTitle.JUARA_2, PlacementTitle.JUARA_3)
PlacementTitle.HARAPAN = (
    PlacementTitle.HARAPAN_1,
    PlacementTitle.HARAPAN_2,
    PlacementTitle.HARAPAN_3,
)
PlacementTitle.WINNING = PlacementTitle.JUARA + PlacementTitle.HARAPAN


class Placement(models.Model):
    snapshot = models.ForeignKey(
        ResultSnapshot, on_delete=models.CASCADE, related_name="placements"
    )
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="placements")
    rank = models.PositiveSmallIntegerField(_("peringkat"))
    title = models.CharField(_("predikat"), max_length=20, choices=PlacementTitle.choices)
    final_score = models.DecimalField(_("nilai akhir"), max_digits=7, decimal_places=3)
    prize = models.PositiveBigIntegerField(_("uang pembinaan (Rp)"), default=0)

    class Meta:
        verbose_name = _("peringkat")
        verbose_name_plural = _("peringkat")
        ordering = ["snapshot_id", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "entry"], name="one_placement_per_entry"),
            models.UniqueConstraint(fields=["snapshot", "rank"], name="one_entry_per_rank"),
        ]

    def __str__(self):
        return f"{self.get_title_display()}: {self.entry}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("A placement is part of a frozen snapshot and is never changed.")
        super().save(*args, **kwargs)


class ForwardingLevel(models.TextChoices):
    PROVINCE = "province", _("Kovablik Jawa Timur")
    NATIONAL = "national", _("KIPP KemenPAN-RB")


class Forwarding(models.Model):
    """An entry sent on to the provincial or national round."""

    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="forwardings")
    level = models.CharField(_("tingkat"), max_length=20, choices=ForwardingLevel.choices)
    # The round the entry went to; empty for forwardings recorded before rounds were data.
    round = models.ForeignKey(
        "competition.TargetRound",
        verbose_name=_("putaran tujuan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="forwardings",
    )
    forwarded_at = models.DateTimeField(auto_now_add=True)
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(_("catatan"), blank=True)

    # Who forwarded, corrected or cancelled a forwarding, and when.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("penerusan")
        verbose_name_plural = _("penerusan")
        ordering = ["-forwarded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "level"],
                condition=Q(round__isnull=True),
                name="forward_once_per_level",
            ),
            models.UniqueConstraint(fields=["entry", "round"], name="forward_once_per_round"),
        ]

    def __str__(self):
        return f"{self.entry} → {self.round or self.get_level_display()}"


def evidence_path(instance, filename):
    return f"outcomes/{instance.forwarding_id}/{uuid.uuid4().hex}"


class OutcomeStep(models.TextChoices):
    REGISTERED = "registered", _("Terdaftar")
    PASSED_ADMIN = "passed_admin", _("Lolos administrasi")
    FINALIST = "finalist", _("Finalis")
    AWARDED = "awarded", _("Meraih penghargaan")
    NOT_SELECTED = "not_selected", _("Tidak lolos")


class Outcome(models.Model):
    """A step of a forwarded entry at the provincial or national level."""

    forwarding = models.ForeignKey(Forwarding, on_delete=models.CASCADE, related_name="outcomes")
    step = models.CharField(_("tahap"), max_length=20, choices=OutcomeStep.choices)
    round_step = models.CharField(
        _("tahap putaran"),
        max_length=150,
        blank=True,
        help_text=_("Dipilih dari tahapan putaran tujuan."),
    )
    label = models.CharField(
        _("predikat"),
        max_length=150,
        blank=True,
        help_text=_("Mis. Top 45 Kovablik, Top 99, Top 45 KIPP, Outstanding Achievement."),
    )
    rank = models.PositiveSmallIntegerField(_("peringkat"), null=True, blank=True)
    decree_number = models.CharField(_("nomor SK"), max_length=150, blank=True)
    occurred_on = models.DateField(_("tanggal"))
    notes = models.TextField(_("catatan"), blank=True)
    evidence = models.FileField(_("bukti"), upload_to=evidence_path, blank=True, max_length=255)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hasil di tingkat lanjut")
        verbose_name_plural = _("hasil di tingkat lanjut")
        ordering = ["forwarding_id", "occurred_on", "pk"]

    def __str__(self):
        return f"{self.forwarding}: {self.get_step_display()}"
