"""An innovation lives for years; its entries in each year's competition hang off it."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kovablik.history import HistoricalRecords
from kovablik.text import CleanNamesMixin, title_key
from opd.models import Agency, nip_validator


def age_in_months(started_on, on) -> int:
    """Whole months from ``started_on`` to ``on``."""
    months = (on.year - started_on.year) * 12 + on.month - started_on.month
    if on.day < started_on.day:
        months -= 1
    return months


class SDG(models.Model):
    """One of the 17 Sustainable Development Goals (TPB), seeded by a migration."""

    number = models.PositiveSmallIntegerField(
        _("nomor"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(17)]
    )
    name = models.CharField(_("nama"), max_length=150)

    class Meta:
        verbose_name = _("tujuan pembangunan berkelanjutan (TPB/SDG)")
        verbose_name_plural = _("tujuan pembangunan berkelanjutan (TPB/SDG)")
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.name}"


class InnovationStage(models.TextChoices):
    INISIATIF = "inisiatif", _("Inisiatif")
    UJI_COBA = "uji_coba", _("Uji coba")
    PENERAPAN = "penerapan", _("Penerapan")


class InnovationForm(models.TextChoices):
    TATA_KELOLA = "tata_kelola", _("Inovasi tata kelola pemerintahan daerah")
    PELAYANAN_PUBLIK = "pelayanan_publik", _("Inovasi pelayanan publik")
    LAINNYA = "lainnya", _("Inovasi daerah lainnya")


class Initiator(models.TextChoices):
    KEPALA_DAERAH = "kepala_daerah", _("Kepala Daerah")
    DPRD = "dprd", _("Anggota DPRD")
    PERANGKAT_DAERAH = "perangkat_daerah", _("Perangkat Daerah")
    ASN = "asn", _("ASN")
    MASYARAKAT = "masyarakat", _("Masyarakat")


class InnovationQuerySet(models.QuerySet):
    def in_catalogue(self):
        """Public: the OPD consents (innovation and agency) and the organiser approved it."""
        return self.filter(
            agency__publishes_catalogue=True,
            is_published=True,
            catalogue_approved_at__isnull=False,
        )


class Innovation(CleanNamesMixin, models.Model):
    clean_name_fields = ("title", "brand_name", "brand_long_form")

    agency = models.ForeignKey(
        Agency,
        verbose_name=_("OPD/UPT pemilik"),
        on_delete=models.PROTECT,
        related_name="innovations",
    )
    title = models.CharField(_("judul inovasi"), max_length=255)
    title_key = models.CharField(max_length=255, editable=False, db_index=True)
    brand_name = models.CharField(_("nama singkat (akronim)"), max_length=80, blank=True)
    brand_long_form = models.CharField(_("kepanjangan"), max_length=255, blank=True)
    description = models.TextField(_("deskripsi singkat"), blank=True)
    started_on = models.DateField(_("tanggal mulai diterapkan"))
    trial_on = models.DateField(_("tanggal uji coba"), null=True, blank=True)
    stage = models.CharField(
        _("tahapan"),
        max_length=20,
        choices=InnovationStage.choices,
        default=InnovationStage.PENERAPAN,
    )
    form = models.CharField(
        _("bentuk"),
        max_length=20,
        choices=InnovationForm.choices,
        default=InnovationForm.PELAYANAN_PUBLIK,
    )
    is_digital = models.BooleanField(_("inovasi digital"), default=False)
    is_application = models.BooleanField(_("berupa aplikasi"), default=False)
    initiator = models.CharField(
        _("inisiator"), max_length=20, choices=Initiator.choices, default=Initiator.PERANGKAT_DAERAH
    )
    sdgs = models.ManyToManyField(SDG, verbose_name=_("TPB/SDG yang didukung"), blank=True)
    is_published = models.BooleanField(
        _("tampilkan di katalog publik"),
        default=False,
        help_text=_(
            "Tampil di katalog publik hanya bila OPD menyetujui dan Bagian Organisasi "
            "telah memeriksa dan menyetujui inovasi ini untuk dipublikasikan."
        ),
    )
    # The organiser's approval for the catalogue; the history records who gave or withdrew it.
    catalogue_approved_at = models.DateTimeField(
        _("disetujui untuk katalog pada"), null=True, blank=True
    )
    catalogue_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("disetujui untuk katalog oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # A replication (the Replikasi group) names the innovation it replicates: one in this
    # registry, or one elsewhere by name, region, year and award.
    replicates = models.ForeignKey(
        "self",
        verbose_name=_("mereplikasi inovasi (terdaftar di Kovablik)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replications",
        help_text=_("Hanya untuk inovasi replikasi; kosongkan bila inovasi asal dari daerah lain."),
    )
    replicates_name = models.CharField(
        _("inovasi asal (di luar Kovablik)"), max_length=255, blank=True
    )
    replicates_region = models.CharField(
        _("daerah asal"), max_length=150, blank=True, help_text=_("Mis. Kabupaten Banyuwangi.")
    )
    replicates_year = models.PositiveSmallIntegerField(
        _("tahun inovasi asal"), null=True, blank=True
    )
    replicates_award = models.CharField(
        _("penghargaan inovasi asal"),
        max_length=150,
        blank=True,
        help_text=_("Mis. Top 45 KIPP 2022; kosong bila tidak ada."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = InnovationQuerySet.as_manager()

    class Meta:
        verbose_name = _("inovasi")
        verbose_name_plural = _("inovasi")
        ordering = ["title"]

    def __str__(self):
        # Many OPDs already write the brand into the title ("Gayatri: Gerbang ...").
        if not self.brand_name or self.title.lower().startswith(self.brand_name.lower()):
            return self.title
        return f"{self.brand_name}: {self.title}"

    def save(self, *args, **kwargs):
        self.title_key = title_key(self.title)[:255]
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        errors = {}
        if self.replicates_id and self.pk and self.replicates_id == self.pk:
            errors["replicates"] = _("Inovasi tidak dapat mereplikasi dirinya sendiri.")
        if self.replicates_id and self.replicates_name.strip():
            errors["replicates_name"] = _(
                "Pilih inovasi asal dari daftar Kovablik atau tulis inovasi di luar Kovablik, "
                "bukan keduanya."
            )
        elif self.replicates_name.strip():
            if not self.replicates_region.strip():
                errors["replicates_region"] = _("Tulis daerah asal inovasi yang direplikasi.")
            if not self.replicates_year:
                errors["replicates_year"] = _("Tulis tahun inovasi asal.")
        elif self.replicates_region.strip() or self.replicates_year or self.replicates_award:
            errors["replicates_name"] = _("Tulis nama inovasi asal di luar Kovablik.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_replication(self) -> bool:
        return bool(self.replicates_id or self.replicates_name.strip())

    @property
    def replicates_label(self) -> str:
        """The replicated innovation in one line: ``Name (Region, 2022, Top 45 KIPP)``."""
        if self.replicates_id:
            origin = self.replicates
            return f"{origin} ({origin.agency})"
        details = [self.replicates_region, str(self.replicates_year or ""), self.replicates_award]
        details = ", ".join(d for d in details if d)
        return f"{self.replicates_name} ({details})" if details else self.replicates_name

    def age_in_months(self, on) -> int:
        """Whole months from the start of implementation to ``on``."""
        return age_in_months(self.started_on, on)


class Innovator(CleanNamesMixin, models.Model):
    """A person of the innovator team; the first is the lead."""

    clean_name_fields = ("name", "role")

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="innovators")
    name = models.CharField(_("nama"), max_length=150)
    nip = models.CharField(_("NIP"), max_length=18, blank=True, validators=[nip_validator])
    role = models.CharField(_("peran dalam tim"), max_length=100, blank=True)
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("inovator")
        verbose_name_plural = _("inovator")
        ordering = ["innovation_id", "order", "pk"]

    def __str__(self):
        return self.name


class AwardLevel(models.TextChoices):
    CITY = "city", _("Kota")
    PROVINCE = "province", _("Provinsi (Kovablik Jatim)")
    NATIONAL = "national", _("Nasional (KIPP)")
    OTHER = "other", _("Lainnya")


# Awarded in the rounds a city's winners are forwarded to (set after the class body, where a
# tuple would become a member): what the public history and the dashboard count per year.
AwardLevel.FORWARDED = (AwardLevel.PROVINCE, AwardLevel.NATIONAL)


class Award(models.Model):
    """A line of an innovation's award history, recorded by the organiser."""

    innovation = models.ForeignKey(
        Innovation, verbose_name=_("inovasi"), on_delete=models.CASCADE, related_name="awards"
    )
    level = models.CharField(_("tingkat"), max_length=20, choices=AwardLevel.choices)
    year = models.PositiveSmallIntegerField(_("tahun"))
    label = models.CharField(
        _("penghargaan"), max_length=150, help_text=_("Mis. Juara I, Top 45, Top 99.")
    )
    rank = models.PositiveSmallIntegerField(_("peringkat"), null=True, blank=True)
    is_top_winner = models.BooleanField(
        _("pemenang utama"),
        default=False,
        help_text=_("Juara atau Top 45 ke atas: membatasi keikutsertaan di tahun berikutnya."),
    )
    is_top_99 = models.BooleanField(_("Top 99 nasional"), default=False)
    decree_number = models.CharField(_("nomor SK"), max_length=150, blank=True)
    decree_date = models.DateField(_("tanggal SK"), null=True, blank=True)
    prize = models.PositiveBigIntegerField(_("hadiah (Rp)"), null=True, blank=True)
    notes = models.TextField(_("catatan"), blank=True)
    outcome = models.OneToOneField(
        "competition.Outcome",
        verbose_name=_("hasil di tingkat lanjut"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="award",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("riwayat penghargaan")
        verbose_name_plural = _("riwayat penghargaan")
        ordering = ["-year", "level"]

    def __str__(self):
        return f"{self.label} {self.get_level_display()} {self.year}"
