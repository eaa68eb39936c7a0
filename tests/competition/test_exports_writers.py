"""The XLSX, CSV and PDF writers and the certificate sandbox, on small hand-made tables."""

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
import xlsxwriter
from django.core.exceptions import ValidationError
from openpyxl import load_workbook
from pypdf import PdfReader

from competition.exports import csv as csv_export
from competition.exports import pdf, xlsx
from competition.exports.tables import DATE, FIGURE, INTEGER, MONEY, SCORE, Column, Table
from competition.sandbox import render_certificate, validate_certificate_template
from tests import factories as f
from tests.competition.hostile.make_corpus import HOSTILE_STRINGS

HOSTILE = ['=HYPERLINK("http://x")', "+62 321", "-1+1", "@SUM(A1)", "\tcmd", "\rcmd"]


def _table(rows):
    return Table(
        title="Daftar Finalis",
        heading=["Kompetisi Inovasi Pelayanan Publik 2026", "Daftar finalis"],
        columns=[
            Column("Judul"),
            Column("Nilai", SCORE),
            Column("Uang pembinaan", MONEY),
            Column("Mulai", DATE),
        ],
        rows=rows,
    )


def _reopen(tables):
    buffer = io.BytesIO()
    xlsx.save(tables, buffer)
    buffer.seek(0)
    return buffer, load_workbook(buffer)


def test_xlsx_formula_leading_text_stays_text():
    rows = [[text, None, None, None] for text in HOSTILE]

    buffer, wb = _reopen([_table(rows)])

    ws = wb["Daftar Finalis"]
    cells = [ws.cell(row=5 + i, column=1) for i in range(len(HOSTILE))]
    # XML keeps no lone carriage return: it is written as a line feed.
    assert [c.value for c in cells] == [t.replace("\r", "\n") for t in HOSTILE]
    assert {c.data_type for c in cells} == {"s"}
    with zipfile.ZipFile(buffer) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml


def test_xlsx_header_block_frozen_row_and_number_formats():
    rows = [["Kecamatan Prajurit Kulon", Decimal("85.5"), 15_000_000, dt.date(2023, 4, 1)]]

    _, wb = _reopen([_table(rows)])

    ws = wb["Daftar Finalis"]
    assert ws["A1"].value == "Kompetisi Inovasi Pelayanan Publik 2026"
    assert ws["A2"].value == "Daftar finalis"
    assert [c.value for c in ws[4]] == ["Judul", "Nilai", "Uang pembinaan", "Mulai"]
    assert ws.freeze_panes == "A5"
    title, score, money, started = ws[5]
    assert title.value == "Kecamatan Prajurit Kulon"
    assert (score.value, score.number_format) == (85.5, "0.000")
    assert (money.value, money.number_format) == (15_000_000, '"Rp "#,##0')
    assert started.value == dt.datetime(2023, 4, 1)
    assert started.number_format == "[$-421]d mmmm yyyy"  # "1 April 2023", the portal's format
    # Excel stores a width with its cell padding: 18 characters read back as 18.71.
    assert ws.column_dimensions["A"].width == pytest.approx(18, abs=1)


def test_xlsx_text_is_cut_at_excels_cell_limit_and_control_characters_dropped():
    rows = [["x" * 40_000, None, None, None], ["a\x00b\x1fc", None, None, None]]

    _, wb = _reopen([_table(rows)])

    ws = wb["Daftar Finalis"]
    assert len(ws["A5"].value) == 32_767
    assert ws["A6"].value == "abc"


def test_xlsx_sheet_titles_are_cleaned_and_never_repeated():
    long_title = "Rekap: nilai/tahap [desk] " + "x" * 40
    _, wb = _reopen([_table([]), _table([]), Table(long_title, [], [Column("A")], [])])

    assert wb.sheetnames == [
        "Daftar Finalis",
        "Daftar Finalis (2)",
        long_title.translate(str.maketrans("[]:/", "    "))[:31],
    ]


# Text shaped like XlsxWriter's rich strings: written through XlsxWriter's own
# write_string in constant_memory mode, it went into the sheet unescaped and put a
# formula in B5.
RICH_TEXT_INJECTION = (
    '<r><t>Inovasi</t></r></is></c><c r="B5"><f>HYPERLINK("https://evil.example","Klik")'
    '</f></c><c r="C5" t="inlineStr"><is><r><t>x</t></r>'
)
# Text cells XlsxWriter escapes in particular ways: its _xHHHH_ escapes, whitespace to
# keep, XML characters, a character outside the BMP counting twice against Excel's
# 32,767-unit limit, Unicode non-characters, line ends and tabs.
TEXTS = [
    *HOSTILE_STRINGS,
    "_x0041_ tetap tertulis",
    " spasi di tepi ",
    "Rp 5 < 10 & 20 > 15",
    "\U0001f4a9" * 17_000,
    "x" * 40_000,
    "\ufffe\uffff",
    "baris\nbaris\ttab",
    "",
]


def _sheet_xml(write) -> str:
    """The first sheet's XML of a constant_memory workbook that ``write`` filled."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"constant_memory": True})
    ws = workbook.add_worksheet(worksheet_class=xlsx._Worksheet)
    write(ws, workbook.add_format({"num_format": "0.000"}))
    workbook.close()
    with zipfile.ZipFile(buffer) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_xlsx_text_cell_is_the_one_xlsxwriter_writes(text):
    text = xlsx._text(text)

    def ours(ws, _format):
        ws.begin_rows(1)
        ws.write_row_xml(1, 1, f'<c r="B2"{ws.text_cell(text)}')

    def xlsxwriters(ws, _format):
        ws.write_string(1, 1, text)

    assert _sheet_xml(ours) == _sheet_xml(xlsxwriters)


@pytest.mark.parametrize(
    "value", [85.445, 0.1, 1e-07, 15_000_000, 12345678901234567, -0.5, dt.date(2024, 6, 3)]
)
def test_xlsx_number_and_date_cells_are_the_ones_xlsxwriter_writes(value):
    def ours(ws, number_format):
        number = ws.date_number(value) if isinstance(value, dt.date) else value
        ws.begin_rows(0)
        ws.write_row_xml(0, 2, f'<c r="C1"{ws.number_cell(number, number_format)}')

    def xlsxwriters(ws, number_format):
        if isinstance(value, dt.date):
            ws.write_datetime(0, 2, value, number_format)
        else:
            ws.write_number(0, 2, value, number_format)

    assert _sheet_xml(ours) == _sheet_xml(xlsxwriters)


def test_xlsx_rows_after_the_header_are_the_ones_xlsxwriter_writes():
    header = ["Judul", "Nilai"]
    rows = [["Posko Paman", 85.5], ["Si Jempol", 90.25], ["Lapor Bupati", 70.0]]

    def ours(ws, number_format):
        for col, text in enumerate(header):
            ws.write_string(0, col, text)
        ws.begin_rows(1)
        for row, (title, score) in enumerate(rows, start=1):
            cells = f'<c r="A{row + 1}"{ws.text_cell(title)}'
            cells += f'<c r="B{row + 1}"{ws.number_cell(score, number_format)}'
            ws.write_row_xml(row, 1, cells)

    def xlsxwriters(ws, number_format):
        for col, text in enumerate(header):
            ws.write_string(0, col, text)
        for row, (title, score) in enumerate(rows, start=1):
            ws.write_string(row, 0, title)
            ws.write_number(row, 1, score, number_format)

    assert _sheet_xml(ours) == _sheet_xml(xlsxwriters)


def test_xlsx_rows_are_written_top_to_bottom_each_once():
    def write(ws, _format):
        ws.write_string(0, 0, "Judul")
        ws.begin_rows(1)
        ws.write_row_xml(2, 0, '<c r="A3" t="inlineStr"><is><t>a</t></is></c>')
        with pytest.raises(ValueError):
            ws.write_row_xml(2, 0, '<c r="A3" t="inlineStr"><is><t>b</t></is></c>')
        with pytest.raises(ValueError):
            ws.write_row_xml(1, 0, '<c r="A2" t="inlineStr"><is><t>c</t></is></c>')

    xml = _sheet_xml(write)

    assert '<row r="3"><c r="A3" t="inlineStr"><is><t>a</t></is></c></row></sheetData>' in xml


def test_xlsx_text_shaped_like_rich_text_stays_text():
    rows = [[RICH_TEXT_INJECTION, None, None, None], ["<r>judul</r>", None, None, None]]

    buffer, wb = _reopen([_table(rows)])

    ws = wb["Daftar Finalis"]
    assert [ws["A5"].value, ws["A6"].value] == [RICH_TEXT_INJECTION, "<r>judul</r>"]
    assert [c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"] == []
    with zipfile.ZipFile(buffer) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


def test_xlsx_cells_by_kind_empty_values_and_half_up_rounding():
    table = Table(
        title="Rekap",
        heading=["Rekap"],
        columns=[
            Column("Teks"),
            Column("Nilai", SCORE),
            Column("Rata-rata", FIGURE),
            Column("Jumlah", INTEGER),
            Column("Tanggal", DATE),
        ],
        rows=[
            # Half-up on the decimal, and on a float's shortest representation.
            ["a", Decimal("85.4445"), 83.715, 3, dt.date(2024, 6, 3)],
            ["b", 83.7155, Decimal("2.005"), True, dt.datetime(2024, 6, 3, 12, 0)],
            [Decimal("1.00"), 80, None, "", "belum"],
            [Decimal("1.0"), None, None, None, None],
            [None, None, None, None, None],
            ["akhir", "", None, None, None],
        ],
    )

    buffer, wb = _reopen([table])

    ws = wb["Rekap"]
    assert [[c.value for c in row] for row in ws.iter_rows(min_row=4)] == [
        ["a", 85.445, 83.72, 3, dt.datetime(2024, 6, 3)],
        ["b", 83.716, 2.01, "True", dt.datetime(2024, 6, 3, 12, 0)],
        ["1.00", 80, None, None, "belum"],
        ["1.0", None, None, None, None],
        [None, None, None, None, None],
        ["akhir", None, None, None, None],
    ]
    assert [ws.cell(row=4, column=n).number_format for n in (2, 3, 4, 5)] == [
        "0.000",
        "0.00",
        "0",
        "[$-421]d mmmm yyyy",
    ]
    with zipfile.ZipFile(buffer) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    # No cell at all for None or "", and no row for a row of nothing.
    assert '<row r="8">' not in sheet
    assert sheet.count('<c r="B') == 4


def test_xlsx_refuses_a_number_excel_cannot_hold():
    rows = [["Judul", None, float("nan"), None]]

    with pytest.raises(TypeError):
        xlsx.save([_table(rows)], io.BytesIO())


def test_csv_has_bom_and_neutralises_formula_leading_cells():
    rows = [[text, Decimal("80"), 7_500_000, dt.date(2024, 1, 2)] for text in HOSTILE]
    rows.append(["Pete Jawa Rasa Timun \u2013 Gedongan", None, None, None])

    content = b"".join(line.encode() for line in csv_export.lines(_table(rows))).decode("utf-8")

    assert content.startswith("\ufeffJudul,Nilai,Uang pembinaan,Mulai\r\n")
    assert '\'=HYPERLINK(""http://x"")",80.000,7500000,2024-01-02' in content
    for text in HOSTILE:
        assert f"'{text[:3]}" in content
    assert "Pete Jawa Rasa Timun \u2013 Gedongan,,," in content


def test_csv_neutralise_leaves_plain_text_alone():
    assert csv_export.neutralise("Posko Paman") == "Posko Paman"
    assert csv_export.neutralise("=1+1") == "'=1+1"
    assert csv_export.neutralise(None) == ""


def test_pdf_fetcher_refuses_remote_and_private_files():
    fetcher = pdf.LocalOnlyFetcher()

    with pytest.raises(ValueError, match="Refused"):
        fetcher.fetch("http://example.com/logo.png")
    with pytest.raises(ValueError, match="Refused"):
        fetcher.fetch("file:///etc/passwd")


def test_pdf_renders_indonesian_text():
    content = pdf.html_to_pdf(
        "<h1>Kecamatan Prajurit Kulon</h1><p>Rp 15.000.000 \u2013 \u2018Gayatri\u2019</p>"
    )

    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert "Kecamatan Prajurit Kulon" in text
    assert "\u2018Gayatri\u2019" in text


def test_certificate_template_escapes_values():
    html = render_certificate(
        "<p>{{ penerima }} {{ predikat }}</p>",
        {"penerima": "<script>x</script>", "predikat": "Juara I"},
    )

    assert html == "<p>&lt;script&gt;x&lt;/script&gt; Juara I</p>"


@pytest.mark.parametrize(
    "text",
    [
        "{% debug %}",
        "{% load static %}",
        "{% include 'base.html' %}",
        "{% extends 'x' %}",
        "{% if %}",
        "{% nosuchtag %}",
    ],
)
def test_certificate_template_refuses_escape_hatches(text):
    with pytest.raises(ValidationError):
        validate_certificate_template(text)


def test_certificate_template_is_checked_when_the_competition_is_saved_in_the_admin(db):
    competition = f.CompetitionFactory(certificate_template="{% load static %}{{ penerima }}")

    with pytest.raises(ValidationError) as error:
        competition.full_clean()

    assert "certificate_template" in error.value.message_dict


def test_certificate_template_cannot_reach_other_names():
    html = render_certificate(
        "{{ request }}{{ settings.SECRET_KEY }}|{{ tahun }}", {"tahun": "2026"}
    )

    assert html == "|2026"
