"""Writes for results: moderation, finalists, the presentation schedule, the frozen
result and its publication, and the path to province and nation.

The result is frozen in a :class:`~competition.models.ResultSnapshot` whose payload
holds the method, the weights, the tie-break ladder, every input sheet and every
computed figure, sealed by a SHA-256 checksum of its canonical JSON. A snapshot and its
placements are never changed: a new decision is a new version with a reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from competition import stats
from competition.models import (
    Award,
    AwardLevel,
    Competition,
    Entry,
    EntryStatus,
    Forwarding,
    ForwardingLevel,
    ModerationNote,
    Outcome,
    OutcomeStep,
    Placement,
    PlacementTitle,
    PresentationSlot,
    ResultSnapshot,
    ScoreSheet,
    Stage,
)
from competition.selectors import results as selectors
from competition.selectors.verification import sheet_total_mismatches
from competition.services.freeze import result_revision_close, year_check_editable
from competition.services.status import entry_set_status
from opd.models import RegionProfile

PAYLOAD_FORMAT = 1

METHOD = {
    "sheet_total": "sum over criteria of score / max_score x weight (weights sum to 100)",
    "entry_score": "mean of the weighted totals of submitted sheets; incomplete when fewer "
    "submitted sheets than assigned judges",
    "spread": "sample standard deviation (n - 1) and range of sheet totals",
    "normalised": "per judge z-score over the stage, averaged per entry, then rescaled to "
    "the mean and sample sd of the same entries' raw scores (equal to the raw score when "
    "judges agree exactly); shown only when every judge of the entry scored at least "
    "min_entries_for_normalisation entries",
    "agreement": "Krippendorff's alpha, interval metric, entries x judges, missing allowed; "
    "reading taken from alpha rounded half-up to 3 decimals",
    "stability": "top three recomputed leaving out each judge's sheets in turn; equal "
    "scores keep the leaderboard's order; a change of set or of order is reported",
    "final_score": "sum over stages of stage score x stage weight / 100",
    "ties": "stage and final scores compared rounded half-up to 3 decimals, then the "
    "tie-break ladder in order",
    "rounding": "figures stored with 6 decimals, shown and compared rounded half-up "
    "(scores and alpha 3 decimals, spread and means 2)",
}


def _num(value) -> str | None:
    if value is None:
        return None
    return str(stats.half_up(value, stats.STORED_PLACES))


def canonical_json(payload: dict) -> str:
    """Sorted keys, no spaces, decimals as strings: the same bytes for the same result."""

    def default(value):
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, dt.datetime | dt.date):
            return value.isoformat()
        raise TypeError(type(value))

    return json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=default
    )


def payload_checksum(payload: dict) -> str:
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()


def _entry(e: selectors.EntryInfo) -> dict:
    return {
        "id": e.id,
        "reference": e.reference,
        "title": e.title,
        "brand_name": e.brand_name,
        "agency_id": e.agency_id,
        "agency": e.agency_name,
    }


def _stage_figures(board: selectors.Leaderboard) -> dict:
    stage = board.stage
    return {
        "id": stage.pk,
        "name": stage.name,
        "kind": stage.kind,
        "order": stage.order,
        "final_weight": str(stage.final_weight),
        "closed_at": stage.closed_at.isoformat() if stage.closed_at else None,
        "disagreement_threshold": str(board.threshold),
        "min_entries_for_normalisation": board.min_entries_for_normalisation,
        "criteria": [
            {
                "id": c.id,
                "label": c.label,
                "order": c.order,
                "weight": str(c.weight),
                "min_score": str(c.min_score),
                "max_score": str(c.max_score),
            }
            for c in board.criteria
        ],
        "sheets": [
            {
                "id": s.id,
                "entry_id": s.entry_id,
                "judge_id": s.judge_id,
                "judge": s.judge_name,
                "scores": {str(k): str(v) for k, v in sorted(s.scores.items())},
                "total": _num(s.total),
            }
            for s in board.sheets
        ],
        "leaderboard": [
            {
                "entry_id": r.entry.id,
                "rank": r.rank,
                "score": _num(r.score),
                "incomplete": r.incomplete,
                "n_sheets": r.n_sheets,
                "n_assigned": r.n_assigned,
                "criterion_means": {str(k): _num(v) for k, v in r.criterion_means.items()},
                "sd": _num(r.sd),
                "range": _num(r.range),
                "flagged": r.flagged,
                "normalised": _num(r.normalised),
                "moderation_note": r.has_moderation_note,
            }
            for r in board.rows
        ],
        "judges": [
            {
                "judge_id": j.judge.id,
                "judge": j.judge.name,
                "n_entries": j.n_entries,
                "mean": _num(j.mean),
                "sd": _num(j.sd),
                "leniency": _num(j.leniency),
                "n_shared": j.n_shared,
            }
            for j in board.judges
        ],
        "agreement": {
            "alpha": _num(board.agreement.alpha),
            "reading": board.agreement.reading,
            "n_units": board.agreement.n_units,
            "n_values": board.agreement.n_values,
        },
        "stability": {
            "top": [e.id for e in board.top],
            "without_judge": [
                {
                    "judge_id": s.judge.id,
                    "top": [e.id for e in s.top],
                    "changed": s.changed,
                    "order_changed": s.order_changed,
                }
                for s in board.stability
            ],
        },
    }


def computed_figures(ranking: selectors.FinalRanking) -> dict:
    """Every figure of a final ranking as JSON-ready data: what recomputation must match."""
    top = ranking.top_criterion
    return {
        "stages": [_stage_figures(ranking.leaderboards[s.pk]) for s in ranking.stages],
        "top_criterion_id": top.id if top else None,
        "ranking": [
            {
                "entry": _entry(r.entry),
                "rank": r.rank,
                "final_score": _num(r.final_score),
                "parts": [
                    {
                        "stage_id": p.stage_id,
                        "score": _num(p.score),
                        "weight": _num(p.weight),
                        "contribution": _num(p.contribution),
                    }
                    for p in r.parts
                ],
                "tied": r.tied,
                "broken_by": r.broken_by,
                "tie_group": r.tie_group,
                "top_criterion": _num(r.top_criterion),
                "first_places": r.first_places,
            }
            for r in ranking.rows
        ],
        "unranked": [e.id for e in ranking.unranked],
    }


# --- moderation, finalists, schedule -------------------------------------------------


def moderation_note_add(*, stage: Stage, entry: Entry, actor, note: str) -> ModerationNote:
    """Record what the panel decided about an entry the judges disagreed on."""
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("Tuliskan keputusan panel dan alasannya."), code="empty")
    if entry.competition_id != stage.competition_id:
        raise ValidationError(_("Proposal ini bukan bagian dari tahap tersebut."), code="stage")
    year_check_editable(competition_id=stage.competition_id, what=_("catatan moderasi"))
    return ModerationNote.objects.create(stage=stage, entry=entry, note=note, author=actor)


def _moderation_blocker(stage: Stage, board: selectors.Leaderboard) -> ValidationError | None:
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


def _require_moderation(stage: Stage, board: selectors.Leaderboard) -> None:
    blocker = _moderation_blocker(stage, board)
    if blocker is not None:
        raise blocker


@dataclass(frozen=True)
class Blocker:
    stage: Stage
    error: ValidationError

    @property
    def message(self) -> str:
        return " ".join(self.error.messages)


def finalise_blockers(ranking: selectors.FinalRanking) -> list[Blocker]:
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
        moderation = _moderation_blocker(stage, board)
        if moderation is not None:
            blockers.append(Blocker(stage, moderation))
    blockers += _sheet_blockers(ranking.stages)
    return blockers


def _sheet_blockers(stages: Sequence[Stage]) -> list[Blocker]:
    """Sheets that must not enter a result: a stored total its scores do not give (one
    blocker per sheet), and a sheet reopened after its stage closed and not yet sent."""
    by_id = {s.pk: s for s in stages}
    blockers = []
    for m in sheet_total_mismatches(list(by_id)):
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


def finalists_select(
    *,
    stage: Stage,
    actor,
    entry_ids: Sequence[int] = (),
    top_n: int | None = None,
    reason: str = "",
) -> list[Entry]:
    """Move entries to FINALIST from the leaderboard of ``stage``.

    Either the ``top_n`` best complete entries, or hand-picked ``entry_ids``; a pick
    other than the top of the leaderboard needs a ``reason``, recorded on each status
    change. Entries already finalist are left as they are (a double submit is harmless).
    Without a pick, ``top_n`` defaults to the competition's finalist count. Refused once
    the year is finalised.
    """
    year_check_editable(competition_id=stage.competition_id, what=_("daftar finalis"))
    if top_n is None and not entry_ids:
        top_n = stage.competition.finalist_count
    board = selectors.stage_leaderboard(stage, criterion_means=False)
    _require_moderation(stage, board)
    ranked = [r for r in board.rows if r.score is not None]
    if top_n is not None:
        if top_n < 1:
            raise ValidationError(_("Jumlah finalis minimal 1."), code="top_n")
        chosen = [r.entry.id for r in ranked[:top_n]]
    else:
        chosen = list(dict.fromkeys(entry_ids))
    if not chosen:
        raise ValidationError(_("Pilih setidaknya satu proposal sebagai finalis."), code="empty")
    by_id = {r.entry.id: r for r in board.rows}
    for entry_id in chosen:
        row = by_id.get(entry_id)
        if row is None:
            raise ValidationError(_("Proposal yang dipilih tidak dinilai pada tahap ini."))
        if row.score is None:
            raise ValidationError(
                _("Proposal %(ref)s belum lengkap dinilai; tunggu semua juri mengirim nilai.")
                % {"ref": row.entry.reference or row.entry.title},
                code="incomplete",
            )
    is_top = set(chosen) == {r.entry.id for r in ranked[: len(chosen)]}
    reason = (reason or "").strip()
    if not is_top and not reason:
        raise ValidationError(
            _(
                "Pilihan finalis berbeda dari urutan nilai tertinggi. Tuliskan alasannya "
                "agar dapat dipertanggungjawabkan."
            ),
            code="reason_required",
        )
    if not reason:
        reason = _("Finalis %(n)s besar tahap %(stage)s.") % {
            "n": len(chosen),
            "stage": stage.name,
        }
    moved = []
    with transaction.atomic():
        for entry in Entry.objects.filter(pk__in=chosen).order_by("pk"):
            if entry.status == EntryStatus.FINALIST:
                continue
            moved.append(
                entry_set_status(
                    entry=entry, to_status=EntryStatus.FINALIST, actor=actor, reason=reason
                )
            )
    return moved


def finalist_remove(*, entry: Entry, actor, reason: str) -> Entry:
    """Take an entry back out of the finalists (with a reason) before the presentation."""
    if not (reason or "").strip():
        raise ValidationError(_("Tuliskan alasan membatalkan finalis."), code="reason_required")
    year_check_editable(competition_id=entry.competition_id, what=_("daftar finalis"))
    with transaction.atomic():
        PresentationSlot.objects.filter(entry=entry).delete()
        return entry_set_status(
            entry=entry, to_status=EntryStatus.PASSED, actor=actor, reason=reason.strip()
        )


def slot_set(
    *,
    stage: Stage,
    entry: Entry,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    actor,
    room: str = "",
) -> PresentationSlot:
    """Give a finalist a presentation slot; slots of one stage never overlap.

    One jury hears every presentation, so two slots may not overlap even in different
    rooms. Setting a slot again moves it.
    """
    if entry.competition_id != stage.competition_id:
        raise ValidationError(_("Proposal ini bukan bagian dari kompetisi tahap tersebut."))
    if entry.status != EntryStatus.FINALIST:
        raise ValidationError(_("Hanya finalis yang mendapat jadwal presentasi."), code="status")
    if ends_at <= starts_at:
        raise ValidationError(_("Waktu selesai harus setelah waktu mulai."), code="order")
    with transaction.atomic():
        Stage.objects.select_for_update().get(pk=stage.pk)
        clash = (
            PresentationSlot.objects.filter(
                stage=stage, starts_at__lt=ends_at, ends_at__gt=starts_at
            )
            .exclude(entry=entry)
            .select_related("entry")
            .first()
        )
        if clash is not None:
            local = timezone.localtime(clash.starts_at)
            raise ValidationError(
                _("Jadwal bertabrakan dengan %(ref)s pukul %(time)s. Pilih waktu lain.")
                % {"ref": clash.entry, "time": formats.date_format(local, "DATETIME_FORMAT")},
                code="overlap",
            )
        slot, _created = PresentationSlot.objects.update_or_create(
            stage=stage,
            entry=entry,
            defaults={"starts_at": starts_at, "ends_at": ends_at, "room": room},
        )
    return slot


# --- the frozen result ---------------------------------------------------------------


def _default_placements(ranking: selectors.FinalRanking, harapan: int) -> list[tuple[int, str]]:
    titles = [*PlacementTitle.JUARA, *PlacementTitle.HARAPAN[:harapan]]
    chosen = ranking.rows[: len(titles)]
    if any(r.tied for r in chosen):
        raise ValidationError(
            _(
                "Masih ada nilai seri yang belum terpecahkan di posisi juara. Catat keputusan "
                "ketua dewan juri (urutan proposal yang seri) lalu finalkan lagi."
            ),
            code="unresolved_tie",
        )
    placements = [(r.entry.id, t) for r, t in zip(chosen, titles, strict=False)]
    placements += [
        (r.entry.id, PlacementTitle.FINALIST)
        for r in ranking.rows[len(titles) :]
        if r.entry.status == EntryStatus.FINALIST
    ]
    return placements


def placements_for_winners(
    ranking: selectors.FinalRanking, winners: Sequence[tuple[int, str]]
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


def _check_override(ranking: selectors.FinalRanking, override) -> list[tuple[int, str]]:
    ranked = {r.entry.id for r in ranking.rows}
    ids = [e for e, _t in override]
    titles = [t for _e, t in override if t != PlacementTitle.FINALIST]
    if len(set(ids)) != len(ids) or len(set(titles)) != len(titles):
        raise ValidationError(_("Setiap proposal dan setiap predikat juara hanya boleh sekali."))
    if not set(ids) <= ranked:
        raise ValidationError(
            _("Hanya proposal yang memiliki nilai akhir yang dapat diberi predikat.")
        )
    if any(t not in PlacementTitle.values for t in titles):
        raise ValidationError(_("Predikat tidak dikenal."))
    if PlacementTitle.JUARA_1 not in titles:
        raise ValidationError(_("Tentukan proposal yang menjadi Juara I."), code="no_winner")
    return [(e, PlacementTitle(t)) for e, t in override]


def _prize(competition: Competition, title: str) -> int:
    return {
        PlacementTitle.JUARA_1: competition.prize_first,
        PlacementTitle.JUARA_2: competition.prize_second,
        PlacementTitle.JUARA_3: competition.prize_third,
    }.get(title, 0)


def result_finalise(
    *,
    competition: Competition,
    actor,
    decree_number: str,
    decree_date: dt.date,
    placements_override: Sequence[tuple[int, str]] | None = None,
    reason: str = "",
    harapan: int = 0,
    chair_order: Sequence[int] = (),
) -> ResultSnapshot:
    """Freeze the final ranking as a new snapshot version with its placements.

    Refuses while a weighted stage is still open, a flagged entry lacks a moderation
    note, the stage weights do not add up to 100, or a tie at a winning position is
    unresolved. By default ranks 1-3 become Juara I-III, the next ``harapan`` (0-3)
    Harapan I-III, and other ranked finalists Finalis. ``placements_override`` is a
    list of (entry id, ``PlacementTitle``) in rank order that replaces this and needs a
    ``reason``. ``chair_order`` (entry ids, best first) is the chair's decision on ties.
    A second version always needs a reason; the same result submitted twice returns the
    existing snapshot.
    """
    decree_number = (decree_number or "").strip()
    reason = (reason or "").strip()
    if not decree_number or not decree_date:
        raise ValidationError(
            _("Isi nomor dan tanggal SK %(head)s tentang penetapan pemenang.")
            % {"head": RegionProfile.current().head},
            code="decree",
        )
    if not 0 <= harapan <= len(PlacementTitle.HARAPAN):
        raise ValidationError(_("Juara harapan paling banyak tiga."), code="harapan")
    with transaction.atomic():
        competition = Competition.objects.select_for_update().get(pk=competition.pk)
        if not reason and competition.results_revision_opened_at is not None:
            # The new version opened with a reason is finalised with that reason.
            reason = competition.results_revision_reason
        ranking = selectors.final_ranking(
            competition, chair_order=list(chair_order), sheet_scores=True
        )
        if ranking.problem:
            raise ValidationError(ranking.problem, code="method")
        blockers = finalise_blockers(ranking)
        if blockers:
            raise blockers[0].error
        if not ranking.rows:
            raise ValidationError(_("Belum ada proposal dengan nilai akhir."), code="empty")
        if placements_override:
            if not reason:
                raise ValidationError(
                    _("Penetapan yang berbeda dari urutan nilai memerlukan alasan."),
                    code="reason_required",
                )
            placements = _check_override(ranking, placements_override)
        else:
            placements = _default_placements(ranking, harapan)

        rows = {r.entry.id: r for r in ranking.rows}
        placement_data = [
            {
                "entry": _entry(rows[e].entry),
                "rank": position,
                "title": str(title),
                "final_score": _num(rows[e].final_score),
                "prize": _prize(competition, title),
            }
            for position, (e, title) in enumerate(placements, start=1)
        ]
        payload = {
            "format": PAYLOAD_FORMAT,
            "competition": {
                "id": competition.pk,
                "year": competition.year,
                "name": competition.name,
            },
            "method": METHOD,
            "weights": {str(s.pk): str(ranking.weights[s.pk]) for s in ranking.stages},
            "tie_break_ladder": ranking.ladder,
            "chair_order": list(chair_order),
            "override": bool(placements_override),
            "decree": {"number": decree_number, "date": decree_date.isoformat()},
            "computed": computed_figures(ranking),
            "placements": placement_data,
        }
        checksum = payload_checksum(payload)
        latest = competition.snapshots.order_by("-version").first()
        if latest is not None and latest.checksum == checksum:
            result_revision_close(competition=competition, actor=actor, reason=reason)
            return latest
        version = (latest.version + 1) if latest else 1
        if version > 1 and not reason:
            raise ValidationError(
                _(
                    "Hasil sudah pernah difinalkan (versi %(v)s). Perubahan memerlukan alasan; "
                    "versi lama tetap tersimpan dan terlihat."
                )
                % {"v": latest.version},
                code="reason_required",
            )
        snapshot = ResultSnapshot.objects.create(
            competition=competition,
            version=version,
            payload=json.loads(canonical_json(payload)),
            checksum=checksum,
            reason=reason,
            decree_number=decree_number,
            decree_date=decree_date,
            created_by=actor,
        )
        Placement.objects.bulk_create(
            Placement(
                snapshot=snapshot,
                entry_id=p["entry"]["id"],
                rank=p["rank"],
                title=p["title"],
                final_score=stats.score_shown(p["final_score"]),
                prize=p["prize"],
            )
            for p in placement_data
        )
        result_revision_close(
            competition=competition,
            actor=actor,
            reason=_("Hasil difinalkan sebagai versi %(v)s.") % {"v": version},
        )
    return snapshot


def result_verify(snapshot: ResultSnapshot) -> bool:
    """Whether the snapshot is intact and recomputing it from the scores (every sheet
    total from its scores and the frozen rubric, then every figure and the ranking, with
    the snapshot's own weights, ladder and chair decision) gives what was frozen and
    what is stored. :func:`competition.services.verification.result_check` says where
    it differs."""
    from competition.services.verification import result_check

    return result_check(snapshot).ok


def _sync_city_awards(snapshot: ResultSnapshot) -> None:
    """The published winners become the city line of their innovations' award history.

    Juara I-III count as top winners (next year's eligibility warns about them); a new
    published version replaces the year's city lines.
    """
    competition = snapshot.competition
    placements = list(
        snapshot.placements.filter(title__in=PlacementTitle.WINNING).select_related("entry")
    )
    Award.objects.filter(
        level=AwardLevel.CITY,
        year=competition.year,
        outcome__isnull=True,
        innovation__entries__competition=competition,
    ).delete()
    Award.objects.bulk_create(
        Award(
            innovation_id=p.entry.innovation_id,
            level=AwardLevel.CITY,
            year=competition.year,
            label=str(PlacementTitle(p.title).label),
            rank=p.rank,
            is_top_winner=p.title in PlacementTitle.JUARA,
            decree_number=snapshot.decree_number,
            decree_date=snapshot.decree_date,
            prize=p.prize or None,
        )
        for p in placements
    )


def result_publish(*, snapshot: ResultSnapshot, actor) -> ResultSnapshot:
    """Announce a finalised result: the public pages and OPD staff then see it.

    Only the latest version can be published; publishing twice changes nothing.
    """
    with transaction.atomic():
        locked = ResultSnapshot.objects.select_for_update().get(pk=snapshot.pk)
        latest = (
            ResultSnapshot.objects.filter(competition_id=locked.competition_id)
            .order_by("-version")
            .first()
        )
        if latest.pk != locked.pk:
            raise ValidationError(
                _("Hanya versi terbaru (versi %(v)s) yang dapat diumumkan.")
                % {"v": latest.version},
                code="not_latest",
            )
        if locked.published_at is None:
            if not result_verify(locked):
                raise ValidationError(
                    _(
                        "Hasil versi %(v)s tidak lolos verifikasi: angka yang dihitung ulang "
                        "dari lembar nilai tidak sama dengan yang dibekukan atau tersimpan. "
                        "Hasil ini tidak dapat diumumkan; lihat perbedaannya per lembar."
                    )
                    % {"v": locked.version},
                    code="not_verified",
                )
            locked.published_at = timezone.now()
            locked.save(update_fields=["published_at"])
            _sync_city_awards(locked)
    snapshot.refresh_from_db()
    return snapshot


def published_snapshot(competition: Competition) -> ResultSnapshot | None:
    """The result the public sees: the latest published version."""
    return competition.snapshots.filter(published_at__isnull=False).order_by("-version").first()


# --- province and nation -------------------------------------------------------------


def entry_forward(*, entry: Entry, level: str, actor, notes: str = "") -> Forwarding:
    """Mark a placed entry as forwarded to the province or KIPP, within the quota.

    The entry must hold a placement in the published result; at most
    ``competition.forward_quota`` entries per level. Forwarding twice returns the
    existing record.
    """
    if level not in ForwardingLevel.values:
        raise ValidationError(_("Tingkat penerusan tidak dikenal."))
    with transaction.atomic():
        competition = Competition.objects.select_for_update().get(pk=entry.competition_id)
        existing = Forwarding.objects.filter(entry=entry, level=level).first()
        if existing is not None:
            return existing
        snapshot = published_snapshot(competition)
        if snapshot is None or not snapshot.placements.filter(entry=entry).exists():
            raise ValidationError(
                _("Hanya proposal dalam hasil akhir yang sudah diumumkan yang dapat diteruskan."),
                code="not_placed",
            )
        used = Forwarding.objects.filter(entry__competition=competition, level=level).count()
        if used >= competition.forward_quota:
            raise ValidationError(
                _(
                    "Kuota penerusan ke %(level)s sudah penuh (%(quota)s proposal). Batalkan "
                    "penerusan lain atau ubah kuota di pengaturan kompetisi."
                )
                % {"level": ForwardingLevel(level).label, "quota": competition.forward_quota},
                code="quota",
            )
        forwarding = Forwarding(
            entry=entry, level=level, forwarded_by=actor, notes=(notes or "").strip()
        )
        forwarding._history_user = actor
        forwarding.save()
        return forwarding


def forwarding_cancel(*, forwarding: Forwarding, actor) -> None:
    """Undo a forwarding recorded by mistake, while no outcome has been recorded.

    The forwarding row is locked, as ``outcome_record`` locks it, so that an outcome
    recorded in another tab at the same moment is not deleted with it. Its history keeps
    who cancelled it.
    """
    with transaction.atomic():
        locked = Forwarding.objects.select_for_update().filter(pk=forwarding.pk).first()
        if locked is None:
            return
        if locked.outcomes.exists():
            raise ValidationError(
                _("Penerusan yang sudah memiliki catatan hasil tidak dapat dibatalkan."),
                code="has_outcomes",
            )
        locked._history_user = actor
        locked.delete()


AWARD_LEVEL = {
    ForwardingLevel.PROVINCE: AwardLevel.PROVINCE,
    ForwardingLevel.NATIONAL: AwardLevel.NATIONAL,
}


def outcome_record(
    *,
    forwarding: Forwarding,
    actor,
    step: str,
    occurred_on: dt.date,
    label: str = "",
    rank: int | None = None,
    decree_number: str = "",
    notes: str = "",
    evidence=None,
    is_top_winner: bool = False,
    is_top_99: bool = False,
    round_step: str = "",
) -> Outcome:
    """Record a step of a forwarded entry at the next level.

    An AWARDED step writes the innovation's award history: one :class:`Award` per
    forwarding, created or updated, whose ``is_top_winner`` / ``is_top_99`` flags drive
    next year's eligibility warnings.
    """
    if step not in OutcomeStep.values:
        raise ValidationError(_("Tahap hasil tidak dikenal."))
    label = (label or "").strip()
    if step == OutcomeStep.AWARDED and not label:
        raise ValidationError(
            _("Tuliskan predikat penghargaan, misalnya Top 45 Kovablik atau Top 99."),
            code="label",
        )
    round_step = (round_step or "").strip()
    with transaction.atomic():
        # Locked against forwarding_cancel, which deletes the forwarding with its outcomes.
        forwarding = (
            # Only the forwarding's row: PostgreSQL cannot lock the nullable side (round).
            Forwarding.objects.select_for_update(of=("self",))
            .select_related("entry", "round")
            .get(pk=forwarding.pk)
        )
        _check_round_vocabulary(forwarding, label=label, round_step=round_step)
        outcome = Outcome(
            forwarding=forwarding,
            step=step,
            round_step=round_step,
            label=label,
            rank=rank,
            decree_number=(decree_number or "").strip(),
            occurred_on=occurred_on,
            notes=(notes or "").strip(),
            evidence=evidence or "",
            recorded_by=actor,
        )
        outcome._history_user = actor
        outcome.save()
        if step == OutcomeStep.AWARDED:
            # One award per forwarding: a later award (Top 99, then Top 45) replaces it.
            award = Award.objects.filter(outcome__forwarding=forwarding).first() or Award(
                innovation_id=forwarding.entry.innovation_id
            )
            award.is_top_winner = is_top_winner
            award.is_top_99 = is_top_99
            _award_follow(award, outcome, actor)
    return outcome


def _check_round_vocabulary(forwarding: Forwarding, *, label: str, round_step: str) -> None:
    """A round's outcome uses the round's own words: its steps and its award labels."""
    target = forwarding.round
    if target is None:
        return
    if label and target.award_labels and label not in target.award_labels:
        raise ValidationError(
            _("Predikat %(label)s tidak ada dalam daftar predikat %(round)s: %(labels)s.")
            % {"label": label, "round": target.name, "labels": ", ".join(target.award_labels)},
            code="label",
        )
    if round_step and target.steps and round_step not in target.steps:
        raise ValidationError(
            _("Tahap %(step)s tidak ada dalam tahapan %(round)s.")
            % {"step": round_step, "round": target.name},
            code="round_step",
        )


def _award_follow(award: Award, outcome: Outcome, actor) -> None:
    """Write what the outcome says into the award it made (its flags are the caller's)."""
    award.level = AWARD_LEVEL[outcome.forwarding.level]
    award.year = outcome.occurred_on.year
    award.label = outcome.label
    award.rank = outcome.rank
    award.decree_number = outcome.decree_number
    award.decree_date = outcome.occurred_on
    award.notes = outcome.notes
    award.outcome = outcome
    award._history_user = actor
    award.save()


def outcome_correct(*, outcome: Outcome, actor) -> Outcome:
    """Save an outcome corrected in the admin, and the award history with it.

    An outcome still AWARDED updates the award it made (created, with no top flags, if
    it had none); one corrected away from AWARDED takes its award out of the
    innovation's history, so next year's eligibility warnings follow the correction.
    """
    if outcome.step == OutcomeStep.AWARDED and not outcome.label.strip():
        raise ValidationError(
            {"label": _("Tuliskan predikat penghargaan, misalnya Top 45 Kovablik atau Top 99.")},
            code="label",
        )
    with transaction.atomic():
        forwarding = (
            Forwarding.objects.select_for_update()
            .select_related("entry")
            .get(pk=outcome.forwarding_id)
        )
        outcome.forwarding = forwarding
        outcome._history_user = actor
        outcome.save()
        award = Award.objects.filter(outcome=outcome).first()
        if outcome.step == OutcomeStep.AWARDED:
            _award_follow(
                award or Award(innovation_id=forwarding.entry.innovation_id), outcome, actor
            )
        elif award is not None:
            award._history_user = actor
            award.delete()
    return outcome
