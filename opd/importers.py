"""Import the agency register from an XLSX or CSV file: every row, or none.

Bagian Organisasi keeps the list of OPD and units in a spreadsheet. A file with any wrong
row changes nothing and comes back with a report (row, column, problem) in Indonesian, so
that the person can fix the file and upload it again.
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext

from kovablik.text import clean_name

from .models import Agency, AgencyKind

COLUMNS = {
    "nama": "name",
    "singkatan": "short_name",
    "jenis": "kind",
    "induk": "parent",
    "nama_kepala": "head_name",
    "nip_kepala": "head_nip",
    "email": "email",
    "telepon": "phone",
}
REQUIRED_COLUMNS = ("nama", "jenis")
NAME_COLUMNS = ("nama", "singkatan", "induk", "nama_kepala")
FIELD_TO_COLUMN = {model_field: column for column, model_field in COLUMNS.items()}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class _FileUnreadable(Exception):
    pass


def _kind_lookup() -> dict[str, str]:
    """Accepts the stored value ('puskesmas') or the label ('Bagian Sekretariat Daerah')."""
    lookup = {}
    for value, label in AgencyKind.choices:
        lookup[value.lower()] = value
        lookup[str(label).lower()] = value
    return lookup


def _read_xlsx(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise _FileUnreadable(
            gettext(
                "Berkas tidak dapat dibaca sebagai XLSX. Simpan ulang dari Excel sebagai .xlsx."
            )
        ) from error
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _read_csv(data: bytes) -> list[list]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _FileUnreadable(
            gettext(
                "Berkas CSV harus berenkode UTF-8. Di Excel pilih 'Simpan sebagai' lalu "
                "'CSV UTF-8 (dipisahkan koma)'."
            )
        ) from error
    first_line = text.split("\n", 1)[0]
    # Excel with Indonesian regional settings separates CSV columns with semicolons.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _cell_text(value, *, column: str, row: int, errors: list[RowError]) -> str:
    if value is None:
        return ""
    if column == "nip_kepala" and isinstance(value, int | float):
        # Excel keeps numbers as doubles: an 18-digit NIP loses its last digits.
        errors.append(
            RowError(
                row,
                column,
                gettext(
                    "Ketik NIP sebagai teks (format sel 'Teks'); Excel membulatkan angka 18 digit."
                ),
            )
        )
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if column in NAME_COLUMNS:
        # As the model will store it, so that "Dinas\u200b X" finds "Dinas X".
        return clean_name(str(value))
    return str(value).strip()


def _parse_rows(rows: list[list], errors: list[RowError]) -> list[tuple[int, dict]]:
    if not rows:
        errors.append(RowError(1, "", gettext("Berkas kosong.")))
        return []
    header = [str(cell or "").strip().lower().replace(" ", "_") for cell in rows[0]]
    for required in REQUIRED_COLUMNS:
        if required not in header:
            errors.append(
                RowError(
                    1,
                    required,
                    gettext("Kolom '%(column)s' tidak ada di baris judul.") % {"column": required},
                )
            )
    unknown = [name for name in header if name and name not in COLUMNS]
    for name in unknown:
        errors.append(
            RowError(
                1,
                name,
                gettext("Kolom '%(column)s' tidak dikenal. Kolom yang dipakai: %(columns)s.")
                % {"column": name, "columns": ", ".join(COLUMNS)},
            )
        )
    if errors:
        return []
    parsed = []
    for number, raw in enumerate(rows[1:], start=2):
        if all(cell is None or str(cell).strip() == "" for cell in raw):
            continue
        values = {}
        for index, column in enumerate(header):
            if not column:
                continue
            cell = raw[index] if index < len(raw) else None
            values[column] = _cell_text(cell, column=column, row=number, errors=errors)
        parsed.append((number, values))
    if not parsed and not errors:
        errors.append(RowError(2, "", gettext("Tidak ada baris data di bawah baris judul.")))
    return parsed


def _check_rows(parsed: list[tuple[int, dict]], errors: list[RowError]) -> None:
    """Checks what can be checked before touching the database."""
    kinds = _kind_lookup()
    seen: dict[str, int] = {}
    names_in_file = {values.get("nama", "").lower() for _, values in parsed}
    known_names = {name.lower() for name in Agency.objects.values_list("name", flat=True)}
    for number, values in parsed:
        name = values.get("nama", "")
        if not name:
            errors.append(RowError(number, "nama", gettext("Nama OPD wajib diisi.")))
        elif name.lower() in seen:
            errors.append(
                RowError(
                    number,
                    "nama",
                    gettext("Nama ini sudah dipakai di baris %(row)s.")
                    % {"row": seen[name.lower()]},
                )
            )
        else:
            seen[name.lower()] = number
        kind = values.get("jenis", "")
        if kind.lower() not in kinds:
            errors.append(
                RowError(
                    number,
                    "jenis",
                    gettext("Jenis '%(kind)s' tidak dikenal. Pilih salah satu: %(kinds)s.")
                    % {"kind": kind, "kinds": ", ".join(AgencyKind.values)},
                )
            )
        else:
            values["jenis"] = kinds[kind.lower()]
        parent = values.get("induk", "")
        if parent:
            if parent.lower() == name.lower():
                errors.append(
                    RowError(
                        number, "induk", gettext("OPD tidak dapat menjadi induk dirinya sendiri.")
                    )
                )
            elif parent.lower() not in names_in_file | known_names:
                errors.append(
                    RowError(
                        number,
                        "induk",
                        gettext(
                            "Induk '%(parent)s' tidak ditemukan, baik di berkas ini maupun di "
                            "daftar OPD. Periksa ejaannya."
                        )
                        % {"parent": parent},
                    )
                )
        email = values.get("email", "")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                errors.append(
                    RowError(
                        number,
                        "email",
                        gettext("Alamat e-mail '%(email)s' tidak sah.") % {"email": email},
                    )
                )


def _parents_form_cycle(agencies: dict[str, Agency]) -> list[str]:
    """Names whose chain of parents loops back to themselves."""
    looping = []
    for key, agency in agencies.items():
        seen = {key}
        current = agency.parent
        while current is not None:
            current_key = current.name.lower()
            if current_key in seen:
                looping.append(agency.name)
                break
            seen.add(current_key)
            current = current.parent
    return looping


class _Rollback(Exception):
    pass


def agencies_import(*, data: bytes, filename: str) -> ImportResult:
    """Creates or updates agencies (matched by name, whatever the case) from a file.

    Parents may name agencies already registered or rows of the same file. Nothing is
    saved unless every row is valid.
    """
    result = ImportResult()
    try:
        rows = _read_xlsx(data) if filename.lower().endswith(".xlsx") else _read_csv(data)
    except _FileUnreadable as error:
        result.errors.append(RowError(1, "", str(error)))
        return result
    parsed = _parse_rows(rows, result.errors)
    if result.errors:
        return result
    _check_rows(parsed, result.errors)
    if result.errors:
        return result
    try:
        with transaction.atomic():
            _write(parsed, result)
            if result.errors:
                raise _Rollback
    except _Rollback:
        result.created = result.updated = 0
    return result


def _write(parsed: list[tuple[int, dict]], result: ImportResult) -> None:
    existing = {agency.name.lower(): agency for agency in Agency.objects.select_for_update()}
    touched: dict[str, tuple[int, Agency]] = {}
    for number, values in parsed:
        key = values["nama"].lower()
        agency = existing.get(key)
        if agency is None:
            agency = Agency(name=values["nama"])
            result.created += 1
        else:
            result.updated += 1
        for column, model_field in COLUMNS.items():
            if column in ("nama", "induk") or column not in values:
                continue
            setattr(agency, model_field, values[column])
        touched[key] = (number, agency)
        existing[key] = agency
    # Parents are resolved once every row is known, so a row may name a parent listed below it.
    for _number, values in parsed:
        _, agency = touched[values["nama"].lower()]
        if "induk" in values:
            parent_name = values["induk"].lower()
            agency.parent = existing[parent_name] if parent_name else None
    for name in _parents_form_cycle({key: agency for key, (_, agency) in touched.items()}):
        number, _ = touched[name.lower()]
        result.errors.append(
            RowError(
                number, "induk", gettext("Susunan induk membentuk lingkaran; periksa kolom induk.")
            )
        )
    if result.errors:
        return
    for number, agency in touched.values():
        try:
            # The parent may not be saved yet; it is checked above, by name.
            agency.full_clean(exclude=["parent"], validate_unique=False)
        except ValidationError as error:
            for model_field, messages in error.message_dict.items():
                column = FIELD_TO_COLUMN.get(model_field, model_field)
                result.errors.extend(RowError(number, column, message) for message in messages)
    if result.errors:
        result.errors.sort(key=lambda error: (error.row, error.column))
        return
    # Parents first, so that each child points at a saved row.
    for key in _save_order(touched):
        touched[key][1].save()


def _save_order(touched: dict[str, tuple[int, Agency]]) -> list[str]:
    order: list[str] = []
    placed: set[str] = set()

    def place(key: str) -> None:
        if key in placed:
            return
        parent = touched[key][1].parent
        if parent is not None and parent.name.lower() in touched:
            place(parent.name.lower())
        placed.add(key)
        order.append(key)

    for key in touched:
        place(key)
    return order
