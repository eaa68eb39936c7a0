"""The year's certificates (piagam): one page per Juara and one per participating OPD,
rendered from the competition's template in the sandbox (:mod:`competition.sandbox`).
"""

from __future__ import annotations

from django.template.loader import get_template
from django.utils import formats
from django.utils.translation import gettext as _

from competition.models import (
    Competition,
    EntryStatus,
    Placement,
    PlacementTitle,
)
from competition.sandbox import render_certificate
from opd.models import Agency, RegionProfile

DEFAULT_CERTIFICATE = "competition/exports/certificate_default.html"


# --- certificates -------------------------------------------------------------------


def certificate_region(region: RegionProfile) -> dict[str, str]:
    """What a certificate says about the region that awards it."""
    return {
        "pemerintah": region.government,
        "kepala_daerah": region.head_of_region,
        "tempat": region.signing_place,
    }


def certificate_pages(competition: Competition) -> list[str]:
    """One rendered certificate body per Juara I/II/III, then per participating OPD."""
    template = competition.certificate_template or get_template(DEFAULT_CERTIFICATE).template.source
    snapshot = competition.snapshots.order_by("-version").first()
    decree_date = snapshot.decree_date if snapshot and snapshot.decree_date else None
    common = {
        "kompetisi": competition.name,
        "tahun": str(competition.year),
        # The decree's date, never the day of printing: without one the page says so.
        "tanggal": formats.date_format(decree_date, "DATE_FORMAT")
        if decree_date
        else _("(tanggal keputusan belum diisi)"),
        "nomor_sk": snapshot.decree_number if snapshot else "",
        **certificate_region(RegionProfile.current()),
    }
    pages = []
    if snapshot is not None:
        for placement in (
            Placement.objects.filter(snapshot=snapshot, title__in=PlacementTitle.JUARA)
            .select_related("entry__innovation__agency", "entry__agency")
            .order_by("rank")
        ):
            pages.append(
                render_certificate(
                    template,
                    {
                        **common,
                        "penerima": placement.entry.agency.name,
                        "predikat": str(placement.get_title_display()),
                        "inovasi": placement.entry.judged.title,
                    },
                )
            )
    participants = Agency.objects.filter(
        entries__competition=competition,
        entries__status__in=EntryStatus.ENTERED,
    ).distinct()
    for agency in participants.order_by("name"):
        pages.append(
            render_certificate(
                template, {**common, "penerima": agency.name, "predikat": _("Peserta")}
            )
        )
    return pages
