"""Writes for the frozen result and its publication.

The result is frozen in a :class:`~competition.models.ResultSnapshot` whose payload
holds the method, the weights, the tie-break ladder, every input sheet and every
computed figure, sealed by a SHA-256 checksum of its canonical JSON
(:mod:`competition.selectors.snapshot`). A snapshot and its placements are never
changed: a new decision is a new version with a reason.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from competition import stats
from competition.models import (
    Award,
    AwardLevel,
    Competition,
    EntryStatus,
    Placement,
    PlacementTitle,
    ResultSnapshot,
)
from competition.selectors.final_ranking import FinalRanking, final_ranking
from competition.selectors.finalise import finalise_blockers
from competition.selectors.snapshot import (
    METHOD,
    PAYLOAD_FORMAT,
    canonical_json,
    computed_figures,
    entry_figures,
    payload_checksum,
    stored_figure,
)
from competition.services.freeze import result_revision_close
from competition.services.verification import result_verify
from opd.models import RegionProfile


def _default_placements(ranking: FinalRanking, harapan: int) -> list[tuple[int, str]]:
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


def _check_override(ranking: FinalRanking, override) -> list[tuple[int, str]]:
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
        ranking = final_ranking(competition, chair_order=list(chair_order), sheet_scores=True)
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
                "entry": entry_figures(rows[e].entry),
                "rank": position,
                "title": str(title),
                "final_score": stored_figure(rows[e].final_score),
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
