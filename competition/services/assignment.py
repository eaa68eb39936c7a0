"""Assigning judges to entries: one by one, a category to a panel, or automatically.

No path creates a conflicted pair: every write checks ``conflict_pairs`` inside the
transaction. Judges are told of their new assignments in one e-mail per batch, sent
after the transaction commits.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from competition.assignment import SHORT_CONFLICTS, plan_assignments
from competition.models import Assignment, Category, Entry, ScoreSheet, SheetStatus, Stage
from competition.selectors.judging import (
    conflict_pairs,
    judge_loads,
    judges_available,
    stage_eligible_entries,
    stage_eligible_statuses,
)
from competition.services.freeze import year_check_editable
from opd.models import User

PLAN_SALT = "kovablik.assignment-plan"


def _conflict_message(reason: str, judge: User, entry: Entry) -> str:
    if reason == "declared":
        return _("%(judge)s telah menyatakan konflik kepentingan dengan proposal %(entry)s.") % {
            "judge": judge,
            "entry": entry,
        }
    return _(
        "%(judge)s berasal dari OPD yang sama, induk atau unit di bawah OPD pengusul "
        "proposal %(entry)s, sehingga tidak boleh menilainya."
    ) % {"judge": judge, "entry": entry}


def _notify(assignment_ids: list[int]) -> None:
    """One e-mail per judge listing the new assignments, after commit."""
    if not assignment_ids:
        return

    def send():
        rows = (
            Assignment.objects.filter(pk__in=assignment_ids)
            .select_related("judge", "stage__competition", "entry__innovation")
            .order_by("judge_id", "entry__reference")
        )
        per_judge: dict[User, list[Assignment]] = defaultdict(list)
        for a in rows:
            per_judge[a.judge].append(a)
        url = settings.SITE_URL + reverse("judge_desk:index")
        for judge, assignments in per_judge.items():
            with translation.override("id"):
                subject = _("Penugasan penilaian baru: %(n)s proposal") % {"n": len(assignments)}
                body = render_to_string(
                    "competition/judging/email/assignments.txt",
                    {"judge": judge, "assignments": assignments, "url": url},
                )
            send_mail(subject, body, None, [judge.email])

    transaction.on_commit(send)


def _check_pair(*, stage: Stage, entry: Entry, judge: User) -> None:
    if not judge.is_judge:
        raise ValidationError(_("%(user)s bukan juri aktif.") % {"user": judge}, code="not_judge")
    if entry.competition_id != stage.competition_id:
        raise ValidationError(
            _("Proposal %(entry)s bukan peserta kompetisi tahap ini.") % {"entry": entry},
            code="other_competition",
        )
    reason = conflict_pairs(entries=[entry], judges=[judge]).get((entry.pk, judge.pk))
    if reason:
        raise ValidationError(_conflict_message(reason, judge, entry), code="conflict")
    if Assignment.objects.filter(stage=stage, entry=entry, judge=judge).exists():
        raise ValidationError(
            _("%(judge)s sudah ditugaskan menilai proposal %(entry)s pada tahap ini.")
            % {"judge": judge, "entry": entry},
            code="duplicate",
        )


def assignment_check(*, stage: Stage, entry: Entry, judge: User) -> None:
    """Raise the ValidationError a manual assignment would raise (for admin forms)."""
    year_check_editable(competition_id=stage.competition_id, what=_("penugasan juri"))
    _check_pair(stage=stage, entry=entry, judge=judge)


def _create(*, stage: Stage, entry: Entry, judge: User, actor) -> Assignment:
    assignment = Assignment(stage=stage, entry=entry, judge=judge, assigned_by=actor)
    assignment._history_user = actor
    assignment.save()
    return assignment


def assignment_create(*, stage: Stage, entry: Entry, judge: User, actor) -> Assignment:
    """Assign one judge to one entry, refusing conflicts and duplicates."""
    with transaction.atomic():
        Stage.objects.select_for_update().get(pk=stage.pk)
        year_check_editable(competition_id=stage.competition_id, what=_("penugasan juri"))
        _check_pair(stage=stage, entry=entry, judge=judge)
        assignment = _create(stage=stage, entry=entry, judge=judge, actor=actor)
        _notify([assignment.pk])
    return assignment


@dataclass
class CategoryResult:
    created: list[Assignment]
    skipped: list[str]  # why each pair was left out


def assignments_create_for_category(
    *, stage: Stage, category: Category, judges, actor
) -> CategoryResult:
    """Give every eligible entry of ``category`` to each judge of the panel.

    Pairs that would be a conflict or already exist are left out and listed.
    """
    judges = list(judges)
    with transaction.atomic():
        Stage.objects.select_for_update().get(pk=stage.pk)
        year_check_editable(competition_id=stage.competition_id, what=_("penugasan juri"))
        entries = list(
            stage_eligible_entries(stage).filter(category=category).select_related("innovation")
        )
        conflicts = conflict_pairs(entries=entries, judges=judges)
        existing = set(
            Assignment.objects.filter(stage=stage, entry__in=entries).values_list(
                "entry_id", "judge_id"
            )
        )
        created, skipped = [], []
        for entry in entries:
            for judge in judges:
                key = (entry.pk, judge.pk)
                if key in conflicts:
                    skipped.append(_conflict_message(conflicts[key], judge, entry))
                elif key not in existing:
                    created.append(_create(stage=stage, entry=entry, judge=judge, actor=actor))
        _notify([a.pk for a in created])
    return CategoryResult(created=created, skipped=skipped)


# --- Automatic assignment --------------------------------------------------------------


@dataclass
class ProposedPair:
    entry: Entry
    judge: User


@dataclass
class ShortEntry:
    entry: Entry
    assigned: int
    needed: int
    reason: str


@dataclass
class AutoPlan:
    stage: Stage
    seed: int
    judge_ids: list[int]
    pairs: list[ProposedPair]
    loads: list[tuple[User, int, int]]  # judge, load before, load after
    shortfalls: list[ShortEntry]
    digest: str

    @property
    def token(self) -> str:
        """What the confirm form carries back: signed, so it cannot be edited."""
        return signing.dumps(
            {
                "stage": self.stage.pk,
                "seed": self.seed,
                "judges": self.judge_ids,
                "digest": self.digest,
            },
            salt=PLAN_SALT,
        )


def _digest(stage: Stage, pairs) -> str:
    payload = json.dumps([stage.pk, sorted(pairs)])
    return hashlib.sha256(payload.encode()).hexdigest()


def _short_reason(short, stage: Stage) -> str:
    if short.reason == SHORT_CONFLICTS:
        return _(
            "Hanya %(n)s juri yang bebas konflik kepentingan dengan proposal ini; "
            "dibutuhkan %(k)s. Tambahkan juri lain atau kurangi jumlah juri per proposal."
        ) % {"n": short.eligible_judges, "k": short.needed}
    return _(
        "Semua juri yang bebas konflik sudah mencapai beban maksimal (%(cap)s proposal). "
        "Naikkan beban maksimal atau tambahkan juri."
    ) % {"cap": stage.max_entries_per_judge}


def assignment_plan(*, stage: Stage, judges=None, seed: int | None = None) -> AutoPlan:
    """Propose k judges per eligible entry without saving anything (the preview)."""
    judges = list(judges if judges is not None else judges_available())
    seed = stage.pk if seed is None else seed
    entries = list(stage_eligible_entries(stage).select_related("innovation", "agency"))
    existing = set(Assignment.objects.filter(stage=stage).values_list("entry_id", "judge_id"))
    conflicts = conflict_pairs(entries=entries, judges=judges)
    result = plan_assignments(
        entries=[e.pk for e in entries],
        judges=[j.pk for j in judges],
        k=stage.judges_per_entry,
        cap=stage.max_entries_per_judge,
        existing=existing,
        conflicts=set(conflicts),
        seed=seed,
    )
    entry_by_id = {e.pk: e for e in entries}
    judge_by_id = {j.pk: j for j in judges}
    before = judge_loads(stage)
    return AutoPlan(
        stage=stage,
        seed=seed,
        judge_ids=sorted(judge_by_id),
        pairs=[ProposedPair(entry_by_id[e], judge_by_id[j]) for e, j in result.pairs],
        loads=[
            (judge_by_id[j], before.get(j, 0), result.loads[j])
            for j in sorted(judge_by_id, key=lambda j: judge_by_id[j].full_name)
        ],
        shortfalls=[
            ShortEntry(entry_by_id[s.entry], s.assigned, s.needed, _short_reason(s, stage))
            for s in result.shortfalls
        ],
        digest=_digest(stage, result.pairs),
    )


def assignments_apply_plan(*, stage: Stage, token: str, actor) -> list[Assignment]:
    """Save the previewed plan, after checking that nothing changed since the preview."""
    try:
        data = signing.loads(token, salt=PLAN_SALT, max_age=60 * 60)
    except signing.BadSignature:
        raise ValidationError(
            _("Pratinjau penugasan sudah kedaluwarsa. Buat pratinjau baru."), code="bad_token"
        ) from None
    if data["stage"] != stage.pk:
        raise ValidationError(_("Pratinjau ini untuk tahap lain."), code="bad_token")
    with transaction.atomic():
        Stage.objects.select_for_update().get(pk=stage.pk)
        year_check_editable(competition_id=stage.competition_id, what=_("penugasan juri"))
        judges = list(judges_available().filter(pk__in=data["judges"]))
        plan = assignment_plan(stage=stage, judges=judges, seed=data["seed"])
        if plan.digest != data["digest"] or len(judges) != len(data["judges"]):
            raise ValidationError(
                _(
                    "Data penugasan, juri atau proposal berubah sejak pratinjau dibuat; "
                    "tidak ada yang disimpan. Periksa pratinjau terbaru lalu simpan lagi."
                ),
                code="plan_changed",
            )
        created = [
            _create(stage=stage, entry=p.entry, judge=p.judge, actor=actor) for p in plan.pairs
        ]
        _notify([a.pk for a in created])
    return created


def assignment_top_up(*, stage: Stage, entry: Entry, actor) -> Assignment:
    """Give ``entry`` one more judge: the least-loaded one without a conflict."""
    with transaction.atomic():
        Stage.objects.select_for_update().get(pk=stage.pk)
        year_check_editable(competition_id=stage.competition_id, what=_("penugasan juri"))
        if entry.status not in stage_eligible_statuses(stage):
            raise ValidationError(
                _("Proposal %(entry)s tidak dinilai pada tahap ini.") % {"entry": entry},
                code="not_eligible",
            )
        judges = list(judges_available())
        conflicts = conflict_pairs(entries=[entry], judges=judges)
        already = set(
            Assignment.objects.filter(stage=stage, entry=entry).values_list("judge_id", flat=True)
        )
        loads = judge_loads(stage)
        cap = stage.max_entries_per_judge
        candidates = [
            j
            for j in judges
            if j.pk not in already
            and (entry.pk, j.pk) not in conflicts
            and (cap is None or loads.get(j.pk, 0) < cap)
        ]
        if not candidates:
            raise ValidationError(
                _(
                    "Tidak ada juri lain yang bebas konflik dan belum mencapai beban maksimal "
                    "untuk proposal %(entry)s."
                )
                % {"entry": entry},
                code="no_judge",
            )
        judge = min(candidates, key=lambda j: (loads.get(j.pk, 0), j.full_name, j.pk))
        assignment = _create(stage=stage, entry=entry, judge=judge, actor=actor)
        _notify([assignment.pk])
    return assignment


def assignment_remove(*, assignment: Assignment, actor) -> None:
    """Withdraw an assignment; refused once the judge has submitted the sheet."""
    with transaction.atomic():
        locked = (
            Assignment.objects.select_for_update().select_related("stage").get(pk=assignment.pk)
        )
        year_check_editable(competition_id=locked.stage.competition_id, what=_("penugasan juri"))
        sheet = ScoreSheet.objects.filter(
            stage_id=locked.stage_id, entry_id=locked.entry_id, judge_id=locked.judge_id
        ).first()
        if sheet is not None and sheet.status == SheetStatus.SUBMITTED:
            raise ValidationError(
                _("Juri sudah mengirim lembar penilaiannya; penugasan tidak dapat dicabut."),
                code="submitted",
            )
        if sheet is not None:
            sheet._history_user = actor
            sheet.delete()
        locked._history_user = actor
        locked.delete()
