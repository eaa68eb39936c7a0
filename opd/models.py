import rules
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kovablik.history import HistoricalRecords
from kovablik.text import CleanNamesMixin

nip_validator = RegexValidator(
    r"^\d{18}$", _("NIP harus terdiri dari tepat 18 angka, tanpa spasi atau tanda baca.")
)


class AgencyKind(models.TextChoices):
    DINAS = "dinas", _("Dinas")
    BADAN = "badan", _("Badan")
    BAGIAN = "bagian", _("Bagian Sekretariat Daerah")
    SEKRETARIAT = "sekretariat", _("Sekretariat")
    INSPEKTORAT = "inspektorat", _("Inspektorat")
    SATPOL = "satpol", _("Satuan Polisi Pamong Praja")
    KECAMATAN = "kecamatan", _("Kecamatan")
    KELURAHAN = "kelurahan", _("Kelurahan")
    PUSKESMAS = "puskesmas", _("Puskesmas")
    UPT = "upt", _("UPT")
    RSUD = "rsud", _("RSUD")
    LAINNYA = "lainnya", _("Lainnya")


class AgencyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Agency(CleanNamesMixin, models.Model):
    """A regional agency (OPD) or one of its units (UPT, puskesmas, kelurahan)."""

    clean_name_fields = ("name", "short_name", "head_name")

    name = models.CharField(_("nama"), max_length=200, unique=True)
    short_name = models.CharField(_("singkatan"), max_length=50, blank=True)
    kind = models.CharField(_("jenis"), max_length=20, choices=AgencyKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("induk"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("Untuk UPT, puskesmas atau kelurahan: OPD yang membawahinya."),
    )
    head_name = models.CharField(_("nama kepala"), max_length=150, blank=True)
    head_nip = models.CharField(
        _("NIP kepala"), max_length=18, blank=True, validators=[nip_validator]
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    is_active = models.BooleanField(
        _("aktif"),
        default=True,
        help_text=_("OPD nonaktif tidak dapat dipilih saat mendaftar dan tidak wajib berinovasi."),
    )
    publishes_catalogue = models.BooleanField(
        _("setuju inovasinya tampil di katalog publik"), default=True
    )
    region = models.CharField(
        _("daerah asal"),
        max_length=150,
        blank=True,
        help_text=_(
            "Kosong untuk OPD daerah ini; diisi untuk OPD daerah lain yang proposalnya "
            "diimpor dari paket penerusan."
        ),
    )
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diperbarui pada"), auto_now=True)

    history = HistoricalRecords()
    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("OPD")
        verbose_name_plural = _("OPD")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="agency_not_own_parent"
            ),
        ]

    def __str__(self):
        return self.name

    def related_agency_ids(self) -> set[int]:
        """This agency, its parent and its children: the circle a judge must stay out of."""
        ids = {self.pk}
        if self.parent_id:
            ids.add(self.parent_id)
        ids.update(self.children.values_list("pk", flat=True))
        return ids


class Role(models.TextChoices):
    OPD_STAFF = "opd", _("Staf OPD")
    JUDGE = "judge", _("Juri")
    ORGANISER = "organiser", _("Bagian Organisasi")


class Approval(models.TextChoices):
    PENDING = "pending", _("Menunggu persetujuan")
    APPROVED = "approved", _("Disetujui")
    REJECTED = "rejected", _("Ditolak")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(
            is_staff=True,
            is_superuser=True,
            role=Role.ORGANISER,
            approval=Approval.APPROVED,
            is_active=True,
        )
        return self._create_user(email, password, **extra)


class Language(models.TextChoices):
    """The languages a person may read the portal's e-mail in (settings.LANGUAGES)."""

    INDONESIAN = "id", "Bahasa Indonesia"
    ENGLISH = "en", "English"


class User(CleanNamesMixin, AbstractUser):
    """Everyone who signs in: OPD staff, judges and Bagian Organisasi.

    Logs in with the e-mail address. OPD staff register themselves and stay inactive
    until the organiser approves them.
    """

    clean_name_fields = ("full_name", "institution")

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("nama lengkap"), max_length=150)
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices, default=Role.OPD_STAFF)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("OPD"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        help_text=_("Wajib untuk staf OPD; untuk juri ASN pemerintah daerah ini, OPD asalnya."),
    )
    nip = models.CharField(_("NIP"), max_length=18, blank=True, validators=[nip_validator])
    phone = models.CharField(_("nomor telepon"), max_length=30, blank=True)
    institution = models.CharField(
        _("instansi"), max_length=200, blank=True, help_text=_("Untuk juri dari luar Pemkot.")
    )
    approval = models.CharField(
        _("status akun"), max_length=20, choices=Approval.choices, default=Approval.PENDING
    )
    rejection_reason = models.TextField(_("alasan penolakan"), blank=True)
    decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "self",
        verbose_name=_("diputuskan oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    language = models.CharField(
        _("bahasa e-mail"),
        max_length=8,
        choices=Language.choices,
        default=Language.INDONESIAN,
        help_text=_("E-mail dari portal ditulis dalam bahasa ini."),
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    objects = UserManager()

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        ordering = ["full_name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(role=Role.OPD_STAFF) | Q(agency__isnull=False) | Q(is_superuser=True),
                name="opd_staff_has_agency",
            ),
        ]

    def __str__(self):
        return self.full_name or self.email

    def save(self, *args, **kwargs):
        # Only Bagian Organisasi enters the organiser's admin; judges have their own desk.
        self.is_staff = self.is_superuser or self.role == Role.ORGANISER
        super().save(*args, **kwargs)

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        """The first name, skipping leading titles ("Dr.", "dr.", "Ir."), for "Selamat datang"."""
        words = self.full_name.replace(",", " ").split()
        names = [word for word in words if not word.endswith(".")]
        return names[0] if names else self.full_name or self.email

    # Every permission is a rule (``<app>/rules.py``), read here and nowhere else. Django's
    # default would give a superuser every permission before any rule is read (opening the
    # OPD's pages to an account with no agency, and the admin's refusals, such as a score
    # sheet added by hand) and would read permission rows, two queries a request, that no
    # one here grants. A superuser is an organiser (``is_organiser``).
    def has_perm(self, perm, obj=None):
        return self.is_active and rules.has_perm(perm, self, obj)

    def has_module_perms(self, app_label):
        return self.is_active and rules.has_perm(app_label, self)

    @property
    def is_organiser(self) -> bool:
        return self.is_active and (self.is_superuser or self.role == Role.ORGANISER)

    @property
    def is_judge(self) -> bool:
        return self.is_active and self.role == Role.JUDGE

    @property
    def is_opd_staff(self) -> bool:
        return self.is_active and self.role == Role.OPD_STAFF and self.agency_id is not None


# The organising region is an opd model kept in its own module.
from .region import RegionKind, RegionProfile  # noqa: E402, F401
