"""The "one agency one innovation" workbook, from the compliance selector of the page."""

from collections import defaultdict

from django.utils.translation import gettext as _

from competition.exports.documents import heading
from competition.models import Competition, Entry
from competition.selectors.compliance import compliance_report

from .tables import INTEGER, Column, Table


def compliance_tables(competition: Competition) -> list[Table]:
    """Every active OPD with its entries this year; the OPDs with none; counts per type."""
    report = compliance_report(competition=competition)
    entries = defaultdict(list)
    for agency_id, reference, title in (
        Entry.objects.filter(competition=competition)
        .entered()
        .order_by("reference", "pk")
        .values_list("agency_id", "reference", "innovation__title")
    ):
        entries[agency_id].append(f"{reference or '-'} {title}")
    head = heading(competition, _("Laporan satu OPD satu inovasi"))
    summary = _(
        "%(entered)s dari %(total)s OPD aktif telah mengirim proposal; %(missing)s belum."
    ) % {
        "entered": report.entered_agencies,
        "total": report.total_agencies,
        "missing": report.missing_agencies,
    }
    agency_columns = [
        Column(_("OPD"), width=36),
        Column(_("Singkatan"), width=12),
        Column(_("Jenis"), width=18),
        Column(_("Induk"), width=30),
    ]

    def agency_cells(agency):
        return [
            agency.name,
            agency.short_name,
            agency.get_kind_display(),
            agency.parent.name if agency.parent else "",
        ]

    return [
        Table(
            _("Semua OPD"),
            [*head, summary],
            [
                *agency_columns,
                Column(_("Proposal dikirim"), INTEGER, 10),
                Column(_("Draf"), INTEGER, 8),
                Column(_("Status"), width=20),
                Column(_("Proposal tahun ini"), width=60),
            ],
            [
                [
                    *agency_cells(agency),
                    agency.entered,
                    agency.drafts,
                    _("Sudah mengirim") if agency.entered else _("Belum mengirim"),
                    "; ".join(entries[agency.pk]),
                ]
                for agency in report.agencies
            ],
        ),
        Table(
            _("Belum mengirim"),
            [*head, summary],
            [
                *agency_columns,
                Column(_("Draf"), INTEGER, 8),
                Column(_("E-mail"), width=28),
                Column(_("Telepon"), width=16),
            ],
            [
                [*agency_cells(a), a.drafts, a.email, a.phone]
                for a in report.agencies
                if not a.entered
            ],
        ),
        Table(
            _("Per jenis OPD"),
            [*head, summary],
            [
                Column(_("Jenis OPD"), width=28),
                Column(_("OPD aktif"), INTEGER, 10),
                Column(_("Sudah mengirim"), INTEGER, 10),
                Column(_("Belum mengirim"), INTEGER, 10),
                Column(_("Jumlah proposal"), INTEGER, 10),
            ],
            [[str(s.label), s.agencies, s.entered, s.missing, s.entries] for s in report.by_kind],
        ),
    ]
