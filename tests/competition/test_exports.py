"""The organiser's exports: contents (opened with openpyxl and pypdf), access, query counts."""

import csv
import datetime as dt
import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from competition.exports import documents
from competition.exports.certificates import certificate_pages
from competition.models import SDG, EntryStatus
from competition.services.snapshot import result_finalise
from opd.models import AgencyKind
from tests import factories as f

# Every test here touches the database, some only through request.getfixturevalue,
# which pytest-django cannot see when it orders database tests before committing ones.
pytestmark = pytest.mark.django_db

LONG_TITLE = (
    '=HYPERLINK("http://contoh.test") Layanan Administrasi Kependudukan Terpadu Kecamatan '
    "Prajurit Kulon untuk Warga Lanjut Usia dan Penyandang Disabilitas"
)
DECREE = "188.45/12/417.302/2026"
HEADER_ROW = 5  # three heading lines, a blank row, then the column headers


def scored_year(n, organiser, *, finalise=True):
    """A 2026 competition with one closed stage, two judges and ``n`` finalists scored.

    The first entry (Juara I) belongs to Kecamatan Prajurit Kulon and has a long title
    starting with ``=``.
    """
    competition = f.CompetitionFactory(year=2026, name="Kompetisi Inovasi Pelayanan Publik")
    stage = f.StageFactory(
        competition=competition, closed=True, rubric=(60, 40), name="Penilaian proposal"
    )
    judges = [
        f.JudgeFactory(full_name="Dr. Juri Penilai"),
        f.JudgeFactory(full_name="Dr. Juri Lain"),
    ]
    kecamatan = f.AgencyFactory(name="Kecamatan Prajurit Kulon", kind=AgencyKind.KECAMATAN)
    entries = []
    for i in range(n):
        entry = f.EntryFactory(
            competition=competition,
            reference=f"KIPP-2026-{i + 1:04d}",
            titled_by_reference=True,
            innovation__agency=kecamatan if i == 0 else f.AgencyFactory(),
            status=EntryStatus.FINALIST,
        )
        f.ScoreSheetFactory(
            stage=stage,
            entry=entry,
            judge=judges[0],
            submitted=True,
            assigned=True,
            scores=[90 - i, 80 - i],
        )
        f.ScoreSheetFactory(
            stage=stage,
            entry=entry,
            judge=judges[1],
            submitted=True,
            assigned=True,
            scores=[88 - i, 82 - i],
        )
        entries.append(entry)
    innovation = entries[0].innovation
    innovation.title = LONG_TITLE
    innovation.save()
    f.InnovatorFactory(innovation=innovation, name="Siti Rahayu", phone="0812-3456", role="Ketua")
    if finalise:
        result_finalise(
            competition=competition,
            actor=organiser,
            decree_number=DECREE,
            decree_date=dt.date(2026, 11, 20),
        )
    return competition, stage, entries


def _workbook(response):
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def _pdf_text(response):
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    return "\n".join(page.extract_text() for page in reader.pages)


def _url(year, kind, fmt):
    return reverse("competition:export_competition", args=[year, kind, fmt])


def _rows(ws, start=HEADER_ROW):
    return [[c.value for c in row] for row in ws.iter_rows(min_row=start)]


# --- finalist and winner list -------------------------------------------------------


def test_finalist_xlsx_lists_winners_with_scores_and_keeps_title_as_text(client, organiser):
    scored_year(4, organiser)
    client.force_login(organiser)

    response = client.get(_url(2026, "finalis", "xlsx"))

    assert response["Content-Disposition"] == 'attachment; filename="finalis-2026.xlsx"'
    ws = _workbook(response)["Finalis"]
    assert ws["A1"].value == "Kompetisi Inovasi Pelayanan Publik 2026"
    assert DECREE in ws["A2"].value
    assert ws.freeze_panes == f"A{HEADER_ROW + 1}"
    header, *rows = _rows(ws)
    row = dict(zip(header, rows[0], strict=True))
    assert row["Peringkat"] == 1
    assert row["Nomor registrasi"] == "KIPP-2026-0001"
    assert row["Judul inovasi"] == LONG_TITLE
    assert ws.cell(row=HEADER_ROW + 1, column=3).data_type == "s"
    assert row["OPD"] == "Kecamatan Prajurit Kulon"
    assert row["Inovator"] == "Siti Rahayu (Ketua)"
    assert row["Kontak inovator"] == "Siti Rahayu: 0812-3456"
    # (90 x 0.6 + 80 x 0.4 + 88 x 0.6 + 82 x 0.4) / 2
    assert row["Nilai akhir"] == pytest.approx(85.8)
    assert row["Nilai Penilaian proposal"] == pytest.approx(85.8)
    assert row["Penilaian proposal: K1"] == pytest.approx(89.0)
    assert row["Penilaian proposal: K2"] == pytest.approx(81.0)
    assert row["Hasil"] == "Juara I"
    assert row["Uang pembinaan"] == 15_000_000
    assert (
        ws.cell(row=HEADER_ROW + 1, column=header.index("Nilai akhir") + 1).number_format == "0.000"
    )
    assert [r[header.index("Hasil")] for r in rows] == [
        "Juara I",
        "Juara II",
        "Juara III",
        "Finalis",
    ]


def test_finalist_list_before_finalising_is_provisional(organiser):
    competition, _stage, _entries = scored_year(2, organiser, finalise=False)

    table = documents.finalist_table(competition)

    assert "sementara" in table.heading[1]
    assert [row[1] for row in table.rows] == ["KIPP-2026-0001", "KIPP-2026-0002"]


def test_finalist_csv_has_bom_and_neutralises_formula_title(client, organiser):
    scored_year(2, organiser)
    client.force_login(organiser)

    response = client.get(_url(2026, "finalis", "csv"))

    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeffPeringkat,Nomor registrasi,Judul inovasi")
    rows = list(csv.reader(io.StringIO(content.removeprefix("\ufeff"))))
    assert rows[1][:3] == ["1", "KIPP-2026-0001", "'" + LONG_TITLE]
    assert rows[1][5] == "Kecamatan Prajurit Kulon"
    assert "85.800" in rows[1]


def test_finalist_pdf_shows_winners_and_indonesian_text(client, organiser):
    scored_year(3, organiser)
    client.force_login(organiser)

    response = client.get(_url(2026, "finalis", "pdf"))

    text = " ".join(_pdf_text(response).split())
    assert "Kecamatan Prajurit Kulon" in text
    assert "Juara I" in text
    assert "Daftar finalis dan pemenang" in text
    assert "85,800" in text


# --- score recap and minutes --------------------------------------------------------


def test_recap_xlsx_has_every_judge_score_and_the_summary(client, organiser):
    _competition, stage, _entries = scored_year(2, organiser)
    client.force_login(organiser)

    response = client.get(
        reverse("competition:export_stage", args=[2026, stage.order, "rekap-nilai", "xlsx"])
    )

    wb = _workbook(response)
    matrix = wb[f"Rekap {stage.order}"]
    assert "Kesepakatan antarjuri" in matrix["A4"].value
    header, *rows = _rows(matrix, HEADER_ROW + 1)
    assert header[:4] == ["Nomor registrasi", "Judul inovasi", "OPD", "Juri"]
    first = {r[3]: r for r in rows if r[0] == "KIPP-2026-0001"}
    assert first["Dr. Juri Penilai"][4:] == [90, 80, pytest.approx(86.0)]
    assert first["Dr. Juri Lain"][4:] == [88, 82, pytest.approx(85.6)]
    summary = wb[f"Ringkasan {stage.order}"]
    header, *rows = _rows(summary, HEADER_ROW + 1)
    row = dict(zip(header, rows[0], strict=True))
    assert row["Peringkat"] == 1
    assert row["Nilai rata-rata"] == pytest.approx(85.8)
    assert row["Rentang"] == pytest.approx(0.4)
    assert row["Lembar dikirim"] == 2


def test_recap_pdf_of_every_stage_shows_scores_the_indonesian_way(client, organiser):
    scored_year(1, organiser)
    client.force_login(organiser)

    response = client.get(_url(2026, "rekap-nilai", "pdf"))

    assert response["Content-Disposition"] == 'attachment; filename="rekap-nilai-2026.pdf"'
    text = " ".join(_pdf_text(response).split())
    assert "Rekapitulasi nilai: Penilaian proposal" in text
    assert "Dr. Juri Penilai" in text
    assert "86,000" in text and "85,600" in text and "85,800" in text


def test_minutes_pdf_states_method_judges_conflicts_notes_and_signatures(client, organiser):
    _competition, stage, entries = scored_year(2, organiser, finalise=False)
    other = f.JudgeFactory(full_name="Ir. Bambang Juri Mundur")
    f.ConflictDeclarationFactory(
        stage=stage, entry=entries[1], judge=other, has_conflict=True, reason="Mantan atasan"
    )
    f.ModerationNoteFactory(stage=stage, entry=entries[0], note="Panel memakai nilai rata-rata.")
    client.force_login(organiser)

    response = client.get(
        reverse("competition:export_stage", args=[2026, stage.order, "berita-acara", "pdf"])
    )

    text = " ".join(_pdf_text(response).split())
    assert "BERITA ACARA PENILAIAN" in text
    assert "Kompetisi Inovasi Pelayanan Publik 2026" in text
    assert "Dr. Juri Penilai" in text and "Dr. Juri Lain" in text
    assert "K1" in text and "60,00" in text
    assert "Kesepakatan antarjuri" in text
    assert "Ir. Bambang Juri Mundur" in text and "Mantan atasan" in text
    assert "Panel memakai nilai rata-rata." in text
    assert "Kepala Bagian Organisasi" in text
    assert "KIPP-2026-0001" in text


# --- forwarding package and attachments ---------------------------------------------


def _package_entry(competition=None):
    """A finalist with answers and files, in ``competition`` or a new 2026 one."""
    competition = competition or f.CompetitionFactory(year=2026)
    entry = f.EntryFactory(
        competition=competition,
        reference="KIPP-2026-0042",
        titled_by_reference=True,
        status=EntryStatus.FINALIST,
    )
    innovation = entry.innovation
    innovation.title = "Posko Paman"
    innovation.brand_long_form = "Pos Konsultasi Pelayanan Masyarakat"
    innovation.save()
    innovation.sdgs.add(*SDG.objects.filter(number__in=[3, 10]))
    second = f.SectionSpecFactory(competition=competition, label="Latar Belakang", order=2)
    first = f.SectionSpecFactory(competition=competition, label="Ringkasan", order=1)
    f.EntryAnswerFactory(entry=entry, section=second, text="Antrean panjang.", word_count=2)
    f.EntryAnswerFactory(entry=entry, section=first, text="Warga Prajurit Kulon.", word_count=3)
    decree = f.AttachmentKindFactory(competition=competition, label="SK Tim Inovasi", order=1)
    f.AttachmentKindFactory(competition=competition, label="Foto sebelum dan sesudah", order=2)
    attachment = f.AttachmentFactory(entry=entry, kind=decree, original_name="SK tim ../x.pdf")
    attachment.file.save("sk", ContentFile(b"%PDF-1.4 isi SK\n%%EOF\n"))
    return entry


def test_forwarding_package_pdf_has_sections_in_order_with_counts_and_checklist(client, organiser):
    entry = _package_entry()
    client.force_login(organiser)

    response = client.get(reverse("competition:export_entry", args=[entry.pk, "paket", "pdf"]))

    assert response["Content-Disposition"] == 'attachment; filename="paket-KIPP-2026-0042.pdf"'
    text = " ".join(_pdf_text(response).split())
    assert "Posko Paman" in text and "Pos Konsultasi Pelayanan Masyarakat" in text
    assert text.index("1. Ringkasan (3 / 200 kata)") < text.index(
        "2. Latar Belakang (2 / 200 kata)"
    )
    assert "Warga Prajurit Kulon." in text
    assert "SK Tim Inovasi" in text and "SK tim ../x.pdf" in text
    assert "Foto sebelum dan sesudah" in text
    assert "3. Kehidupan Sehat dan Sejahtera; 10. Berkurangnya Kesenjangan" in text


def test_attachments_zip_holds_every_file_under_a_safe_name(client, organiser):
    entry = _package_entry()
    client.force_login(organiser)

    response = client.get(reverse("competition:export_entry", args=[entry.pk, "lampiran", "zip"]))

    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        names = archive.namelist()
        assert names == ["01-sk-tim-inovasi/01-SK_tim_..x.pdf"]
        assert archive.read(names[0]) == b"%PDF-1.4 isi SK\n%%EOF\n"


# --- certificates -------------------------------------------------------------------


def test_certificates_for_juara_and_every_participating_opd(client, organiser):
    competition, _stage, _entries = scored_year(4, organiser)
    f.EntryFactory(competition=competition, status=EntryStatus.DRAFT)  # a draft is no participant
    competition.certificate_template = (
        "<h1>PIAGAM</h1><p>{{ penerima }}</p><p>{{ predikat }}</p><p>{{ nomor_sk }}</p>"
    )
    competition.save()
    client.force_login(organiser)

    response = client.get(_url(2026, "piagam", "pdf"))

    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) == 3 + 4
    assert "Kecamatan Prajurit Kulon" in pages[0] and "Juara I" in pages[0]
    assert "Juara III" in pages[2]
    assert all("Peserta" in page for page in pages[3:])
    assert DECREE in pages[0]


def test_certificate_default_template_names_the_innovation(organiser):
    competition, _stage, _entries = scored_year(1, organiser)

    pages = certificate_pages(competition)

    assert "PIAGAM PENGHARGAAN" in pages[0]
    assert "Kecamatan Prajurit Kulon" in pages[0]
    assert "Juara I" in pages[0]


# --- one agency one innovation, innovation registry ---------------------------------


def test_compliance_xlsx_lists_every_opd_and_those_without_entry(client, organiser, agency_a):
    competition = f.CompetitionFactory(year=2026)
    silent = f.AgencyFactory(name="Kelurahan Kranggan", kind=AgencyKind.KELURAHAN)
    f.EntryFactory(
        competition=competition,
        reference="KIPP-2026-0001",
        titled_by_reference=True,
        innovation__agency=agency_a,
        status=EntryStatus.SUBMITTED,
    )
    f.EntryFactory(competition=competition, status=EntryStatus.DRAFT, innovation__agency=silent)
    client.force_login(organiser)

    response = client.get(_url(2026, "satu-opd-satu-inovasi", "xlsx"))

    wb = _workbook(response)
    header, *rows = _rows(wb["Semua OPD"], HEADER_ROW + 1)
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert by_name["Dinas Kesehatan"]["Proposal dikirim"] == 1
    assert (
        by_name["Dinas Kesehatan"]["Proposal tahun ini"] == "KIPP-2026-0001 Inovasi KIPP-2026-0001"
    )
    assert by_name["Kelurahan Kranggan"]["Status"] == "Belum mengirim"
    assert by_name["Kelurahan Kranggan"]["Draf"] == 1
    missing = [row[0] for row in _rows(wb["Belum mengirim"], HEADER_ROW + 2)]
    assert "Kelurahan Kranggan" in missing
    assert "Dinas Kesehatan" not in missing


def test_registry_csv_and_xlsx_have_indeks_inovasi_daerah_fields(client, organiser):
    competition = f.CompetitionFactory(year=2026)
    entry = f.EntryFactory(
        competition=competition,
        reference="KIPP-2026-0007",
        titled_by_reference=True,
        status=EntryStatus.PASSED,
    )
    innovation = entry.innovation
    innovation.title = "+62 Layanan Aduan Warga"
    innovation.trial_on = dt.date(2022, 3, 1)
    innovation.started_on = dt.date(2022, 9, 1)
    innovation.is_digital = True
    innovation.description = "Aduan warga lewat WhatsApp."
    innovation.save()
    f.EntryFactory(competition=competition, status=EntryStatus.DRAFT)
    client.force_login(organiser)

    content = b"".join(client.get(_url(2026, "inovasi-daerah", "csv")).streaming_content)
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    ws = _workbook(client.get(_url(2026, "inovasi-daerah", "xlsx")))["Indeks Inovasi Daerah"]

    assert len(rows) == 1
    row = rows[0]
    assert row["Nama inovasi"] == "'+62 Layanan Aduan Warga"
    assert row["Tahapan inovasi"] == "Penerapan"
    assert row["Bentuk inovasi"] == "Inovasi pelayanan publik"
    assert row["Jenis inovasi"] == "Digital"
    assert row["Inisiator"] == "Perangkat Daerah"
    assert (row["Tanggal uji coba"], row["Tanggal penerapan"]) == ("2022-03-01", "2022-09-01")
    assert row["Deskripsi"] == "Aduan warga lewat WhatsApp."
    header, first = _rows(ws)[:2]
    assert dict(zip(header, first, strict=True))["Nama inovasi"] == "+62 Layanan Aduan Warga"


# --- access -------------------------------------------------------------------------


def _all_urls(stage, entry):
    return [
        _url(2026, "finalis", "xlsx"),
        _url(2026, "finalis", "csv"),
        _url(2026, "piagam", "pdf"),
        _url(2026, "satu-opd-satu-inovasi", "xlsx"),
        _url(2026, "inovasi-daerah", "csv"),
        _url(2026, "rekap-nilai", "xlsx"),
        reverse("competition:export_stage", args=[2026, stage.order, "berita-acara", "pdf"]),
        reverse("competition:export_entry", args=[entry.pk, "paket", "pdf"]),
        reverse("competition:export_entry", args=[entry.pk, "lampiran", "zip"]),
        reverse("competition:exports"),
    ]


def test_exports_send_anonymous_users_to_login(client, organiser):
    _competition, stage, entries = scored_year(1, organiser, finalise=False)

    for url in _all_urls(stage, entries[0]):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


@pytest.mark.parametrize("persona", ["staff_a", "judge"])
def test_exports_are_404_for_opd_staff_and_judges(client, organiser, persona, request):
    _competition, stage, entries = scored_year(1, organiser, finalise=False)
    user = request.getfixturevalue(persona)
    entries[0].agency = user.agency or entries[0].agency  # even their own OPD's entry
    entries[0].save()
    client.force_login(user)

    for url in _all_urls(stage, entries[0]):
        assert client.get(url).status_code == 404, url


def test_unknown_kind_or_format_is_404(client, organiser):
    scored_year(1, organiser, finalise=False)
    client.force_login(organiser)

    assert client.get(_url(2026, "finalis", "docx")).status_code == 404
    assert client.get(_url(2026, "berita-acara", "pdf")).status_code == 404
    assert client.get(_url(2026, "tidak-ada", "xlsx")).status_code == 404
    assert client.get(_url(2031, "finalis", "xlsx")).status_code == 404


def test_export_page_links_every_export(client, organiser):
    _competition, stage, entries = scored_year(2, organiser)
    client.force_login(organiser)

    response = client.get(reverse("competition:exports"), {"tahun": 2026})

    html = response.content.decode()
    for url in _all_urls(stage, entries[0])[:-1]:
        assert url in html
    assert LONG_TITLE.replace('"', "&quot;") in html


@pytest.mark.parametrize("n", [1, 30])
def test_export_page_lists_entries_in_pages_with_constant_queries(
    client, organiser, n, django_assert_num_queries
):
    competition = f.CompetitionFactory(year=2026)
    for i in range(n):
        f.EntryFactory(
            competition=competition,
            reference=f"KIPP-2026-{i + 1:04d}",
            titled_by_reference=True,
            status=EntryStatus.SUBMITTED,
        )
    client.force_login(organiser)

    with django_assert_num_queries(7):
        response = client.get(reverse("competition:exports"), {"tahun": 2026})

    html = response.content.decode()
    assert html.count("/paket.pdf") == min(n, 25)
    references = [f"KIPP-2026-{i + 1:04d}" for i in range(n)]
    assert sum(reference in html for reference in references) == min(n, 25)


def test_export_page_search_finds_an_entry_by_title(client, organiser):
    competition = f.CompetitionFactory(year=2026)
    f.EntryFactory(
        competition=competition,
        reference="KIPP-2026-0001",
        titled_by_reference=True,
        status=EntryStatus.SUBMITTED,
    )
    f.EntryFactory(
        competition=competition,
        reference="KIPP-2026-0002",
        titled_by_reference=True,
        status=EntryStatus.SUBMITTED,
    )
    client.force_login(organiser)

    response = client.get(reverse("competition:exports"), {"tahun": 2026, "cari": "0002"})

    html = response.content.decode()
    assert "Inovasi KIPP-2026-0002" in html
    assert "Inovasi KIPP-2026-0001" not in html


# --- constant queries ---------------------------------------------------------------

QUERY_COUNTS = {
    ("finalis", "xlsx"): 9,
    ("finalis", "csv"): 9,
    ("rekap-nilai", "xlsx"): 11,
    ("satu-opd-satu-inovasi", "xlsx"): 5,
    ("inovasi-daerah", "csv"): 6,
}


@pytest.mark.parametrize("n", [1, 6])
@pytest.mark.parametrize(("kind", "fmt"), list(QUERY_COUNTS))
def test_export_queries_do_not_grow_with_rows(
    client, organiser, django_assert_num_queries, n, kind, fmt
):
    _competition, _stage, entries = scored_year(n, organiser)
    for entry in entries:
        entry.innovation.sdgs.add(*SDG.objects.filter(number__in=[1, 2]))
        f.InnovatorFactory(innovation=entry.innovation)
    client.force_login(organiser)

    with django_assert_num_queries(QUERY_COUNTS[(kind, fmt)]):
        response = client.get(_url(2026, kind, fmt))
        content = b"".join(response.streaming_content)

    assert response.status_code == 200
    assert all(entry.reference in _cells(content, fmt) for entry in entries)


def _cells(content, fmt):
    """Every cell of an export as one text, whichever its format."""
    if fmt == "csv":
        return content.decode("utf-8-sig")
    book = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        str(value) for sheet in book for row in sheet.iter_rows(values_only=True) for value in row
    )


@pytest.mark.parametrize("n", [1, 6])
def test_minutes_queries_do_not_grow_with_rows(client, organiser, django_assert_num_queries, n):
    _competition, stage, entries = scored_year(n, organiser)
    client.force_login(organiser)
    url = reverse("competition:export_stage", args=[2026, stage.order, "berita-acara", "pdf"])

    # The minutes read the stage's score matrix: each judge's sheet for every entry.
    with django_assert_num_queries(13):
        text = _pdf_text(client.get(url))

    assert all(entry.reference in text for entry in entries)


@pytest.mark.parametrize("n", [1, 6])
def test_certificates_queries_do_not_grow_with_rows(
    client, organiser, django_assert_num_queries, n
):
    competition, _stage, _entries = scored_year(n, organiser)
    client.force_login(organiser)

    with django_assert_num_queries(6):
        text = _pdf_text(client.get(_url(2026, "piagam", "pdf")))

    placed = competition.snapshots.get().placements.select_related("entry__innovation")
    assert placed
    # A certificate wraps a long title, so its first words stand for it.
    assert all(placement.entry.innovation.title[:20] in text for placement in placed)
