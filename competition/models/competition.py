"""One year's competition and everything the organiser sets for it.

Nothing here is a constant of the domain: word limits, minimum age, quotas, prizes,
stages, criteria and weights are rows, so that next year's rules are data.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from competition.sandbox import validate_certificate_template
from kovablik.history import HistoricalRecords


def default_tie_break_ladder():
    return ["top_criterion", "first_places", "chair_decision"]


class CompetitionQuerySet(models.QuerySet):
    def current(self):
        """The competition whose year is nearest to today, preferring this year's."""
        return self.order_by("-year").filter(year__lte=timezone.localdate().year + 1).first()

    def announced(self):
        """Years whose result has been published, newest first: what the public and OPDs see."""
        return self.filter(snapshots__published_at__isnull=False).distinct().order_by("-year")


class Competition(models.Model):
    year = models.PositiveSmallIntegerField(
        _("tahun"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    name = models.CharField(_("nama kompetisi"), max_length=200)
    theme = models.CharField(_("tema"), max_length=255, blank=True)
    description = models.TextField(_("keterangan"), blank=True)

    submission_opens_at = models.DateTimeField(_("pendaftaran dibuka"))
    submission_closes_at = models.DateTimeField(_("pendaftaran ditutup"))
    screening_opens_at = models.DateTimeField(
        _("seleksi administrasi dimulai"), null=True, blank=True
    )
    screening_closes_at = models.DateTimeField(
        _("seleksi administrasi selesai"), null=True, blank=True
    )
    announcement_at = models.DateTimeField(_("pengumuman"), null=True, blank=True)

    min_age_months = models.PositiveSmallIntegerField(
        _("usia minimal inovasi (bulan)"),
        default=12,
        help_text=_("Dihitung mundur dari penutupan pendaftaran."),
    )
    max_entries_per_agency = models.PositiveSmallIntegerField(
        _("batas proposal per OPD"),
        null=True,
        blank=True,
        help_text=_("Kosongkan bila tak dibatasi."),
    )
    prize_first = models.PositiveBigIntegerField(_("uang pembinaan Juara I (Rp)"), default=0)
    prize_second = models.PositiveBigIntegerField(_("uang pembinaan Juara II (Rp)"), default=0)
    prize_third = models.PositiveBigIntegerField(_("uang pembinaan Juara III (Rp)"), default=0)
    forward_quota = models.PositiveSmallIntegerField(_("kuota diteruskan ke provinsi"), default=3)
    reference_prefix = models.CharField(_("awalan nomor registrasi"), max_length=12, default="KIPP")
    tie_break_ladder = models.JSONField(
        _("urutan penentu peringkat seri"), default=default_tie_break_ladder
    )
    disagreement_threshold = models.DecimalField(
        _("ambang perbedaan nilai antarjuri"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("15.00"),
        help_text=_("Simpangan baku (skala 0-100) di atas ambang ini menandai proposal."),
    )
    publish_judge_names = models.BooleanField(_("umumkan nama juri"), default=False)
    finalist_count = models.PositiveSmallIntegerField(
        _("jumlah finalis"),
        default=20,
        validators=[MinValueValidator(1)],
        help_text=_("Usulan awal jumlah finalis dari penilaian proposal."),
    )
    # A finalised year is read-only; the organiser opens a revision (with a reason) to
    # change what feeds the result, and the next finalised version closes it again.
    results_revision_opened_at = models.DateTimeField(
        _("versi baru hasil dibuka pada"), null=True, blank=True, editable=False
    )
    results_revision_reason = models.TextField(
        _("alasan versi baru hasil"), blank=True, editable=False
    )
    feedback_released = models.BooleanField(
        _("umpan balik juri dibuka untuk OPD"),
        default=False,
        help_text=_(
            "Bila dicentang, setelah hasil diumumkan setiap OPD melihat nilai per kriteria dan "
            "catatan juri untuk proposalnya sendiri, tanpa nama juri. Disebutkan dalam e-mail "
            "penugasan kepada juri."
        ),
    )
    certificate_template = models.TextField(
        _("templat piagam (HTML)"),
        blank=True,
        validators=[validate_certificate_template],
        help_text=_(
            "Kosongkan untuk memakai templat bawaan. Isi piagam dalam HTML dengan variabel "
            "{{ penerima }}, {{ predikat }}, {{ inovasi }}, {{ kompetisi }}, {{ tahun }}, "
            "{{ tanggal }}, {{ nomor_sk }}, {{ pemerintah }}, {{ kepala_daerah }} dan {{ tempat }}."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = CompetitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("kompetisi")
        verbose_name_plural = _("kompetisi")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(submission_closes_at__gt=F("submission_opens_at")),
                name="competition_submission_window_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.name} {self.year}"

    def is_submission_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.submission_opens_at <= now < self.submission_closes_at


class GroupCode(models.TextChoices):
    UMUM = "umum", _("Umum")
    REPLIKASI = "replikasi", _("Replikasi")
    KHUSUS = "khusus", _("Khusus")


class CompetitionGroup(models.Model):
    """A group open in one year (Umum, Replikasi, Khusus) and what it asks for."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="groups")
    code = models.CharField(_("kelompok"), max_length=20, choices=GroupCode.choices)
    description = models.TextField(_("keterangan"), blank=True)
    is_open = models.BooleanField(_("dibuka"), default=True)
    invitation_only = models.BooleanField(_("hanya dengan undangan"), default=False)

    class Meta:
        verbose_name = _("kelompok")
        verbose_name_plural = _("kelompok")
        ordering = ["competition_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["competition", "code"], name="one_group_code_per_year")
        ]

    def __str__(self):
        return self.get_code_display()


class Category(models.Model):
    competition = models.ForeignKey(
        Competition, on_delete=models.CASCADE, related_name="categories"
    )
    name = models.CharField(_("nama kategori"), max_length=150)
    description = models.TextField(_("keterangan"), blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("kategori")
        verbose_name_plural = _("kategori")
        ordering = ["competition_id", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["competition", "name"], name="unique_category_per_year")
        ]

    def __str__(self):
        return self.name


class SectionSpec(models.Model):
    """One section of the proposal form for one year, with its word limit.

    Besides words, a section holds at most ``CHARS_PER_WORD`` characters per word of its
    limit: a 100,000-character "word" counts as one word, yet no page or PDF can print it.
    """

    CHARS_PER_WORD = 15

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="sections")
    key = models.SlugField(_("kode"), max_length=50)
    label = models.CharField(_("judul bagian"), max_length=150)
    guidance = models.TextField(_("panduan"), blank=True)
    word_limit = models.PositiveIntegerField(_("batas kata"))
    required = models.BooleanField(_("wajib"), default=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    groups = models.ManyToManyField(
        CompetitionGroup,
        verbose_name=_("berlaku untuk kelompok"),
        related_name="sections",
        help_text=_("Kosongkan bila berlaku untuk semua kelompok."),
        blank=True,
    )

    class Meta:
        verbose_name = _("bagian proposal")
        verbose_name_plural = _("bagian proposal")
        ordering = ["competition_id", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "key"], name="unique_section_key_per_year"
            ),
            models.CheckConstraint(
                condition=Q(word_limit__gt=0), name="section_word_limit_positive"
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def char_limit(self) -> int:
        return self.word_limit * self.CHARS_PER_WORD


class AttachmentType(models.TextChoices):
    PDF = "pdf", _("PDF")
    IMAGE = "image", _("Gambar (JPEG/PNG)")


def default_attachment_types():
    return [AttachmentType.PDF]


class AttachmentKind(models.Model):
    competition = models.ForeignKey(
        Competition, on_delete=models.CASCADE, related_name="attachment_kinds"
    )
    key = models.SlugField(_("kode"), max_length=50)
    label = models.CharField(_("nama lampiran"), max_length=150)
    guidance = models.TextField(_("panduan"), blank=True)
    required = models.BooleanField(_("wajib"), default=True)
    allowed_types = models.JSONField(_("jenis berkas"), default=default_attachment_types)
    max_size_mb = models.PositiveSmallIntegerField(_("ukuran maksimal (MB)"), default=2)
    max_files = models.PositiveSmallIntegerField(_("jumlah berkas maksimal"), default=1)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("jenis lampiran")
        verbose_name_plural = _("jenis lampiran")
        ordering = ["competition_id", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "key"], name="unique_attachment_kind_per_year"
            ),
            models.CheckConstraint(condition=Q(max_size_mb__gt=0), name="attachment_size_positive"),
            models.CheckConstraint(condition=Q(max_files__gt=0), name="attachment_count_positive"),
        ]

    def __str__(self):
        return self.label


class StageKind(models.TextChoices):
    DESK = "desk", _("Penilaian proposal")
    PRESENTATION = "presentation", _("Presentasi dan wawancara")
    FIELD = "field", _("Verifikasi lapangan")


class Stage(models.Model):
    """A judging stage of one year, with its own rubric and window."""

    competition = models.ForeignKey(
        Competition, verbose_name=_("kompetisi"), on_delete=models.CASCADE, related_name="stages"
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=1)
    kind = models.CharField(_("jenis tahap"), max_length=20, choices=StageKind.choices)
    name = models.CharField(_("nama tahap"), max_length=150)
    opens_at = models.DateTimeField(_("dibuka"))
    closes_at = models.DateTimeField(_("ditutup"))
    closed_at = models.DateTimeField(
        _("dibekukan pada"),
        null=True,
        blank=True,
        help_text=_("Diisi saat Bagian Organisasi menutup tahap; lembar nilai lalu beku."),
    )
    final_weight = models.DecimalField(
        _("bobot dalam nilai akhir (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    judges_per_entry = models.PositiveSmallIntegerField(_("juri per proposal"), default=3)
    max_entries_per_judge = models.PositiveSmallIntegerField(
        _("beban maksimal per juri"), null=True, blank=True
    )
    min_entries_for_normalisation = models.PositiveSmallIntegerField(
        _("minimal proposal per juri untuk normalisasi"), default=5
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tahap penilaian")
        verbose_name_plural = _("tahap penilaian")
        ordering = ["competition_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["competition", "order"], name="unique_stage_order"),
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="stage_window_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.competition.year})"

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.closed_at is None and self.opens_at <= now < self.closes_at

    @property
    def is_frozen(self) -> bool:
        return self.closed_at is not None

    def has_started(self, now=None) -> bool:
        return (now or timezone.now()) >= self.opens_at


class Criterion(models.Model):
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    label = models.CharField(_("kriteria"), max_length=150)
    guidance = models.TextField(_("panduan penilaian"), blank=True)
    min_score = models.DecimalField(_("nilai minimal"), max_digits=6, decimal_places=2, default=0)
    max_score = models.DecimalField(
        _("nilai maksimal"), max_digits=6, decimal_places=2, default=100
    )
    weight = models.DecimalField(
        _("bobot (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    comment_required = models.BooleanField(_("catatan wajib"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kriteria penilaian")
        verbose_name_plural = _("kriteria penilaian")
        ordering = ["stage_id", "order"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_score__gt=F("min_score")), name="criterion_scale_ordered"
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=0) & Q(weight__lte=100), name="criterion_weight_percent"
            ),
        ]

    def __str__(self):
        return self.label
