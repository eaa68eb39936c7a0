"""Verifying a frozen result by recomputing it, not by comparing stored with stored.

``result_check`` works out, from the scores alone, every sheet's total (with the rubric
the snapshot froze), every entry's score, every figure and the final ranking, and
compares them with what the snapshot froze and with what the database stores. Every
difference is named where it is: per sheet, per entry, or per figure. Finalising and
publishing refuse a result that does not pass; ``manage.py verify_results`` runs it
nightly over every published year.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from competition import stats
from competition.models import PlacementTitle, ResultSnapshot
from competition.selectors.final_ranking import final_ranking
from competition.selectors.snapshot import canonical_json, computed_figures, payload_checksum
from competition.selectors.verification import sheet_total_mismatches


@dataclass(frozen=True)
class Difference:
    """One thing that is not what it should be: where, what, and the two values."""

    where: str
    what: str
    expected: str
    found: str


@dataclass
class ResultCheck:
    snapshot: ResultSnapshot
    intact: bool
    sheets: list[Difference] = field(default_factory=list)
    entries: list[Difference] = field(default_factory=list)
    figures: list[Difference] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.intact and not (self.sheets or self.entries or self.figures)

    @property
    def differences(self) -> list[Difference]:
        return [*self.sheets, *self.entries, *self.figures]


def _n(value, places: int = 3) -> str:
    if value is None or value == "":
        return "-"
    return formats.number_format(round(float(value), places), places)


def _frozen_rubric(stage: dict) -> list[stats.CriterionSpec]:
    criteria = sorted(stage["criteria"], key=lambda c: (c["order"], c["id"]))
    return [
        stats.CriterionSpec(c["id"], float(c["max_score"]), float(c["weight"])) for c in criteria
    ]


def _differs_from_frozen(frozen: str | None, value: float | None) -> bool:
    """Whether ``value`` is not the frozen figure, at the precision it was frozen with
    (whatever the rounding): half a unit of its last decimal apart is still the same."""
    if frozen is None or value is None:
        return (frozen is None) != (value is None)
    exact = Decimal(frozen)
    half_unit = Decimal(5).scaleb(exact.as_tuple().exponent - 1)
    return abs(exact - Decimal(repr(value))) > half_unit


def _sheet_place(sheet: dict, stage: dict, refs: dict[int, str]) -> str:
    return _("Lembar %(judge)s untuk %(ref)s (tahap “%(stage)s”)") % {
        "judge": sheet.get("judge", ""),
        "ref": refs.get(sheet["entry_id"], sheet["entry_id"]),
        "stage": stage["name"],
    }


# Figures of a stage other than its sheets and leaderboard rows, as the organiser says them.
STAGE_FIGURES = {
    "criteria": lambda: _("kriteria dan bobotnya"),
    "final_weight": lambda: _("bobot tahap dalam nilai akhir"),
    "disagreement_threshold": lambda: _("ambang perbedaan nilai antarjuri"),
    "min_entries_for_normalisation": lambda: _("minimal proposal per juri untuk normalisasi"),
    "judges": lambda: _("angka per juri"),
    "agreement": lambda: _("kesepakatan antarjuri (alfa)"),
    "stability": lambda: _("uji kestabilan tiga besar"),
    "closed_at": lambda: _("waktu penutupan tahap"),
}


def result_check(snapshot: ResultSnapshot, *, live: bool = True) -> ResultCheck:
    """Recompute ``snapshot`` and say every place where it differs.

    Always: the checksum, each frozen sheet total against its frozen scores and rubric,
    and the stored placements against the frozen ones. With ``live`` (the default) also
    today's scores: each stored total against its scores, then every figure and the
    ranking recomputed from the scores against the frozen ones. While a new version is
    being prepared the scores may rightly differ from the published version, so the
    nightly check then looks at the frozen content only.
    """
    payload = snapshot.payload
    check = ResultCheck(snapshot=snapshot, intact=payload_checksum(payload) == snapshot.checksum)
    if not check.intact:
        check.figures.append(
            Difference(
                where=_("Isi hasil yang dibekukan"),
                what=_("checksum SHA-256"),
                expected=snapshot.checksum,
                found=payload_checksum(payload),
            )
        )
    frozen = payload["computed"]
    refs = {
        r["entry"]["id"]: r["entry"]["reference"] or r["entry"]["title"] for r in frozen["ranking"]
    }
    ranking = None
    if live:
        ranking = final_ranking(
            snapshot.competition,
            chair_order=payload.get("chair_order", []),
            weights={int(k): Decimal(v) for k, v in payload["weights"].items()},
            ladder=payload["tie_break_ladder"],
            sheet_scores=True,
            recompute_totals=True,
        )
        for stage in ranking.stages:
            for row in ranking.leaderboards[stage.pk].rows:
                refs.setdefault(row.entry.id, row.entry.reference or row.entry.title)
    frozen_stages = {s["id"]: s for s in frozen["stages"]}
    rubric = {pk: _frozen_rubric(s) for pk, s in frozen_stages.items()}

    # Each frozen sheet: its frozen total must be what its frozen scores give.
    for stage in frozen["stages"]:
        specs = rubric[stage["id"]]
        for sheet in stage["sheets"]:
            scores = {int(k): float(v) for k, v in sheet["scores"].items()}
            recomputed = stats.sheet_total(scores, specs)
            frozen_total = None if sheet["total"] is None else float(sheet["total"])
            if _differs_from_frozen(sheet["total"], recomputed):
                check.sheets.append(
                    Difference(
                        where=_sheet_place(sheet, stage, refs),
                        what=_(
                            "nilai total yang dibekukan, dihitung ulang dari nilai per kriteria"
                        ),
                        expected=_n(recomputed),
                        found=_n(frozen_total),
                    )
                )
    _compare_placements(check, snapshot, refs)
    if ranking is None:
        return check
    # Each stored sheet: its stored total must be what its scores give (frozen rubric).
    for m in sheet_total_mismatches(list(frozen_stages), rubric=rubric):
        check.sheets.append(
            Difference(
                where=_("Lembar %(judge)s untuk %(ref)s (tahap “%(stage)s”)")
                % {
                    "judge": m.judge_name,
                    "ref": m.entry_reference or m.entry_title,
                    "stage": m.stage_name,
                },
                what=_("nilai total tersimpan, dihitung ulang dari nilai per kriteria"),
                expected=_n(m.recomputed),
                found=_n(m.stored),
            )
        )
    if ranking.problem:
        check.figures.append(
            Difference(where=_("Peringkat akhir"), what=ranking.problem, expected="", found="")
        )
        return check

    now = json.loads(canonical_json(computed_figures(ranking)))
    _compare_stages(check, frozen["stages"], now["stages"], refs)
    _compare_ranking(check, frozen, now, refs)
    return check


def _compare_stages(check: ResultCheck, frozen: list, now: list, refs) -> None:
    now_by_id = {s["id"]: s for s in now}
    for stage in frozen:
        current = now_by_id.get(stage["id"])
        if current is None:
            check.figures.append(
                Difference(stage["name"], _("tahap tidak lagi ada atau tidak berbobot"), "", "")
            )
            continue
        # Sheets: the frozen scores and total against the current scores and their total.
        frozen_sheets = {s["id"]: s for s in stage["sheets"]}
        now_sheets = {s["id"]: s for s in current["sheets"]}
        for sheet_id in sorted(frozen_sheets.keys() | now_sheets.keys()):
            a, b = frozen_sheets.get(sheet_id), now_sheets.get(sheet_id)
            place = _sheet_place(a or b, stage, refs)
            if a is None or b is None:
                check.sheets.append(
                    Difference(
                        place,
                        _("lembar terkirim"),
                        _("ada") if a else _("tidak ada"),
                        _("ada") if b else _("tidak ada"),
                    )
                )
                continue
            if a["scores"] != b["scores"]:
                check.sheets.append(
                    Difference(place, _("nilai per kriteria"), _scores(a), _scores(b))
                )
            if a["total"] != b["total"]:
                check.sheets.append(
                    Difference(place, _("nilai total"), _n(a["total"]), _n(b["total"]))
                )
        # Leaderboard rows: each entry's stage score and rank.
        frozen_rows = {r["entry_id"]: r for r in stage["leaderboard"]}
        now_rows = {r["entry_id"]: r for r in current["leaderboard"]}
        for entry_id in sorted(
            frozen_rows.keys() | now_rows.keys(), key=lambda e: str(refs.get(e, e))
        ):
            a, b = frozen_rows.get(entry_id, {}), now_rows.get(entry_id, {})
            place = _("%(ref)s, tahap “%(stage)s”") % {
                "ref": refs.get(entry_id, entry_id),
                "stage": stage["name"],
            }
            if a.get("score") != b.get("score"):
                check.entries.append(
                    Difference(place, _("nilai tahap"), _n(a.get("score")), _n(b.get("score")))
                )
            if a.get("rank") != b.get("rank"):
                check.entries.append(
                    Difference(
                        place,
                        _("peringkat tahap"),
                        str(a.get("rank") or "-"),
                        str(b.get("rank") or "-"),
                    )
                )
            rest = {k for k in a.keys() | b.keys() if k not in ("score", "rank")}
            if any(a.get(k) != b.get(k) for k in rest):
                check.entries.append(Difference(place, _("angka lain di papan nilai"), "", ""))
        for key, label in STAGE_FIGURES.items():
            if stage.get(key) != current.get(key):
                check.figures.append(Difference(stage["name"], label(), "", ""))


def _scores(sheet: dict) -> str:
    return "; ".join(
        _n(v, 2) for _k, v in sorted(sheet["scores"].items(), key=lambda kv: int(kv[0]))
    )


def _compare_ranking(check: ResultCheck, frozen: dict, now: dict, refs) -> None:
    frozen_rows = {r["entry"]["id"]: r for r in frozen["ranking"]}
    now_rows = {r["entry"]["id"]: r for r in now["ranking"]}
    for entry_id in sorted(frozen_rows.keys() | now_rows.keys(), key=lambda e: str(refs.get(e, e))):
        a, b = frozen_rows.get(entry_id, {}), now_rows.get(entry_id, {})
        place = str(refs.get(entry_id, entry_id))
        if a.get("final_score") != b.get("final_score"):
            check.entries.append(
                Difference(
                    place, _("nilai akhir"), _n(a.get("final_score")), _n(b.get("final_score"))
                )
            )
        if a.get("rank") != b.get("rank"):
            check.entries.append(
                Difference(
                    place,
                    _("peringkat akhir"),
                    str(a.get("rank") or "-"),
                    str(b.get("rank") or "-"),
                )
            )
        rest = {k for k in a.keys() | b.keys() if k not in ("final_score", "rank")}
        if any(a.get(k) != b.get(k) for k in rest):
            check.entries.append(
                Difference(place, _("rincian nilai akhir dan penentu seri"), "", "")
            )
    if frozen.get("top_criterion_id") != now.get("top_criterion_id"):
        check.figures.append(
            Difference(_("Peringkat akhir"), _("kriteria berbobot terbesar"), "", "")
        )
    if frozen.get("unranked") != now.get("unranked"):
        check.figures.append(
            Difference(_("Peringkat akhir"), _("proposal tanpa nilai akhir"), "", "")
        )


def _compare_placements(check: ResultCheck, snapshot: ResultSnapshot, refs) -> None:
    """The placement rows the pages print against the placements frozen in the payload."""
    frozen = {
        p["entry"]["id"]: (
            p["rank"],
            p["title"],
            Decimal(p["final_score"]).quantize(Decimal("0.001")),
        )
        for p in snapshot.payload["placements"]
    }
    stored = {p.entry_id: (p.rank, p.title, p.final_score) for p in snapshot.placements.all()}
    for entry_id in sorted(frozen.keys() | stored.keys(), key=lambda e: str(refs.get(e, e))):
        a, b = frozen.get(entry_id), stored.get(entry_id)
        if a != b:
            check.entries.append(
                Difference(
                    str(refs.get(entry_id, entry_id)),
                    _("predikat tersimpan"),
                    _placement(a),
                    _placement(b),
                )
            )


def _placement(value) -> str:
    if value is None:
        return "-"
    rank, title, score = value
    return f"{rank}. {PlacementTitle(title).label} ({_n(score)})"


def result_verify(snapshot: ResultSnapshot) -> bool:
    """Whether the snapshot is intact and recomputing it from the scores (every sheet
    total from its scores and the frozen rubric, then every figure and the ranking, with
    the snapshot's own weights, ladder and chair decision) gives what was frozen and
    what is stored. :func:`result_check` says where it differs."""
    return result_check(snapshot).ok
