"""The XLSX, CSV and PDF writers and the certificate sandbox, on small hand-made tables."""

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook
from pypdf import PdfReader

from competition.exports import csv as csv_export
from competition.exports import pdf, xlsx
from competition.exports.tables import DATE, MONEY, SCORE, Column, Table
from competition.sandbox import render_certificate, validate_certificate_template
from tests import factories as f

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
