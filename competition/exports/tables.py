"""The shape every tabular export shares: a header block, typed columns and lazy rows.

A ``Table`` is written by ``xlsx.save``, ``csv.lines`` and ``pdf.tables_document``
alike, so one builder feeds every format of an export.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

TEXT = "text"
INTEGER = "int"
SCORE = "score"
MONEY = "money"
DATE = "date"


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
