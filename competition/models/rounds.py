"""Target rounds: the provincial and national competitions the region forwards entries to.

A round (Kovablik Jatim 2027, KIPP 2027, PKRI 2024, IGA 2026) is data: its level, organiser
and dates, its rules per group (age of the innovation, quota per region, how often an
innovation may enter, award history that bars it), its own proposal sections and attachment
kinds, and the vocabulary of its steps and award labels. Rounds of one ``series`` are the
same competition in different years; a new year copies the last one.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kovablik.history import HistoricalRecords

from .competition import GroupCode


class RoundLevel(models.TextChoices):
    PROVINCE = "province", _("Provinsi")
    NATIONAL = "national", _("Nasional")


def default_list():
    return []


class TargetRound(models.Model):
    name = models.CharField(_("nama putaran"), max_length=150, help_text=_("Mis. KIPP 2027."))
    slug = models.SlugField(_("kode"), max_length=60, unique=True)
    series = models.SlugField(
        _("seri"),
        max_length=40,
        help_text=_(
            "Kode yang sama untuk kompetisi yang sama di tahun berbeda (mis. kipp, "
            "kovablik-jatim, iga); dipakai untuk menghitung berapa kali inovasi sudah ikut."
        ),
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    level = models.CharField(_("tingkat"), max_length=20, choices=RoundLevel.choices)
    organiser = models.CharField(
        _("penyelenggara"), max_length=200, help_text=_("Mis. KemenPAN-RB, BRIDA Jawa Timur.")
    )
    organiser_region = models.CharField(
        _("daerah penyelenggara"),
        max_length=150,
        blank=True,
        help_text=_(
            "Untuk putaran daerah: nama lengkap daerah penyelenggara (mis. Provinsi Jawa Timur); "
            "hanya instalasi daerah itu yang dapat mengimpor paket putaran ini."
        ),
    )
    opens_on = models.DateField(_("pendaftaran dibuka"), null=True, blank=True)
    closes_on = models.DateField(
        _("pendaftaran ditutup"),
        null=True,
        blank=True,
        help_text=_("Umur inovasi dihitung sampai tanggal ini (kosong: hari ini)."),
    )
    steps = models.JSONField(
        _("tahapan"), default=default_list, blank=True, help_text=_("Satu tahap per baris.")
    )
    award_labels = models.JSONField(
        _("predikat penghargaan"),
        default=default_list,
        blank=True,
        help_text=_("Satu predikat per baris, mis. Top 99, Top 45, Outstanding Achievement."),
    )
    notes = models.TextField(_("catatan"), blank=True)
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("disalin dari"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("putaran tujuan")
        verbose_name_plural = _("putaran tujuan")
        ordering = ["-year", "name"]

    def __str__(self):
        return self.name


class RoundGroupRule(models.Model):
    """What a round asks of the entries of one group."""

    round = models.ForeignKey(TargetRound, on_delete=models.CASCADE, related_name="rules")
    group = models.CharField(_("kelompok"), max_length=20, choices=GroupCode.choices)
    min_age_months = models.PositiveSmallIntegerField(
        _("umur inovasi minimal (bulan)"), null=True, blank=True
    )
    max_age_months = models.PositiveSmallIntegerField(
        _("umur inovasi maksimal (bulan)"), null=True, blank=True
    )
    quota = models.PositiveSmallIntegerField(
        _("kuota per daerah"), null=True, blank=True, help_text=_("Kosong: tanpa batas.")
    )
    max_entries = models.PositiveSmallIntegerField(
        _("berapa kali inovasi boleh ikut"),
        null=True,
        blank=True,
        help_text=_("Dihitung atas semua putaran seri yang sama, termasuk yang ini."),
    )
    barring_awards = models.JSONField(
        _("riwayat penghargaan yang menghalangi"),
        default=default_list,
        blank=True,
        help_text=_(
            'Daftar {"label": "Top 45", "times": 1}: inovasi yang riwayatnya memuat predikat '
            "itu sebanyak itu di tingkat putaran ini tidak dapat diteruskan."
        ),
    )
    video_required = models.BooleanField(_("wajib video"), default=False)
    video_max_minutes = models.PositiveSmallIntegerField(
        _("durasi video maksimal (menit)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("aturan kelompok")
        verbose_name_plural = _("aturan kelompok")
        ordering = ["round_id", "group"]
        constraints = [
            models.UniqueConstraint(fields=["round", "group"], name="one_rule_per_round_group"),
            models.CheckConstraint(
                condition=Q(min_age_months__isnull=True)
                | Q(max_age_months__isnull=True)
                | Q(min_age_months__lte=models.F("max_age_months")),
                name="round_rule_age_range",
            ),
        ]

    def __str__(self):
        return f"{self.round} · {self.get_group_display()}"


class RoundSection(models.Model):
    """A section of the round's own proposal format, in the round's order."""

    round = models.ForeignKey(TargetRound, on_delete=models.CASCADE, related_name="sections")
    key = models.SlugField(_("kode"), max_length=50)
    label = models.CharField(_("judul bagian"), max_length=150)
    guidance = models.TextField(_("panduan"), blank=True)
    word_limit = models.PositiveIntegerField(_("batas kata"))
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    groups = models.JSONField(
        _("kelompok"),
        default=default_list,
        blank=True,
        help_text=_('Kode kelompok, mis. ["replikasi"]; kosong: semua kelompok.'),
    )
    source_keys = models.JSONField(
        _("diisi dari bagian"),
        default=default_list,
        blank=True,
        help_text=_("Kode bagian proposal kompetisi daerah yang menjadi titik awal isinya."),
    )

    class Meta:
        verbose_name = _("bagian proposal putaran")
        verbose_name_plural = _("bagian proposal putaran")
        ordering = ["round_id", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "key"], name="unique_round_section_key"),
            models.CheckConstraint(
                condition=Q(word_limit__gt=0), name="round_section_word_limit_positive"
            ),
        ]

    def __str__(self):
        return self.label

    def applies_to(self, group_code: str) -> bool:
        return not self.groups or group_code in self.groups


class RoundAttachmentKind(models.Model):
    """An attachment the round requires, and which of the region's kinds provides it."""

    round = models.ForeignKey(
        TargetRound, on_delete=models.CASCADE, related_name="attachment_kinds"
    )
    key = models.SlugField(_("kode"), max_length=50)
    label = models.CharField(_("nama lampiran"), max_length=150)
    required = models.BooleanField(_("wajib"), default=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    groups = models.JSONField(
        _("kelompok"),
        default=default_list,
        blank=True,
        help_text=_('Kode kelompok, mis. ["replikasi"]; kosong: semua kelompok.'),
    )
    source_keys = models.JSONField(
        _("diambil dari jenis lampiran"),
        default=default_list,
        blank=True,
        help_text=_("Kode jenis lampiran kompetisi daerah yang memenuhi lampiran ini."),
    )

    class Meta:
        verbose_name = _("jenis lampiran putaran")
        verbose_name_plural = _("jenis lampiran putaran")
        ordering = ["round_id", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "key"], name="unique_round_attachment_key"),
        ]

    def __str__(self):
        return self.label

    def applies_to(self, group_code: str) -> bool:
        return not self.groups or group_code in self.groups


class ImportedPackage(models.Model):
    """An exchange package imported here (by the round's organising region): never twice."""

    package_id = models.CharField(_("kode paket"), max_length=32, unique=True)
    source_region = models.CharField(_("daerah asal"), max_length=150)
    round_slug = models.SlugField(_("putaran"), max_length=60)
    round_name = models.CharField(_("nama putaran"), max_length=150)
    competition = models.ForeignKey(
        "competition.Competition",
        verbose_name=_("kompetisi"),
        on_delete=models.PROTECT,
        related_name="imported_packages",
    )
    manifest_sha256 = models.CharField(max_length=64)
    format_version = models.CharField(_("versi format"), max_length=10)
    imported_at = models.DateTimeField(_("diimpor pada"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("paket impor")
        verbose_name_plural = _("paket impor")
        ordering = ["-imported_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_region", "round_slug", "manifest_sha256"],
                name="one_import_per_package_content",
            )
        ]

    def __str__(self):
        return f"{self.source_region} → {self.round_name}"


class ImportedEntry(models.Model):
    """An entry created from a package, with the reference it has at its source."""

    package = models.ForeignKey(ImportedPackage, on_delete=models.PROTECT, related_name="entries")
    entry = models.OneToOneField(
        "competition.Entry", on_delete=models.CASCADE, related_name="imported_from"
    )
    source_reference = models.CharField(_("nomor registrasi asal"), max_length=30)

    class Meta:
        verbose_name = _("proposal impor")
        verbose_name_plural = _("proposal impor")
        constraints = [
            models.UniqueConstraint(
                fields=["package", "source_reference"], name="one_entry_per_source_reference"
            )
        ]

    def __str__(self):
        return self.source_reference


class RoundAdaptation(models.Model):
    """The OPD's text for one of the round's sections, written for one forwarding: it
    replaces the text taken from the region's sections in the exchange package."""

    forwarding = models.ForeignKey(
        "competition.Forwarding", on_delete=models.CASCADE, related_name="adaptations"
    )
    section = models.ForeignKey(RoundSection, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("isi"), blank=True)
    updated_at = models.DateTimeField(_("disimpan pada"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("penyesuaian bagian")
        verbose_name_plural = _("penyesuaian bagian")
        constraints = [
            models.UniqueConstraint(
                fields=["forwarding", "section"], name="one_adaptation_per_round_section"
            )
        ]

    def __str__(self):
        return f"{self.forwarding_id} · {self.section}"


def round_attachment_path(instance, filename):
    """Stored under an opaque name, as the entry's own attachments."""
    return f"rounds/{instance.kind.round_id}/{instance.forwarding_id}/{uuid.uuid4().hex}"


class RoundAttachment(models.Model):
    """A file the OPD added for a round's attachment kind (one its proposal did not have)."""

    forwarding = models.ForeignKey(
        "competition.Forwarding", on_delete=models.CASCADE, related_name="round_attachments"
    )
    kind = models.ForeignKey(
        RoundAttachmentKind, on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(_("berkas"), upload_to=round_attachment_path, max_length=255)
    original_name = models.CharField(_("nama berkas"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lampiran putaran")
        verbose_name_plural = _("lampiran putaran")
        ordering = ["forwarding_id", "kind_id", "uploaded_at"]

    def __str__(self):
        return self.original_name
