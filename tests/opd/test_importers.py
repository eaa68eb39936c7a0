"""The agency import: every row or none, with a per-row report in Indonesian."""

import io

import pytest
from openpyxl import Workbook

from opd.importers import RowError, agencies_import
from opd.models import Agency, AgencyKind
from tests import factories as f

HEADER = ["nama", "singkatan", "jenis", "induk", "nama_kepala", "nip_kepala", "email", "telepon"]


def xlsx(rows, header=HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(text: str) -> bytes:
    return ("\ufeff" + text).encode("utf-8")


GOOD_ROWS = [
    # A child listed before its parent: parents may refer to rows anywhere in the file.
    ["UPT Puskesmas Wates", "", "puskesmas", "Dinas Kesehatan, PPKB", "", "", "", ""],
    [
        "Dinas Kesehatan, PPKB",
        "Dinkesppkb",
        "Dinas",
        "",
        "dr. Ani",
        "197001011995032001",
        "dinkes@mojokertokota.go.id",
        "0321 321321",
    ],
]


@pytest.mark.django_db
def test_import_xlsx_creates_agencies_and_parents():
    result = agencies_import(data=xlsx(GOOD_ROWS), filename="opd.xlsx")

    assert result.errors == []
    assert (result.created, result.updated) == (2, 0)
    dinkes = Agency.objects.get(name="Dinas Kesehatan, PPKB")
    assert dinkes.short_name == "Dinkesppkb"
    assert dinkes.kind == AgencyKind.DINAS
    assert dinkes.head_nip == "197001011995032001"
    assert dinkes.email == "dinkes@mojokertokota.go.id"
    wates = Agency.objects.get(name="UPT Puskesmas Wates")
    assert wates.parent == dinkes
    assert wates.kind == AgencyKind.PUSKESMAS


@pytest.mark.django_db
def test_import_csv_semicolons_updates_existing_by_name_and_refers_to_registered_parent():
    existing = f.AgencyFactory(name="Dinas Lingkungan Hidup", short_name="", head_name="Lama")
    f.AgencyFactory(name="Sekretariat Daerah", kind=AgencyKind.SEKRETARIAT)
    text = (
        "nama;singkatan;jenis;induk;nama_kepala\n"
        "dinas lingkungan hidup;DLH;dinas;;Ir. Baru\n"
        "Bagian Organisasi;;Bagian Sekretariat Daerah;Sekretariat Daerah;\n"
    )

    result = agencies_import(data=csv_bytes(text), filename="opd.csv")

    assert result.errors == []
    assert (result.created, result.updated) == (1, 1)
    existing.refresh_from_db()
    assert existing.short_name == "DLH"
    assert existing.head_name == "Ir. Baru"
    assert existing.name == "Dinas Lingkungan Hidup"
    organisasi = Agency.objects.get(name="Bagian Organisasi")
    assert organisasi.kind == AgencyKind.BAGIAN
    assert organisasi.parent.name == "Sekretariat Daerah"


@pytest.mark.django_db
def test_import_with_one_bad_row_saves_nothing_and_reports_every_problem():
    f.AgencyFactory(name="Dinas Lingkungan Hidup", head_name="Tetap")
    rows = [
        ["Dinas Lingkungan Hidup", "DLH", "dinas", "", "Berubah", "", "", ""],
        ["Dinas Baru", "", "kantor", "", "", "", "", ""],
        ["UPT Entah", "", "upt", "Dinas Tidak Ada", "", "", "", ""],
        ["Kecamatan Magersari", "", "kecamatan", "", "", "1970", "bukan-email", ""],
        ["", "", "dinas", "", "", "", "", ""],
        ["Dinas Baru", "", "dinas", "", "", "", "", ""],
    ]

    result = agencies_import(data=xlsx(rows), filename="opd.xlsx")

    assert Agency.objects.count() == 1
    assert Agency.objects.get().head_name == "Tetap"
    assert result.created == result.updated == 0
    problems = {(error.row, error.column) for error in result.errors}
    assert problems == {
        (3, "jenis"),
        (4, "induk"),
        (5, "email"),
        (6, "nama"),
        (7, "nama"),
    }
    by_place = {(error.row, error.column): error.message for error in result.errors}
    assert "Jenis 'kantor' tidak dikenal" in by_place[(3, "jenis")]
    assert "Induk 'Dinas Tidak Ada' tidak ditemukan" in by_place[(4, "induk")]
    assert by_place[(6, "nama")] == "Nama OPD wajib diisi."
    assert by_place[(7, "nama")] == "Nama ini sudah dipakai di baris 3."


@pytest.mark.django_db
def test_import_model_errors_after_checks_still_roll_back():
    rows = [
        ["Dinas Kesehatan, PPKB", "Dinkesppkb", "dinas", "", "", "", "", ""],
        ["Kecamatan Magersari", "", "kecamatan", "", "", "19700101", "", ""],
    ]

    result = agencies_import(data=xlsx(rows), filename="opd.xlsx")

    assert not Agency.objects.exists()
    assert result.errors == [
        RowError(
            3, "nip_kepala", "NIP harus terdiri dari tepat 18 angka, tanpa spasi atau tanda baca."
        )
    ]


@pytest.mark.django_db
def test_import_refuses_nip_stored_as_excel_number():
    rows = [["Dinas Sosial", "", "dinas", "", "", 197001011995032001, "", ""]]

    result = agencies_import(data=xlsx(rows), filename="opd.xlsx")

    assert not Agency.objects.exists()
    assert result.errors[0].column == "nip_kepala"
    assert "Ketik NIP sebagai teks" in result.errors[0].message


@pytest.mark.django_db
def test_import_refuses_parent_cycle():
    rows = [
        ["Unit A", "", "upt", "Unit B", "", "", "", ""],
        ["Unit B", "", "upt", "Unit A", "", "", "", ""],
    ]

    result = agencies_import(data=xlsx(rows), filename="opd.xlsx")

    assert not Agency.objects.exists()
    assert {error.row for error in result.errors} == {2, 3}
    assert all("lingkaran" in error.message for error in result.errors)


@pytest.mark.django_db
def test_import_reports_missing_and_unknown_columns():
    result = agencies_import(data=xlsx([["X"]], header=["nama_opd"]), filename="opd.xlsx")

    assert {(error.row, error.column) for error in result.errors} == {
        (1, "nama"),
        (1, "jenis"),
        (1, "nama_opd"),
    }


@pytest.mark.django_db
def test_import_refuses_broken_xlsx_and_non_utf8_csv():
    broken = agencies_import(data=b"PK\x03\x04 not really a workbook", filename="opd.xlsx")
    latin = agencies_import(
        data="nama,jenis\nDinas Perhubungan Ă,dinas\n".encode("cp1250"), filename="opd.csv"
    )

    assert "tidak dapat dibaca sebagai XLSX" in broken.errors[0].message
    assert "UTF-8" in latin.errors[0].message
    assert not Agency.objects.exists()


@pytest.mark.django_db
def test_import_empty_file_is_an_error():
    result = agencies_import(data=csv_bytes("nama,jenis\n\n"), filename="opd.csv")

    assert result.errors == [RowError(2, "", "Tidak ada baris data di bawah baris judul.")]
