"""Before a result is frozen: what stands in the way of finalising a ranking, stage by
stage, and the placements the organiser's named winners amount to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _

from competition import stats
from competition.models import EntryStatus, PlacementTitle, ScoreSheet, Stage
from competition.selectors.final_ranking import FinalRanking
from competition.selectors.leaderboard import Leaderboard
from competition.selectors.verification import sheet_total_mismatches


def moderation_blocker(stage: Stage, board: Leaderboard) -> ValidationError | None:
    missing = board.flagged_without_note
    if not missing:
        return None
    return ValidationError(
        _(
            "Tahap “%(stage)s” belum dapat difinalkan: %(n)s proposal dengan perbedaan "
            "nilai antarjuri yang besar belum diberi catatan moderasi (%(refs)s)."
        )
        % {
            "stage": stage.name,
            "n": len(missing),
            "refs": ", ".join(r.entry.reference or r.entry.title for r in missing),
        },
        code="moderation_missing",
    )


@dataclass(frozen=True)
class Blocker:
    stage: Stage
    error: ValidationError

    @property
    def message(self) -> str:
        return " ".join(self.error.messages)


def finalise_blockers(ranking: FinalRanking) -> list[Blocker]:
    """What stands in the way of finalising, stage by stage: the final ranking page lists
    it before anyone tries, and ``result_finalise`` refuses with the first."""
    blockers = []
    for stage in ranking.stages:
        board = ranking.leaderboards[stage.pk]
        if not stage.is_frozen:
            error = ValidationError(
                _(
                    "Tahap “%(stage)s” belum ditutup. Tutup tahap itu dulu agar nilai "
                    "tidak berubah lagi."
                )
                % {"stage": stage.name},
                code="stage_open",
            )
            blockers.append(Blocker(stage, error))
        if not board.weights_ok:
            error = ValidationError(
                _(
                    "Bobot kriteria tahap “%(stage)s” berjumlah %(total)s%%, harus tepat "
                    "100%%. Perbaiki bobot kriteria sebelum menetapkan hasil."
                )
                % {"stage": stage.name, "total": board.weight_total},
                code="criteria_weights",
            )
            blockers.append(Blocker(stage, error))
        moderation = moderation_blocker(stage, board)
        if moderation is not None:
            blockers.append(Blocker(stage, moderation))
    # The stages' criteria as the ranking read them: the totals check needs no query of
    # its own for them.
    rubric = {
        s.pk: [
            stats.CriterionSpec(c.id, float(c.max_score), float(c.weight))
            for c in ranking.leaderboards[s.pk].criteria
        ]
        for s in ranking.stages
    }
    blockers += _sheet_blockers(ranking.stages, rubric)
    return blockers


def _sheet_blockers(
    stages: Sequence[Stage], rubric: dict[int, list[stats.CriterionSpec]]
) -> list[Blocker]:
    """Sheets that must not enter a result: a stored total its scores do not give (one
    blocker per sheet), and a sheet reopened after its stage closed and not yet sent."""
    by_id = {s.pk: s for s in stages}
    blockers = []
    for m in sheet_total_mismatches(list(by_id), rubric=rubric):
        error = ValidationError(
            _(
                "Lembar %(judge)s untuk %(ref)s (tahap “%(stage)s”): nilai total tersimpan "
                "%(stored)s, dihitung ulang dari nilai per kriteria %(recomputed)s. Nilai "
                "total itu diubah di luar portal; hasil tidak dapat difinalkan atau "
                "diumumkan sebelum diperbaiki."
            )
            % {
                "judge": m.judge_name,
                "ref": m.entry_reference or m.entry_title,
                "stage": m.stage_name,
                "stored": _shown(m.stored),
                "recomputed": _shown(m.recomputed),
            },
            code="sheet_total_mismatch",
        )
        blockers.append(Blocker(by_id[m.stage_id], error))
    reopened = (
        ScoreSheet.objects.reopened()
        .filter(stage_id__in=list(by_id))
        .select_related("entry", "judge")
        .order_by("stage_id", "entry__reference", "pk")
    )
    for sheet in reopened:
        error = ValidationError(
            _(
                "Lembar %(judge)s untuk %(ref)s dibuka kembali dan belum dikirim ulang. "
                "Minta juri mengirimnya sebelum hasil difinalkan."
            )
            % {"judge": sheet.judge.full_name, "ref": sheet.entry.reference or sheet.entry},
            code="sheet_reopened",
        )
        blockers.append(Blocker(by_id[sheet.stage_id], error))
    return blockers


def _shown(value: float | None) -> str:
    return "-" if value is None else formats.number_format(round(value, 3), 3)


def placements_for_winners(
    ranking: FinalRanking, winners: Sequence[tuple[int, str]]
) -> list[tuple[int, str]] | None:
    """The placements override for the winners the organiser named (entry id, title in
    rank order), or ``None`` when they are simply the top of the ranking: only a real
    departure from the scores needs a reason. Other finalists stay Finalis."""
    if [e for e, _t in winners] == [r.entry.id for r in ranking.rows[: len(winners)]]:
        return None
    winner_ids = {e for e, _t in winners}
    return list(winners) + [
        (r.entry.id, PlacementTitle.FINALIST)
        for r in ranking.rows
        if r.entry.id not in winner_ids and r.entry.status == EntryStatus.FINALIST
    ]
