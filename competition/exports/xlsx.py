"""Excel workbooks written in constant memory, with every user text kept as text.

XlsxWriter writes each row to disk as it comes (``constant_memory``), so a national
year's 200,000 scores neither grow the server's memory nor take openpyxl's per-cell
time (openpyxl still reads the agencies' XLSX imports). Each sheet starts with a header
block naming the competition, then a frozen header row. Text is written with
``write_string``, so a title such as ``=HYPERLINK(...)`` stays a title and never becomes
a formula in the organiser's Excel.
"""

import datetime as dt
import re
from collections.abc import Callable, Iterable
from decimal import Decimal

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from kovablik.collector import collector_paused

from .tables import DATE, FIGURE, INTEGER, MONEY, PLACES, ROUNDED, SCORE, Table, rounded

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NUMBER_FORMATS = {
    SCORE: "0." + "0" * PLACES[SCORE],
    FIGURE: "0." + "0" * PLACES[FIGURE],
    MONEY: '"Rp "#,##0',
    # A real date cell, shown as the portal prints dates ("3 Juni 2024"): [$-421] asks for
    # Indonesian month names whatever the reader's Excel or LibreOffice language.
    DATE: "[$-421]d mmmm yyyy",
    INTEGER: "0",
}
# Control characters XML 1.0 cannot carry (tab and line ends can).
_ILLEGAL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Excel's limit for one cell's text.
_MAX_TEXT = 32_767


def _text(value) -> str:
    """Line ends become ``\\n`` (XML would turn a lone carriage return into one anyway),
    control characters Excel cannot store are dropped, and text is cut at Excel's limit."""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return _ILLEGAL_CHARACTERS.sub("", text)[:_MAX_TEXT]


class _Sheet:
    """One table's worksheet and the formats its cells share."""

    def __init__(self, workbook: xlsxwriter.Workbook, table: Table):
        self.ws: Worksheet = workbook.add_worksheet(_sheet_title(workbook, table.title))
        self.title = workbook.add_format({"bold": True, "font_size": 13})
        self.bold = workbook.add_format({"bold": True})
        self.header = workbook.add_format(
            {"bold": True, "bg_color": "#DDE6F0", "text_wrap": True, "valign": "top"}
        )
        self.formats = {
            kind: workbook.add_format({"num_format": f}) for kind, f in NUMBER_FORMATS.items()
        }

    def writer(self, kind: str) -> Callable[[int, int, object], None]:
        """How a column of ``kind`` writes a value at (row, column).

        Text and decimals are converted once per distinct value of the column: a recap
        repeats the same scores, titles and judges' names tens of thousands of times.
        """
        ws, number_format = self.ws, self.formats.get(kind)
        texts: dict[str, str] = {}
        numbers: dict[Decimal, float] = {}

        def write(row: int, col: int, value) -> None:
            if value is None or value == "":
                return
            if type(value) is str:
                text = texts.get(value)
                if text is None:
                    text = texts[value] = _text(value)
                ws.write_string(row, col, text)
                return
            if number_format is not None:
                if type(value) is Decimal:
                    number = numbers.get(value)
                    if number is None:
                        number = numbers[value] = float(
                            rounded(value, kind) if kind in ROUNDED else value
                        )
                    ws.write_number(row, col, number, number_format)
                    return
                if kind == DATE and isinstance(value, dt.date):
                    if isinstance(value, dt.datetime):
                        value = value.replace(tzinfo=None)
                    ws.write_datetime(row, col, value, number_format)
                    return
                if kind in ROUNDED and isinstance(value, Decimal | float | int):
                    # Stored rounded, so Excel holds (and a formula sums) what it shows.
                    value = rounded(value, kind)
                if isinstance(value, Decimal):
                    value = float(value)
                if isinstance(value, int | float) and not isinstance(value, bool):
                    ws.write_number(row, col, value, number_format)
                    return
            ws.write_string(row, col, _text(value))

        return write


def write_table(workbook: xlsxwriter.Workbook, table: Table) -> None:
    """Add ``table`` to ``workbook`` as a sheet: header block, frozen header row, rows.

    Rows are written top to bottom, as ``constant_memory`` requires.
    """
    sheet = _Sheet(workbook, table)
    ws = sheet.ws
    for index, column in enumerate(table.columns):
        ws.set_column(index, index, column.width)
    for number, line in enumerate(table.heading):
        ws.write_string(number, 0, _text(line), sheet.title if number == 0 else sheet.bold)
    header_row = len(table.heading) + 1
    for index, column in enumerate(table.columns):
        ws.write_string(header_row, index, _text(column.header), sheet.header)
    ws.freeze_panes(header_row + 1, 0)
    writers = list(enumerate(sheet.writer(column.kind) for column in table.columns))
    for row_number, row in enumerate(table.rows, start=header_row + 1):
        values = list(row)
        if len(values) != len(writers):
            raise ValueError(
                f"row {row_number} has {len(values)} values for {len(writers)} columns"
            )
        for (col, write), value in zip(writers, values, strict=True):
            write(row_number, col, value)


@collector_paused()
def save(tables: Iterable[Table], target) -> None:
    """Write the tables as one workbook to a path or a binary file object."""
    workbook = xlsxwriter.Workbook(target, {"constant_memory": True})
    try:
        for table in tables:
            write_table(workbook, table)
    finally:
        workbook.close()


def _sheet_title(workbook: xlsxwriter.Workbook, title: str) -> str:
    """Excel refuses sheet names over 31 characters, with []:*?/\\ in them, or twice."""
    cleaned = ("".join(" " if ch in "[]:*?/\\" else ch for ch in title).strip() or "Sheet")[:31]
    taken = {ws.get_name().lower() for ws in workbook.worksheets()}
    name, n = cleaned, 1
    while name.lower() in taken:
        n += 1
        suffix = f" ({n})"
        name = cleaned[: 31 - len(suffix)] + suffix
    return name
