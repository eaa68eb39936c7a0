"""Every export by name, with its formats: one place for the pages and the command.

``build(kind, fmt, ...)`` returns an :class:`ExportFile` that can be written to a file
(the ``export`` management command) or turned into an HTTP response (the organiser's
pages). CSV streams line by line; XLSX, PDF and ZIP are written to a spooled temporary
file (memory up to 8 MB, then disk) and sent from there.
"""

import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.http import FileResponse, StreamingHttpResponse
from django.utils.text import get_valid_filename, slugify
from django.utils.translation import gettext_lazy as _

from competition.exchange.package import write_package
from competition.exports.certificates import certificate_pages
from competition.exports.innovation_index import registry_table
from competition.models import Competition, Entry, Stage, TargetRound

from . import csv, documents, pdf, xlsx
from .compliance import compliance_tables

COMPETITION = "competition"
STAGE = "stage"
ENTRY = "entry"
ROUND = "round"
SPOOL_BYTES = 8 * 1024 * 1024
CONTENT_TYPES = {
    "xlsx": xlsx.XLSX_CONTENT_TYPE,
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
    "zip": "application/zip",
}


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    description: str
    formats: tuple[str, ...]
    scope: str


KINDS = {
    kind.key: kind
    for kind in [
        Kind(
            "finalis",
            _("Daftar finalis dan pemenang"),
            _("Peringkat, data inovasi, inovator, nilai per tahap dan per kriteria, hasil."),
            ("xlsx", "csv", "pdf"),
            COMPETITION,
        ),
        Kind(
            "rekap-nilai",
            _("Rekapitulasi nilai"),
            _("Setiap nilai juri per kriteria, total, rata-rata, simpangan, tanda."),
            ("xlsx", "pdf"),
            STAGE,
        ),
        Kind(
            "berita-acara",
            _("Berita acara penilaian"),
            _("Tim penilai, metode, peringkat, kesepakatan, konflik, moderasi, tanda tangan."),
            ("pdf",),
            STAGE,
        ),
        Kind(
            "piagam",
            _("Piagam penghargaan"),
            _("Juara I, II, III dan setiap OPD peserta, dari templat piagam kompetisi."),
            ("pdf",),
            COMPETITION,
        ),
        Kind(
            "satu-opd-satu-inovasi",
            _("Laporan satu OPD satu inovasi"),
            _("Setiap OPD aktif dengan proposalnya tahun ini, dan yang belum mengirim."),
            ("xlsx",),
            COMPETITION,
        ),
        Kind(
            "inovasi-daerah",
            _("Data Indeks Inovasi Daerah"),
            _("Tahapan, bentuk, jenis, inisiator, tanggal uji coba dan penerapan, deskripsi."),
            ("csv", "xlsx"),
            COMPETITION,
        ),
        Kind(
            "paket",
            _("Paket penerusan"),
            _("Proposal sesuai urutan bagian dengan jumlah kata, data inovasi, lampiran."),
            ("pdf",),
            ENTRY,
        ),
        Kind(
            "lampiran",
            _("Lampiran proposal (ZIP)"),
            _("Semua berkas lampiran satu proposal."),
            ("zip",),
            ENTRY,
        ),
        Kind(
            "paket-data",
            _("Paket data penerusan"),
            _(
                "Proposal yang diteruskan ke satu putaran, dengan manifest.json dan lampiran, "
                "untuk diimpor instalasi penyelenggara putaran (docs/exchange.md)."
            ),
            ("zip",),
            ROUND,
        ),
    ]
}


class UnknownExport(LookupError):
    """No such export kind, or not in that format."""


@dataclass
class ExportFile:
    filename: str
    content_type: str
    write: Callable
    stream: Callable[[], Iterator[bytes]] | None = None

    def save(self, path) -> None:
        with open(path, "wb") as target:
            self.write(target)

    def response(self):
        if self.stream is not None:
            result = StreamingHttpResponse(self.stream(), content_type=self.content_type)
            result["Content-Disposition"] = f'attachment; filename="{self.filename}"'
            return result
        spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
        self.write(spool)
        spool.seek(0)
        return FileResponse(
            spool, as_attachment=True, filename=self.filename, content_type=self.content_type
        )


def _bytes_writer(make: Callable[[], bytes]) -> Callable:
    return lambda target: target.write(make())


def _table_file(name: str, fmt: str, tables: Callable, title: str) -> ExportFile:
    if fmt == "xlsx":
        return ExportFile(name, CONTENT_TYPES[fmt], lambda target: xlsx.save(tables(), target))
    if fmt == "csv":

        def stream():
            for line in csv.lines(tables()[0]):
                yield line.encode("utf-8")

        return ExportFile(
            name, CONTENT_TYPES[fmt], lambda target: csv.save(tables()[0], target), stream
        )
    return ExportFile(
        name, CONTENT_TYPES[fmt], _bytes_writer(lambda: pdf.tables_document(tables(), title))
    )


def write_attachments_zip(entry: Entry, target) -> None:
    """The entry's files in a ZIP, one folder per attachment kind, copied in 1 MB chunks."""
    attachments = entry.attachments.select_related("kind").order_by(
        "kind__order", "kind__pk", "uploaded_at", "pk"
    )
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, attachment in enumerate(attachments, start=1):
            folder = f"{attachment.kind.order:02d}-{slugify(attachment.kind.label) or 'lampiran'}"
            name = get_valid_filename(attachment.original_name) or "berkas"
            with (
                attachment.file.open("rb") as source,
                archive.open(f"{folder}/{number:02d}-{name}", "w") as sink,
            ):
                shutil.copyfileobj(source, sink, 1024 * 1024)


def _entry_slug(entry: Entry) -> str:
    return re.sub(r"[^A-Za-z0-9-]+", "-", entry.reference or f"proposal-{entry.pk}")


def build(
    key: str,
    fmt: str,
    *,
    competition: Competition | None = None,
    stage: Stage | None = None,
    entry: Entry | None = None,
    target_round: TargetRound | None = None,
) -> ExportFile:
    """The export ``key`` in ``fmt`` for a competition, one of its stages, or an entry.

    Stage-scoped exports take ``stage``; the score recap also takes a competition alone
    and then covers every stage. Entry-scoped ones take ``entry``.
    """
    kind = KINDS.get(key)
    if kind is None or fmt not in kind.formats:
        raise UnknownExport(f"{key}.{fmt}")
    if key == "paket-data":
        return ExportFile(
            f"paket-data-{target_round.slug}.zip",
            CONTENT_TYPES["zip"],
            lambda sink: write_package(target_round, sink),
        )
    year = (competition or (stage.competition if stage else entry.competition)).year
    content_type = CONTENT_TYPES[fmt]
    if key == "finalis":
        return _table_file(
            f"finalis-{year}.{fmt}",
            fmt,
            lambda: [documents.finalist_table(competition)],
            str(kind.label),
        )
    if key == "rekap-nilai":
        stages = (
            [stage]
            if stage
            else list(Stage.objects.filter(competition=competition).select_related("competition"))
        )
        suffix = f"-tahap-{stage.order}" if stage else ""
        return _table_file(
            f"rekap-nilai-{year}{suffix}.{fmt}",
            fmt,
            lambda: [t for s in stages for t in documents.recap_tables(s)],
            str(kind.label),
        )
    if key == "berita-acara":
        return ExportFile(
            f"berita-acara-{year}-tahap-{stage.order}.pdf",
            content_type,
            _bytes_writer(
                lambda: pdf.render(
                    "competition/exports/minutes.html", documents.minutes_context(stage)
                )
            ),
        )
    if key == "piagam":
        return ExportFile(
            f"piagam-{year}.pdf",
            content_type,
            _bytes_writer(
                lambda: pdf.render(
                    "competition/exports/certificates.html",
                    {"competition": competition, "pages": certificate_pages(competition)},
                    [pdf.CERTIFICATE_STYLESHEET],
                )
            ),
        )
    if key == "satu-opd-satu-inovasi":
        return _table_file(
            f"satu-opd-satu-inovasi-{year}.xlsx",
            fmt,
            lambda: compliance_tables(competition),
            str(kind.label),
        )
    if key == "inovasi-daerah":
        return _table_file(
            f"inovasi-daerah-{year}.{fmt}",
            fmt,
            lambda: [registry_table(competition)],
            str(kind.label),
        )
    if key == "paket":
        return ExportFile(
            f"paket-{_entry_slug(entry)}.pdf",
            content_type,
            _bytes_writer(
                lambda: pdf.render(
                    "competition/exports/forwarding.html", documents.forwarding_context(entry)
                )
            ),
        )
    return ExportFile(
        f"lampiran-{_entry_slug(entry)}.zip",
        content_type,
        lambda target: write_attachments_zip(entry, target),
    )
