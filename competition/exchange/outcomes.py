"""Outcomes come back as data: the round's organiser writes them, the source imports them.

The organiser's installation writes, for every entry it imported for a round, how far it got
(step, award label, rank, decree) keyed by the entry's reference at its source. The source
previews the file against its forwardings to that round and records every new outcome (and
so the innovations' award history) in one transaction. See docs/exchange.md.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from competition.models import (
    EntryStatus,
    Forwarding,
    ImportedEntry,
    OutcomeStep,
    PlacementTitle,
    TargetRound,
)
from competition.selectors.snapshot import published_snapshot
from competition.services.forwarding import outcome_record
from opd.models import RegionProfile

OUTCOMES_FORMAT = "kovablik-hasil"
OUTCOMES_VERSION = "1.0"

STEP_FOR_STATUS = {
    EntryStatus.SUBMITTED: OutcomeStep.REGISTERED,
    EntryStatus.RETURNED: OutcomeStep.REGISTERED,
    EntryStatus.PASSED: OutcomeStep.PASSED_ADMIN,
    EntryStatus.FAILED: OutcomeStep.NOT_SELECTED,
    EntryStatus.FINALIST: OutcomeStep.FINALIST,
}


def outcomes_document(*, round_slug: str) -> dict:
    """What became of every entry imported here for ``round_slug`` (the organiser's side)."""
    imported = list(
        ImportedEntry.objects.filter(package__round_slug=round_slug)
        .select_related("package", "entry__competition")
        .order_by("package__source_region", "source_reference")
    )
    if not imported:
        raise ValidationError(
            _("Belum ada proposal yang diimpor untuk putaran %(round)s.") % {"round": round_slug},
            code="empty",
        )
    snapshots = {}
    outcomes = []
    for item in imported:
        entry = item.entry
        if entry.competition_id not in snapshots:
            snapshots[entry.competition_id] = published_snapshot(entry.competition)
        snapshot = snapshots[entry.competition_id]
        placement = snapshot.placements.filter(entry=entry).first() if snapshot else None
        row = {
            "source_region": item.package.source_region,
            "reference": item.source_reference,
            "step": STEP_FOR_STATUS.get(entry.status, OutcomeStep.REGISTERED),
            "label": "",
            "rank": None,
            "decree_number": "",
            "occurred_on": timezone.localdate().isoformat(),
        }
        if placement is not None and placement.title != PlacementTitle.FINALIST:
            row.update(
                step=OutcomeStep.AWARDED,
                label=str(placement.get_title_display()),
                rank=placement.rank,
                decree_number=snapshot.decree_number,
                occurred_on=(snapshot.decree_date or timezone.localdate()).isoformat(),
            )
        outcomes.append(row)
    return {
        "format": OUTCOMES_FORMAT,
        "format_version": OUTCOMES_VERSION,
        "organiser_region": RegionProfile.current().full_name,
        "round": {"slug": round_slug, "name": imported[0].package.round_name},
        "outcomes": outcomes,
    }


@dataclass
class OutcomeRow:
    reference: str
    step: str
    label: str
    rank: int | None
    decree_number: str
    occurred_on: str
    forwarding: Forwarding | None = None
    problem: str = ""
    already: bool = False

    @property
    def step_label(self) -> str:
        return str(OutcomeStep(self.step).label) if self.step in OutcomeStep.values else self.step


def _parse(raw: bytes | str) -> dict:
    try:
        document = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError, TypeError) as error:
        raise ValidationError(
            _("Berkas hasil bukan JSON yang dapat dibaca."), code="json"
        ) from error
    if not isinstance(document, dict) or document.get("format") != OUTCOMES_FORMAT:
        raise ValidationError(_("Berkas ini bukan berkas hasil Kovablik."), code="format")
    if document.get("format_version") != OUTCOMES_VERSION:
        raise ValidationError(
            _("Versi format berkas hasil %(version)s tidak dikenal.")
            % {"version": document.get("format_version")},
            code="version",
        )
    return document


def outcomes_preview(raw: bytes | str) -> tuple[TargetRound, list[OutcomeRow]]:
    """Each outcome of the file beside the forwarding it updates, with what is wrong."""
    document = _parse(raw)
    target = TargetRound.objects.filter(slug=(document.get("round") or {}).get("slug")).first()
    if target is None:
        raise ValidationError(
            _("Putaran berkas hasil ini tidak ada di sini."), code="unknown_round"
        )
    here = RegionProfile.current().full_name
    forwardings = {
        f.entry.reference: f
        for f in Forwarding.objects.filter(round=target)
        .select_related("entry__innovation")
        .prefetch_related("outcomes")
    }
    rows = []
    for item in document.get("outcomes", []):
        if item.get("source_region") != here:
            continue  # another region's entry in the organiser's list
        row = OutcomeRow(
            reference=str(item.get("reference", "")),
            step=str(item.get("step", "")),
            label=str(item.get("label") or ""),
            rank=item.get("rank"),
            decree_number=str(item.get("decree_number") or ""),
            occurred_on=str(item.get("occurred_on", "")),
            forwarding=forwardings.get(str(item.get("reference", ""))),
        )
        try:
            dt.date.fromisoformat(row.occurred_on)
        except ValueError:
            row.problem = _("Tanggal %(date)s pada %(reference)s tidak sah.") % {
                "date": row.occurred_on,
                "reference": row.reference,
            }
        if row.problem:
            pass
        elif row.forwarding is None:
            row.problem = _("Tidak ada penerusan %(reference)s ke %(round)s.") % {
                "reference": row.reference,
                "round": target.name,
            }
        elif row.step not in OutcomeStep.values:
            row.problem = _("Tahap %(step)s tidak dikenal.") % {"step": row.step}
        elif row.label and target.award_labels and row.label not in target.award_labels:
            row.problem = _(
                "Predikat %(label)s belum ada dalam daftar predikat %(round)s; tambahkan di admin."
            ) % {"label": row.label, "round": target.name}
        else:
            row.already = any(
                o.step == row.step and o.label == row.label for o in row.forwarding.outcomes.all()
            )
        rows.append(row)
    return target, rows


def outcomes_import(*, raw: bytes | str, actor) -> int:
    """Record every new outcome of the file, or none if any row has a problem."""
    target, rows = outcomes_preview(raw)
    problems = [row.problem for row in rows if row.problem]
    if problems:
        raise ValidationError(problems, code="rows")
    new = [row for row in rows if not row.already]
    with transaction.atomic():
        for row in new:
            outcome_record(
                forwarding=row.forwarding,
                actor=actor,
                step=row.step,
                occurred_on=dt.date.fromisoformat(row.occurred_on),
                label=row.label,
                rank=row.rank,
                decree_number=row.decree_number,
                notes=_("Diimpor dari berkas hasil %(round)s.") % {"round": target.name},
            )
    return len(new)
