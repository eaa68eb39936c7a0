"""The shape every tabular export shares: a header block, typed columns and lazy rows.

A ``Table`` is written by ``xlsx.save``, ``csv.lines`` and ``pdf.tables_document``
alike, so one builder feeds every format of an export.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from competition import stats

TEXT = "text"
INTEGER = "int"
SCORE = "score"  # a score or sheet total, at stats.SCORE_PLACES
FIGURE = "figure"  # a spread, range, mean or judge's score, at stats.FIGURE_PLACES
MONEY = "money"
DATE = "date"

# Every writer prints a number of these kinds rounded by the same function as the pages,
# so a score reads the same on screen, on paper, in CSV and in Excel.
ROUNDED = {SCORE: stats.score_shown, FIGURE: stats.figure_shown}
PLACES = {SCORE: stats.SCORE_PLACES, FIGURE: stats.FIGURE_PLACES}


def rounded(value, kind: str) -> Decimal | None:
    """A number of a ``ROUNDED`` kind as printed: a Decimal with exactly its places."""
    return ROUNDED[kind](value)


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = TEXT
    width: int = 18
    # Left out of the PDF, where an A4 page has no room for every spreadsheet column.
    pdf: bool = True


@dataclass
class Table:
    """One sheet of an export. ``rows`` may be a generator: it is read exactly once."""

    title: str
    heading: Sequence[str]
    columns: Sequence[Column]
    rows: Iterable[Sequence] = field(default_factory=list)
