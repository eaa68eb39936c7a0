"""Reads for target rounds: which rules an entry meets, and the entries one could forward."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from competition.eligibility import count_words
from competition.models import (
    Award,
    Competition,
    Entry,
    EntryStatus,
    Forwarding,
    GroupCode,
    RoundGroupRule,
    RoundSection,
    TargetRound,
)
from competition.selectors.opd import owned_q


@dataclass
class RoundCheck:
    """An entry seen by a round's rules: what fails, with a reason a civil servant can act on."""

    entry: Entry
    rule: RoundGroupRule | None
    age_months: int
    problems: list[str] = field(default_factory=list)
    forwarding: Forwarding | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class RoundFacts:
    """What the checks need beyond the entry, read once for many entries."""

    rules: dict[str, RoundGroupRule]
    used_by_group: Counter
    series_entries: Counter  # innovation id -> forwardings to rounds of the round's series
    forwarded: dict[int, Forwarding]  # entry id -> its forwarding to this round


def reference_date(target_round: TargetRound) -> dt.date:
    return target_round.closes_on or timezone.localdate()


def round_facts(target_round: TargetRound, innovation_ids) -> RoundFacts:
    to_round = list(Forwarding.objects.filter(round=target_round).select_related("entry__group"))
    series = Counter(
        Forwarding.objects.filter(
            round__series=target_round.series, entry__innovation_id__in=list(innovation_ids)
        ).values_list("entry__innovation_id", flat=True)
    )
    return RoundFacts(
        rules={rule.group: rule for rule in target_round.rules.all()},
        used_by_group=Counter(f.entry.group.code for f in to_round),
        series_entries=series,
        forwarded={f.entry_id: f for f in to_round},
    )


def _award_count(awards, level: str, label: str) -> int:
    wanted = label.casefold()
    return sum(1 for a in awards if a.level == level and wanted in a.label.casefold())


def entry_round_check(entry: Entry, target_round: TargetRound, facts: RoundFacts) -> RoundCheck:
    """Every rule of the round the entry fails; ``entry.innovation.awards`` prefetched."""
    group = entry.group.code
    rule = facts.rules.get(group)
    innovation = entry.innovation
    age = innovation.age_in_months(reference_date(target_round))
    check = RoundCheck(
        entry=entry, rule=rule, age_months=age, forwarding=facts.forwarded.get(entry.pk)
    )
    params = {"round": target_round.name, "group": GroupCode(group).label}
    if entry.status not in EntryStatus.SCREENED_IN:
        check.problems.append(
            _("Hanya proposal yang lolos seleksi administrasi yang dapat diteruskan.")
        )
    if rule is None:
        check.problems.append(_("%(round)s tidak menerima kelompok %(group)s.") % params)
        return check
    if rule.min_age_months is not None and age < rule.min_age_months:
        check.problems.append(
            _(
                "Terlalu muda: inovasi baru berjalan %(age)s bulan, kelompok %(group)s di "
                "%(round)s meminta paling sedikit %(min)s bulan."
            )
            % {**params, "age": age, "min": rule.min_age_months}
        )
    if rule.max_age_months is not None and age > rule.max_age_months:
        check.problems.append(
            _(
                "Terlalu lama: inovasi sudah berjalan %(age)s bulan, kelompok %(group)s di "
                "%(round)s menerima paling lama %(max)s bulan."
            )
            % {**params, "age": age, "max": rule.max_age_months}
        )
    if check.forwarding is None:
        used = facts.used_by_group[group]
        if rule.quota is not None and used >= rule.quota:
            check.problems.append(
                _(
                    "Kuota kelompok %(group)s ke %(round)s sudah terpakai: %(used)s dari "
                    "%(quota)s proposal. Batalkan penerusan lain lebih dulu."
                )
                % {**params, "used": used, "quota": rule.quota}
            )
        times = facts.series_entries[innovation.pk]
        if rule.max_entries is not None and times >= rule.max_entries:
            check.problems.append(
                _(
                    "Terlalu sering: inovasi ini sudah %(times)s kali diteruskan ke putaran "
                    "seri yang sama; %(round)s menerima paling banyak %(max)s kali."
                )
                % {**params, "times": times, "max": rule.max_entries}
            )
    awards = list(innovation.awards.all())
    for bar in rule.barring_awards or []:
        label, limit = str(bar.get("label", "")).strip(), int(bar.get("times") or 1)
        count = _award_count(awards, target_round.level, label) if label else 0
        if label and count >= limit:
            check.problems.append(
                _(
                    "Riwayat penghargaan: inovasi ini sudah %(count)s kali meraih %(label)s; "
                    "%(round)s tidak menerima inovasi dengan riwayat itu."
                )
                % {**params, "count": count, "label": label}
            )
    if rule.video_required and not entry.video_url:
        check.problems.append(
            _("%(round)s mewajibkan video; tautan video YouTube proposal ini belum diisi.") % params
        )
    return check


def _entries():
    return Entry.objects.select_related(
        "innovation", "agency", "group", "category", "competition"
    ).prefetch_related(Prefetch("innovation__awards", queryset=Award.objects.order_by("-year")))


def round_check_entry(entry: Entry, target_round: TargetRound) -> RoundCheck:
    entry = _entries().get(pk=entry.pk)
    return entry_round_check(entry, target_round, round_facts(target_round, [entry.innovation_id]))


def round_candidates(target_round: TargetRound, competition: Competition) -> list[RoundCheck]:
    """The year's screened-in entries, each with the rules of the round it fails."""
    entries = list(
        _entries()
        .filter(competition=competition, status__in=EntryStatus.SCREENED_IN)
        .order_by("reference", "pk")
    )
    facts = round_facts(target_round, {e.innovation_id for e in entries})
    return [entry_round_check(entry, target_round, facts) for entry in entries]


@dataclass
class Readiness:
    """What a forwarded entry still lacks in the round's own format."""

    over_limit: list[tuple[str, int, int]]  # (section, words, limit)
    empty: list[str]  # sections with no text to start from
    missing_attachments: list[str]  # required round attachment kinds with no file

    @property
    def ready(self) -> bool:
        return not (self.over_limit or self.empty or self.missing_attachments)


@dataclass
class AdaptedSection:
    """One of the round's sections for one forwarded entry: the OPD's adapted text when
    it wrote one, else the text of the region's sections the round section starts from."""

    section: RoundSection
    text: str
    adapted: bool

    @property
    def words(self) -> int:
        return count_words(self.text)

    @property
    def over_limit(self) -> bool:
        return self.words > self.section.word_limit


def adapted_sections(entry: Entry, sections, answers, adaptations) -> list[AdaptedSection]:
    """The round's ``sections`` that apply to the entry's group, in the round's order."""
    by_key = {a.section.key: a.text for a in answers}
    adapted = {a.section_id: a.text for a in adaptations}
    rows = []
    for section in sections:
        if not section.applies_to(entry.group.code):
            continue
        if section.pk in adapted:
            rows.append(AdaptedSection(section, adapted[section.pk], True))
            continue
        text = "\n\n".join(by_key[k] for k in section.source_keys if (by_key.get(k) or "").strip())
        rows.append(AdaptedSection(section, text, False))
    return rows


def entry_readiness(
    entry: Entry, sections, kinds, adaptations=(), round_attachments=()
) -> Readiness:
    """The entry's text and files seen through the round's sections and attachment kinds;
    ``entry.answers`` (with sections) and ``entry.attachments`` (with kinds) prefetched.
    The OPD's adapted texts and the files it added for the round count first."""
    group = entry.group.code
    have = {a.kind.key for a in entry.attachments.all()}
    added = {a.kind_id for a in round_attachments}
    readiness = Readiness(over_limit=[], empty=[], missing_attachments=[])
    for row in adapted_sections(entry, sections, entry.answers.all(), adaptations):
        if row.words == 0:
            readiness.empty.append(row.section.label)
        elif row.over_limit:
            readiness.over_limit.append((row.section.label, row.words, row.section.word_limit))
    for kind in kinds:
        if not (kind.required and kind.applies_to(group)):
            continue
        if kind.pk not in added and not have & set(kind.source_keys):
            readiness.missing_attachments.append(kind.label)
    return readiness


def forwarding_of_agency(user, pk: int) -> Forwarding | None:
    """A forwarding to a round of an entry of the user's own OPD (or its units), or None."""
    return (
        Forwarding.objects.filter(owned_q(user, "entry__agency"), round__isnull=False)
        .select_related("round", "entry__innovation", "entry__agency", "entry__group")
        .filter(pk=pk)
        .first()
    )


def forwarding_adaptation(forwarding: Forwarding):
    """The round's sections and attachment kinds for the forwarded entry, as the OPD's
    adaptation page shows them: (sections, kinds with their files, readiness)."""
    entry = forwarding.entry
    target = forwarding.round
    sections = list(target.sections.all())
    kinds = [k for k in target.attachment_kinds.all() if k.applies_to(entry.group.code)]
    answers = list(entry.answers.select_related("section"))
    adaptations = list(forwarding.adaptations.all())
    round_files = list(forwarding.round_attachments.select_related("kind"))
    own_files = list(entry.attachments.select_related("kind"))
    for kind in kinds:
        kind.own_files = [a for a in own_files if a.kind.key in kind.source_keys]
        kind.round_files = [a for a in round_files if a.kind_id == kind.pk]
    rows = adapted_sections(entry, sections, answers, adaptations)
    return rows, kinds


def round_forwardings(target_round: TargetRound) -> list[Forwarding]:
    """The round's forwardings, each with ``readiness`` in the round's format."""
    forwardings = list(
        Forwarding.objects.filter(round=target_round)
        .select_related("entry__innovation", "entry__agency", "entry__group")
        .prefetch_related(
            "outcomes",
            "entry__answers__section",
            "entry__attachments__kind",
            "adaptations",
            "round_attachments",
        )
        .order_by("entry__group__code", "forwarded_at")
    )
    sections = list(target_round.sections.all())
    kinds = list(target_round.attachment_kinds.all())
    for forwarding in forwardings:
        forwarding.readiness = entry_readiness(
            forwarding.entry,
            sections,
            kinds,
            forwarding.adaptations.all(),
            forwarding.round_attachments.all(),
        )
        forwarding.adapted = bool(forwarding.adaptations.all())
    return forwardings
