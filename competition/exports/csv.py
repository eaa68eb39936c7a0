"""CSV files streamed row by row, in UTF-8 with a BOM so that Excel reads Indonesian text.

Spreadsheet programs run a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return as a formula ("CSV injection"). CSV has no cell types, so every text cell
that starts with one of them is written with a leading apostrophe (``'=SUM(A1)``): Excel
and LibreOffice then show it as text. Numbers and dates are written plainly (scores
rounded as on the pages, with a dot; dates as YYYY-MM-DD) so that the file stays machine-readable.
"""

import csv
import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from .tables import DATE, ROUNDED, TEXT, Table, rounded

BOM = "\ufeff"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    """User text as it may safely sit in a CSV cell."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def format_value(value, kind: str) -> str:
    if value is None:
        return ""
    if kind in ROUNDED and isinstance(value, Decimal | float | int):
        return str(rounded(value, kind))
    if kind == DATE and isinstance(value, dt.date):
        return value.isoformat()
    if kind != TEXT and isinstance(value, int | Decimal | float):
        return str(value)
    return neutralise(value)


class _Echo:
    """A file-like object whose ``write`` hands the line back, for streaming."""

    def write(self, value):
        return value


def lines(table: Table) -> Iterator[str]:
    """The CSV text of ``table``: BOM and header row first, then one line per row."""
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow([neutralise(column.header) for column in table.columns])
    for row in table.rows:
        yield writer.writerow(
            [
                format_value(value, column.kind)
                for value, column in zip(row, table.columns, strict=True)
            ]
        )


def save(table: Table, target) -> None:
    """Write ``table`` to an open binary file."""
    for line in lines(table):
        target.write(line.encode("utf-8"))
