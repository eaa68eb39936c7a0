"""Hostile strings in exported spreadsheets stay text: no formula runs in Excel or Calc."""

import csv
import io

import openpyxl
import pytest
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from competition.exports import registry
from competition.models import EntryStatus
from kovablik.text import clean_name
from tests import factories as f
from tests.competition.hostile.make_corpus import HOSTILE_STRINGS

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def as_cell(text: str) -> str:
    """What a text cell holds: line ends as \\n, characters XML cannot carry dropped."""
    return ILLEGAL_CHARACTERS_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


@pytest.fixture
def competition_with_hostile_titles(db):
    competition = f.CompetitionFactory(year=2026)
    for n, text in enumerate(HOSTILE_STRINGS):
        innovation = f.InnovationFactory(title=text[:255], brand_name=text[:80], description=text)
        f.EntryFactory(
            competition=competition,
            innovation=innovation,
            status=EntryStatus.PASSED,
            reference=f"KIPP-2026-{n + 1:04d}",
        )
    return competition


def export_bytes(competition, fmt: str, tmp_path) -> bytes:
    target = tmp_path / f"inovasi-daerah.{fmt}"
    registry.build("inovasi-daerah", fmt, competition=competition).save(target)
    return target.read_bytes()


def test_xlsx_keeps_every_hostile_string_as_text(competition_with_hostile_titles, tmp_path):
    content = export_bytes(competition_with_hostile_titles, "xlsx", tmp_path)

    workbook = openpyxl.load_workbook(io.BytesIO(content))
    cells = [cell for ws in workbook for row in ws.iter_rows() for cell in row]
    titles = {}
    for ws in workbook:
        rows = list(ws.iter_rows(values_only=True))
        # A title block sits above the column headers.
        start = next(i for i, row in enumerate(rows) if "Nomor registrasi" in row)
        header = rows[start]
        for row in rows[start + 1 :]:
            titles[row[header.index("Nomor registrasi")]] = row[header.index("Nama inovasi")]

    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    for n, text in enumerate(HOSTILE_STRINGS):
        # Titles are stored cleaned (kovablik.text.clean_name), then kept as text.
        expected = as_cell(clean_name(text[:255])) or None
        assert titles[f"KIPP-2026-{n + 1:04d}"] == expected, f"string {n}: {text[:40]!r}"


def test_csv_neutralises_every_formula_looking_string(competition_with_hostile_titles, tmp_path):
    content = export_bytes(competition_with_hostile_titles, "csv", tmp_path)

    rows = {
        row["Nomor registrasi"]: row
        for row in csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline=""))
    }

    for n, text in enumerate(HOSTILE_STRINGS):
        row = rows[f"KIPP-2026-{n + 1:04d}"]
        for column in ("Nama inovasi", "Nama singkat", "Deskripsi"):
            assert not row[column].startswith(FORMULA_START), f"string {n} in {column}"
        title = clean_name(text[:255])
        if title.startswith(FORMULA_START):
            assert row["Nama inovasi"] == "'" + title
