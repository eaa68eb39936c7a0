"""The year's innovations in the fields of Kemendagri's Indeks Inovasi Daerah."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _

from competition.exports.documents import CHUNK, heading, innovators_cells, sdgs_cell, yes_no
from competition.models import (
    Competition,
    Entry,
)

from .tables import DATE, Column, Table

# --- registry (Indeks Inovasi Daerah) -----------------------------------------------


def registry_table(competition: Competition) -> Table:
    """The year's innovations in the fields of Kemendagri's Indeks Inovasi Daerah."""
    entries = (
        Entry.objects.filter(competition=competition)
        .entered()
        .select_related("innovation__agency", "agency")
        .prefetch_related("innovation__sdgs", "innovation__innovators")
        .order_by("agency__name", "innovation__title", "pk")
    )
    columns = [
        Column(_("Nomor registrasi"), width=18),
        Column(_("Nama inovasi"), width=40),
        Column(_("Nama singkat"), width=16),
        Column(_("Perangkat daerah"), width=30),
        Column(_("Tahapan inovasi"), width=14),
        Column(_("Bentuk inovasi"), width=30),
        Column(_("Jenis inovasi"), width=14),
        Column(_("Berupa aplikasi"), width=10),
        Column(_("Inisiator"), width=18),
        Column(_("Tanggal uji coba"), DATE, 14),
        Column(_("Tanggal penerapan"), DATE, 14),
        Column(_("Deskripsi"), width=60),
        Column(_("TPB/SDGs"), width=30),
        Column(_("Inovator"), width=30),
    ]

    def rows() -> Iterator[list]:
        for entry in entries.iterator(chunk_size=CHUNK):
            # The facts as submitted; the description is not part of the judged copy.
            innovation = entry.judged
            yield [
                entry.reference or "",
                innovation.title,
                innovation.brand_name,
                entry.agency.name,
                innovation.get_stage_display(),
                innovation.get_form_display(),
                _("Digital") if innovation.is_digital else _("Non-digital"),
                yes_no(innovation.is_application),
                innovation.get_initiator_display(),
                innovation.trial_on,
                innovation.started_on,
                entry.innovation.description,
                sdgs_cell(innovation),
                innovators_cells(innovation)[0],
            ]

    return Table(
        _("Indeks Inovasi Daerah"),
        heading(competition, _("Data inovasi daerah (format Indeks Inovasi Daerah)")),
        columns,
        rows(),
    )
