"""Writes for the path to province and nation: forwarding a placed entry, cancelling
it, and the outcomes (with the awards they make) recorded there.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from competition.models import (
    Award,
    AwardLevel,
    Competition,
    Entry,
    Forwarding,
    ForwardingLevel,
    Outcome,
    OutcomeStep,
)
from competition.selectors.snapshot import published_snapshot


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
