"""Excel workbooks written in constant memory, with every user text kept as text.

Workbooks are ``write_only``: rows go to disk as they are produced, so a year with
hundreds of entries does not grow the server's memory. Each sheet starts with a header
block naming the competition, then a frozen header row. Text cells are written with the
string type forced, so a title such as ``=HYPERLINK(...)`` stays a title and never
becomes a formula in the organiser's Excel.
"""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .tables import DATE, INTEGER, MONEY, SCORE, Table

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NUMBER_FORMATS = {
    SCORE: "0.00",
    MONEY: '"Rp "#,##0',
    DATE: "DD/MM/YYYY",
    INTEGER: "0",
}

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=13)
_HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
_WRAP = Alignment(wrap_text=True, vertical="top")


def text_cell(ws, value) -> WriteOnlyCell:
    """A cell that Excel shows as the text given, whatever character it starts with.

    Line ends become ``\n`` (XML would turn a lone carriage return into one anyway) and
    control characters Excel cannot store are dropped.
    """
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    cell = WriteOnlyCell(ws, value=ILLEGAL_CHARACTERS_RE.sub("", text))
    cell.data_type = "s"
    return cell


def value_cell(ws, value, kind: str) -> WriteOnlyCell:
    if value is None or value == "":
        return WriteOnlyCell(ws, value=None)
    if kind in NUMBER_FORMATS:
        if kind in (SCORE, MONEY) and isinstance(value, Decimal):
            value = float(value)
        if kind == DATE and isinstance(value, dt.datetime):
            value = value.replace(tzinfo=None)
        if isinstance(value, int | float | dt.date):
            cell = WriteOnlyCell(ws, value=value)
            cell.number_format = NUMBER_FORMATS[kind]
            return cell
    return text_cell(ws, value)


def write_table(wb: Workbook, table: Table) -> None:
    """Append ``table`` to ``wb`` as a sheet: header block, frozen header row, rows."""
    ws = wb.create_sheet(title=_sheet_title(table.title))
    for index, column in enumerate(table.columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    header_row = len(table.heading) + 2
    ws.freeze_panes = f"A{header_row + 1}"
    for number, line in enumerate(table.heading):
        cell = text_cell(ws, line)
        cell.font = _TITLE if number == 0 else _BOLD
        ws.append([cell])
    ws.append([])
    headers = []
    for column in table.columns:
        cell = text_cell(ws, column.header)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.alignment = _WRAP
        headers.append(cell)
    ws.append(headers)
    for row in table.rows:
        ws.append(
            [
                value_cell(ws, value, column.kind)
                for value, column in zip(row, table.columns, strict=True)
            ]
        )


def workbook(tables: Iterable[Table]) -> Workbook:
    wb = Workbook(write_only=True)
    for table in tables:
        write_table(wb, table)
    return wb


def save(tables: Iterable[Table], target) -> None:
    """Write the tables as one workbook to a path or a binary file object."""
    workbook(tables).save(target)


def _sheet_title(title: str) -> str:
    """Excel refuses sheet names over 31 characters or with []:*?/\\ in them."""
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in title).strip()
    return cleaned[:31] or "Sheet"
