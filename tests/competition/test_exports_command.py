"""``manage.py export``: the same exports as the organiser's page, written to a file."""

import csv

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from competition.models import EntryStatus
from tests import factories as f


@pytest.fixture
def year(db):
    competition = f.CompetitionFactory(year=2026, name="Kompetisi Inovasi Pelayanan Publik")
    stage = f.StageFactory(competition=competition, closed=True, rubric=(50, 50), order=1)
    entry = f.EntryFactory(
        competition=competition,
        reference="KIPP-2026-0001",
        titled_by_reference=True,
        status=EntryStatus.FINALIST,
    )
    entry.innovation.title = "=Layanan Kecamatan Prajurit Kulon"
    entry.innovation.save()
    f.ScoreSheetFactory(
        stage=stage,
        entry=entry,
        judge=f.JudgeFactory(full_name="Dr. Juri Penilai"),
        submitted=True,
        assigned=True,
        scores=[80, 90],
    )
    return competition


def test_export_command_writes_the_finalist_workbook(year, tmp_path):
    out = tmp_path / "finalis-2026.xlsx"

    call_command("export", "finalis", "--year", "2026", "--out", str(out))

    ws = load_workbook(out)["Finalis"]
    assert ws["A1"].value == "Kompetisi Inovasi Pelayanan Publik 2026"
    assert ws["C6"].value == "=Layanan Kecamatan Prajurit Kulon"
    assert ws["C6"].data_type == "s"


def test_export_command_writes_the_registry_csv(year, tmp_path):
    out = tmp_path / "iid.csv"

    call_command("export", "inovasi-daerah", "--year", "2026", "--out", str(out))

    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["Nama inovasi"] for row in rows] == ["'=Layanan Kecamatan Prajurit Kulon"]


def test_export_command_writes_the_stage_recap(year, tmp_path):
    out = tmp_path / "rekap.xlsx"

    call_command("export", "rekap-nilai", "--year", "2026", "--stage", "1", "--out", str(out))

    wb = load_workbook(out)
    assert wb.sheetnames == ["Rekap 1", "Ringkasan 1"]
    assert wb["Rekap 1"]["D7"].value == "Dr. Juri Penilai"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["finalis", "--year", "2026", "--out", "x.docx"], "not 'docx'"),
        (["finalis", "--year", "1999", "--out", "x.xlsx"], "No competition for 1999"),
        (["berita-acara", "--year", "2026", "--out", "x.pdf"], "needs --stage"),
        (["berita-acara", "--year", "2026", "--stage", "9", "--out", "x.pdf"], "No stage 9"),
        (
            ["paket", "--year", "2026", "--entry", "KIPP-2026-9999", "--out", "x.pdf"],
            "needs --entry",
        ),
    ],
)
def test_export_command_explains_what_is_wrong(year, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("export", *args)
