"""Reads for administrative screening: the organiser's entry list, the checklist of an
entry, what a bulk pass would pass, and the next proposal waiting to be screened."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from competition.eligibility import entry_problems, entry_warnings, sections_for
from competition.filters import EntryFilter
from competition.models import Competition, Entry, EntryStatus

# The organiser's list order; the screening queue walks the list in it.
LIST_ORDER = ("agency__name", "innovation__title", "pk")


@dataclass(frozen=True)
class ScreeningQueue:
    waiting: int
    next_id: int | None


def screening_queue(entry: Entry) -> ScreeningQueue:
    """How many proposals of the entry's year wait for screening, and which one comes after
    ``entry`` in the organiser's list order (OPD, title), wrapping round. One query."""
    rows = list(
        Entry.objects.filter(competition_id=entry.competition_id, status=EntryStatus.SUBMITTED)
        .order_by(*LIST_ORDER)
        .values_list("agency__name", "innovation__title", "pk")
    )
    here = (entry.agency.name, entry.innovation.title, entry.pk)
    others = [row for row in rows if row[2] != entry.pk]
    after = [row for row in others if row > here]
    following = (after or others or [None])[0]
    return ScreeningQueue(
        waiting=len(others), next_id=following[2] if following is not None else None
    )


def organiser_entries(*, competition: Competition | None, params) -> EntryFilter:
    """The year's entries in list order, narrowed by the query string ``params``; the
    FilterSet's ``qs`` is the list and its ``form`` redisplays the filters."""
    entries = (
        Entry.objects.filter(competition=competition)
        .select_related("innovation", "agency", "category", "group")
        .order_by(*LIST_ORDER)
    )
    return EntryFilter(params, queryset=entries, competition=competition)


MANUAL_SERIOUS = "manual:serious"


@dataclass(frozen=True)
class CheckItem:
    """One line of the checklist. ``ok`` is None for items only a person can judge."""

    key: str
    label: str
    ok: bool | None
    detail: str = ""

    @property
    def automatic(self) -> bool:
        return self.ok is not None


def screening_checklist(entry: Entry) -> list[CheckItem]:
    """The checklist of ``entry``, computed now from the year's rules and the entry's data."""
    competition = entry.competition
    issues: dict[str, tuple[str, list[str]]] = {}
    for problem in [*entry_problems(entry), *entry_warnings(entry)]:
        issues.setdefault(problem.field, (problem.label, []))[1].append(problem.message)

    def item(key: str, label: str) -> CheckItem:
        messages = issues.pop(key, ("", []))[1]
        return CheckItem(key, label, not messages, " ".join(messages))

    items = []
    for section in sections_for(competition, entry.group):
        if section.required:
            label = _("Bagian “%(label)s” terisi, paling banyak %(limit)s kata") % {
                "label": section.label,
                "limit": section.word_limit,
            }
        else:
            label = _("Bagian “%(label)s” paling banyak %(limit)s kata") % {
                "label": section.label,
                "limit": section.word_limit,
            }
        items.append(item(f"section:{section.key}", label))
    for kind in competition.attachment_kinds.filter(required=True).order_by("order"):
        items.append(
            item(f"attachment:{kind.key}", _("Lampiran “%(label)s” ada") % {"label": kind.label})
        )
    items.append(
        item(
            "innovation",
            _("Inovasi sudah berjalan sedikitnya %(months)s bulan saat pendaftaran ditutup")
            % {"months": competition.min_age_months},
        )
    )
    items.append(item("title", _("Judul tidak sama dengan proposal lain tahun ini")))
    items.append(item("group", _("Kelompok dibuka tahun ini")))
    items.append(item("category", _("Kategori termasuk kategori tahun ini")))
    items.append(item("declaration", _("Pernyataan kebenaran data dicentang")))
    items.append(item("awards", _("Riwayat penghargaan tidak membatasi keikutsertaan")))
    # Anything eligibility reports beyond the fixed items (e.g. the video link).
    for key, (label, messages) in issues.items():
        items.append(CheckItem(key, label, False, " ".join(messages)))
    items.append(
        CheckItem(
            MANUAL_SERIOUS,
            _("Isian dijawab dengan sungguh-sungguh dan sesuai pertanyaan (diperiksa petugas)"),
            None,
        )
    )
    return items


def stored_ticks(entry: Entry) -> dict[str, bool]:
    """The organiser's ticks from the last decision on ``entry``, by item key."""
    items = (entry.screening_checklist or {}).get("items", [])
    return {i["key"]: i["ticked"] for i in items if isinstance(i, dict) and "key" in i}


def checklist_is_clean(items: Iterable[CheckItem]) -> bool:
    """True when every automatic item holds: the entry may be passed in bulk."""
    return all(i.ok for i in items if i.automatic)


@dataclass
class BulkPassRow:
    entry: Entry
    clean: bool
    problems: list[CheckItem]  # the failing automatic items
    items: list[CheckItem]


def entries_bulk_pass_preview(entries: Iterable[Entry]) -> list[BulkPassRow]:
    """Which chosen entries a bulk pass would pass: submitted, with a clean checklist.

    The confirmation page shows this; ``entries_bulk_pass`` decides by the same rows.
    """
    rows = []
    for entry in entries:
        items = screening_checklist(entry) if entry.status == EntryStatus.SUBMITTED else []
        rows.append(
            BulkPassRow(
                entry=entry,
                clean=entry.status == EntryStatus.SUBMITTED and checklist_is_clean(items),
                problems=[i for i in items if i.ok is False],
                items=items,
            )
        )
    return rows
