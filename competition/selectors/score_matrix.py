"""A stage's score matrix: every entry against every judge, from its leaderboard."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from competition.models import Stage
from competition.selectors.leaderboard import Leaderboard
from competition.selectors.scoring import CriterionInfo, EntryInfo, JudgeInfo


@dataclass
class MatrixCell:
    value: Decimal | None
    comment: str


@dataclass
class MatrixRow:
    """One entry x judge line of the recap: a value per criterion and the sheet total."""

    entry: EntryInfo
    judge: JudgeInfo
    sheet_id: int
    cells: dict[int, MatrixCell]
    total: float | None


@dataclass
class ScoreMatrix:
    stage: Stage
    criteria: list[CriterionInfo]
    rows: list[MatrixRow]


def stage_score_matrix(board: Leaderboard) -> ScoreMatrix:
    """Every submitted score of ``board`` (made with ``sheet_scores``) as entry x judge x
    criterion, for the recap.

    Rows are ordered by entry reference then judge name; ``cells`` is keyed by
    criterion id (order given by ``criteria``); a missing score has ``value=None``.
    """
    entries = {row.entry.id: row.entry for row in board.rows}
    rows = [
        MatrixRow(
            entry=entries[s.entry_id],
            judge=JudgeInfo(s.judge_id, s.judge_name),
            sheet_id=s.id,
            cells={
                c.id: MatrixCell(s.scores.get(c.id), s.comments.get(c.id, ""))
                for c in board.criteria
            },
            total=s.total,
        )
        for s in board.sheets
    ]
    rows.sort(key=lambda r: (r.entry.reference, r.entry.id, r.judge.name, r.judge.id))
    return ScoreMatrix(stage=board.stage, criteria=board.criteria, rows=rows)
