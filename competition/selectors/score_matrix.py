"""A stage's score matrix: every entry against every judge, from its leaderboard."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from competition.models import Stage
from competition.selectors.leaderboard import Leaderboard
from competition.selectors.scoring import CriterionInfo, EntryInfo, JudgeInfo


@dataclass
class MatrixRow:
    """One entry x judge line of the recap: a value per criterion (in the matrix's
    criteria order, ``None`` where missing) and the sheet total."""

    entry: EntryInfo
    judge: JudgeInfo
    sheet_id: int
    values: list[Decimal | None]
    total: float | None


@dataclass
class ScoreMatrix:
    stage: Stage
    criteria: list[CriterionInfo]
    rows: list[MatrixRow]


def stage_score_matrix(board: Leaderboard) -> ScoreMatrix:
    """Every submitted score of ``board`` (made with ``sheet_scores``) as entry x judge x
    criterion, for the recap.

    Rows are ordered by entry reference then judge name.
    """
    entries = {row.entry.id: row.entry for row in board.rows}
    criterion_ids = [c.id for c in board.criteria]
    judges: dict[int, JudgeInfo] = {}
    rows = []
    for s in board.sheets:
        judge = judges.get(s.judge_id)
        if judge is None:
            judge = judges[s.judge_id] = JudgeInfo(s.judge_id, s.judge_name)
        scores = s.scores
        rows.append(
            MatrixRow(
                entries[s.entry_id], judge, s.id, [scores.get(c) for c in criterion_ids], s.total
            )
        )
    rows.sort(key=lambda r: (r.entry.reference, r.entry.id, r.judge.name, r.judge.id))
    return ScoreMatrix(stage=board.stage, criteria=board.criteria, rows=rows)
