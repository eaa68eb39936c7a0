"""The region that runs this installation: a city, a regency or a province.

Everything a document or an e-mail says about who organises the competition (the
region's name, its head's title, the organising unit, the place written beside a date)
is read from the one :class:`RegionProfile` row, so that any region can run the portal.
The profile is read on almost every page; :meth:`RegionProfile.current` keeps it in the
process for ``settings.REGION_PROFILE_CACHE_SECONDS`` and every save clears that copy.
"""

import time

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RegionKind(models.TextChoices):
    KOTA = "kota", _("Kota")
    KABUPATEN = "kabupaten", _("Kabupaten")
    PROVINSI = "provinsi", _("Provinsi")


def logo_path(instance, filename):
    return f"region/logo-{int(time.time())}"


# The head's title each kind of region has, and the organising unit a profile names when
# its own is left blank: starting values the organiser may override on the profile.
HEAD_TITLE_BY_KIND = {
    RegionKind.KOTA: _("Wali Kota"),
    RegionKind.KABUPATEN: _("Bupati"),
    RegionKind.PROVINSI: _("Gubernur"),
}
DEFAULT_UNIT = _("Bagian Organisasi Sekretariat Daerah")


class RegionProfile(models.Model):
    """The organising region, one row per installation (its primary key is always 1)."""

    kind = models.CharField(
        _("jenis daerah"), max_length=20, choices=RegionKind.choices, default=RegionKind.KOTA
    )
    name = models.CharField(
        _("nama daerah"), max_length=100, blank=True, help_text=_("Tanpa jenisnya, mis. Sidoarjo.")
    )
    head_title = models.CharField(
        _("sebutan kepala daerah"),
        max_length=50,
        blank=True,
        help_text=_(
            "Kosongkan untuk memakai sebutan menurut jenis daerah (Bupati, Gubernur, ...)."
        ),
    )
    unit = models.CharField(
        _("unit penyelenggara"),
        max_length=150,
        blank=True,
        help_text=_("Mis. Bagian Organisasi Sekretariat Daerah, atau Biro Organisasi."),
    )
    place = models.CharField(
        _("tempat penandatanganan"),
        max_length=100,
        blank=True,
        help_text=_("Ditulis sebelum tanggal pada berita acara dan piagam; kosong: nama daerah."),
    )
    logo = models.ImageField(_("logo"), upload_to=logo_path, blank=True, max_length=255)
    address = models.TextField(_("alamat"), blank=True)
    email = models.EmailField(_("e-mail kontak"), blank=True)
    phone = models.CharField(_("telepon kontak"), max_length=50, blank=True)
    website = models.URLField(_("situs web"), blank=True)

    class Meta:
        verbose_name = _("profil daerah")
        verbose_name_plural = _("profil daerah")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="region_profile_singleton")]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)
        RegionProfile.remember(None)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        RegionProfile.remember(None)
        return result

    # --- what documents print -------------------------------------------------------

    @property
    def full_name(self) -> str:
        """'Kota Mojokerto', 'Kabupaten Sidoarjo', 'Provinsi Jawa Timur'."""
        return f"{self.get_kind_display()} {self.name}" if self.name else ""

    @property
    def head(self) -> str:
        """The head's title as written on a decree: 'Bupati', 'Wali Kota', 'Gubernur'."""
        if self.head_title:
            return self.head_title
        return str(HEAD_TITLE_BY_KIND.get(self.kind, ""))

    @property
    def head_of_region(self) -> str:
        """'Bupati Sidoarjo', 'Gubernur Jawa Timur'."""
        return f"{self.head} {self.name}".strip()

    @property
    def government(self) -> str:
        """'Pemerintah Kabupaten Sidoarjo' ('Pemerintah Daerah' until a name is given)."""
        return str(_("Pemerintah %(region)s") % {"region": self.full_name or _("Daerah")})

    @property
    def organiser(self) -> str:
        """'Bagian Organisasi Sekretariat Daerah Kabupaten Sidoarjo'."""
        return f"{self.unit or DEFAULT_UNIT} {self.full_name}".strip()

    @property
    def signing_place(self) -> str:
        return self.place or self.name

    # --- one copy per process -------------------------------------------------------

    _cached: "RegionProfile | None" = None
    _cached_at: float = 0.0

    @classmethod
    def current(cls) -> "RegionProfile":
        """The saved profile, or an unsaved blank one until the organiser fills it in."""
        ttl = getattr(settings, "REGION_PROFILE_CACHE_SECONDS", 60)
        cached = RegionProfile._cached
        if cached is not None and time.monotonic() - RegionProfile._cached_at < ttl:
            return cached
        profile = cls.objects.filter(pk=1).first() or cls(pk=1)
        cls.remember(profile)
        return profile

    @classmethod
    def remember(cls, profile: "RegionProfile | None") -> None:
        """Keep ``profile`` as the process's copy (``None`` forgets it)."""
        RegionProfile._cached = profile
        RegionProfile._cached_at = time.monotonic()
