"""Excel workbooks written in constant memory, with every user text kept as text.

XlsxWriter writes each row to disk as it comes (``constant_memory``), so a national
year's 200,000 scores neither grow the server's memory nor take openpyxl's per-cell
time (openpyxl still reads the agencies' XLSX imports). Each sheet starts with a header
block naming the competition, then a frozen header row. Text is always written as a
text cell, so a title such as ``=HYPERLINK(...)`` stays a title and never becomes a
formula in the organiser's Excel.
"""

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable
from decimal import Decimal

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import (
    _preserve_whitespace,
    _utf16_len,
    _utf16_truncate,
    xl_col_to_name,
)
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


class _Worksheet(Worksheet):
    """XlsxWriter's worksheet with one addition: a data row written as one piece of XML.

    Through ``write_string``/``write_number`` XlsxWriter spends about 5 µs a cell (the
    A1-notation decorator, its checks, a cell tuple held until the row is done, then
    the cell's XML in several calls): a second of a national recap's 206,500 cells.
    Here a row's cells arrive as XML that :func:`write_table` makes once per distinct
    value of a column, and the row goes to the sheet in one call. Everything else stays
    XlsxWriter's: the heading and header rows, formats, column widths, frozen panes,
    the package. The cell XML is what XlsxWriter writes in ``constant_memory`` mode,
    made with its own escaping helpers, and ``tests/competition/test_exports_writers.py``
    compares the two byte for byte. The class reaches into XlsxWriter's internals (the
    row file, the row counter, the dimension check, a format's style number), which is
    why XlsxWriter is pinned in requirements.txt: those tests are the check when it is
    upgraded. Subclassing the worksheet is XlsxWriter's own documented way to extend it
    (``add_worksheet(name, worksheet_class)``).
    """

    def begin_rows(self, row: int) -> None:
        """Write out what XlsxWriter holds (the header row): data rows start at ``row``.

        Formats get their style numbers in the order cells first use them, so the
        header's are given before any data cell asks for one, as XlsxWriter would.
        """
        if row < self.previous_row or (row == self.previous_row and self.table.get(row)):
            raise ValueError(f"data rows must start below row {self.previous_row}")
        self._write_single_row(row)

    def write_row_xml(self, row: int, last_col: int, cells: str) -> None:
        """Add row ``row`` with ``cells``, each ``<c>`` made by ``text_cell`` or
        ``number_cell``; rows go top to bottom after :meth:`begin_rows`, each once."""
        if row < self.previous_row or self._check_dimensions(row, last_col):
            raise ValueError(f"row {row} cannot follow row {self.previous_row}")
        self.previous_row = row + 1
        self.fh.write(f'<row r="{row + 1}">{cells}</row>')

    def text_cell(self, text: str) -> str:
        """An in-line string cell from after its ``<c r="A1"``: cut at Excel's 32,767
        UTF-16 units, ``_xHHHH_`` escapes as Excel reads them, XML escaped. Unlike
        XlsxWriter, text shaped like ``<r>...</r>`` is escaped too: it is a user's
        text, never markup to pass through."""
        if len(text) > self.xls_strmax // 2 and _utf16_len(text) > self.xls_strmax:
            text = _utf16_truncate(text, self.xls_strmax)
        text = self._escape_control_characters(text)
        preserve = ' xml:space="preserve"' if _preserve_whitespace(text) else ""
        return f' t="inlineStr"><is><t{preserve}>{self._escape_data(text)}</t></is></c>'

    def number_cell(self, number: int | float, cell_format: Format) -> str:
        """A number cell in ``cell_format`` from after its ``<c r="A1"``."""
        if not math.isfinite(number):
            raise TypeError(f"no number cell for {number}: Excel has no NaN or infinity")
        return f' s="{cell_format._get_xf_index()}"><v>{number:.16G}</v></c>'

    def date_number(self, value: dt.date) -> float:
        """The Excel serial number of a date, or of a naive date and time."""
        return self._convert_date_time(value)


class _Sheet:
    """One table's worksheet and the formats its cells share."""

    def __init__(self, workbook: xlsxwriter.Workbook, table: Table):
        self.ws: _Worksheet = workbook.add_worksheet(
            _sheet_title(workbook, table.title), worksheet_class=_Worksheet
        )
        self.title = workbook.add_format({"bold": True, "font_size": 13})
        self.bold = workbook.add_format({"bold": True})
        self.header = workbook.add_format(
            {"bold": True, "bg_color": "#DDE6F0", "text_wrap": True, "valign": "top"}
        )
        self.formats = {
            kind: workbook.add_format({"num_format": f}) for kind, f in NUMBER_FORMATS.items()
        }

    def cell(self, kind: str) -> Callable[[object], str]:
        """How a column of ``kind`` turns a value into its cell's XML after ``<c r="A1"``
        ("" for no cell): text as text, numbers of a number kind rounded as printed and
        in the kind's number format, dates as dates; anything else as its text."""
        ws, number_format, shown = self.ws, self.formats.get(kind), ROUNDED.get(kind)

        def cell(value) -> str:
            if number_format is not None and type(value) in (Decimal, float):
                # Most cells of a recap, so ahead of the checks below (which give the same).
                return ws.number_cell(float(shown(value) if shown else value), number_format)
            if value is None or value == "":
                return ""
            if type(value) is str:
                return ws.text_cell(_text(value))
            if number_format is not None:
                if kind == DATE and isinstance(value, dt.date):
                    if isinstance(value, dt.datetime):
                        value = value.replace(tzinfo=None)
                    return ws.number_cell(ws.date_number(value), number_format)
                if kind in ROUNDED and isinstance(value, Decimal | float | int):
                    # Stored rounded, so Excel holds (and a formula sums) what it shows.
                    value = rounded(value, kind)
                if isinstance(value, Decimal):
                    value = float(value)
                if isinstance(value, int | float) and not isinstance(value, bool):
                    return ws.number_cell(value, number_format)
            return ws.text_cell(_text(value))

        return cell


def write_table(workbook: xlsxwriter.Workbook, table: Table) -> None:
    """Add ``table`` to ``workbook`` as a sheet: header block, frozen header row, rows.

    Rows are written top to bottom, as ``constant_memory`` requires. Each column makes
    the cell of a distinct text or number once: a recap repeats the same scores, titles
    and judges' names tens of thousands of times.
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
    ws.begin_rows(header_row + 1)
    columns = [
        (
            f'<c r="{xl_col_to_name(index)}',
            {},
            # Equal numbers are one number in a number column; as text they may differ
            # (1.0, 1.00).
            (str, Decimal, float) if column.kind in NUMBER_FORMATS else (str,),
            sheet.cell(column.kind),
        )
        for index, column in enumerate(table.columns)
    ]
    last_col = len(columns) - 1
    for row_number, row in enumerate(table.rows, start=header_row + 1):
        values = list(row)
        if len(values) != len(columns):
            raise ValueError(
                f"row {row_number} has {len(values)} values for {len(columns)} columns"
            )
        number = str(row_number + 1)
        cells = []
        for (start, made, kept, cell), value in zip(columns, values, strict=True):
            if value is None:
                continue
            if type(value) in kept:
                xml = made.get(value)
                if xml is None:
                    xml = made[value] = cell(value)
            else:
                xml = cell(value)
            if xml:
                cells.append(f'{start}{number}"{xml}')
        if cells:
            ws.write_row_xml(row_number, last_col, "".join(cells))


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
