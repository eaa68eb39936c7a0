"""The public catalogue: innovations their OPD consents to show and the organiser approved."""

from dataclasses import dataclass

from django.db.models import OuterRef, Prefetch, Subquery

from competition.filters import CatalogueFilter
from competition.models import SDG, Award, Category, Entry, EntryAnswer, EntryStatus, Innovation
from competition.models.entry import SUMMARY_SECTION
from competition.models.facts import JudgedFacts
from opd.models import Agency

# What the catalogue prints of an innovation; it is always the vetted copy, never the live
# innovation: the facts frozen on its latest entry that passed screening, with that entry's
# summary, or (approved on an award alone) the innovation as it was when approved.
SHOWN_FIELDS = ("title", "brand_name", "brand_long_form", "started_on", "stage", "form")
APPROVED_FIELDS = (*SHOWN_FIELDS, "description")


def _as_approved() -> dict:
    """The innovation's fields on its first history row that carries the current approval:
    the innovation as the organiser approved it (one subquery per field, no extra query)."""
    rows = Innovation.history.model.objects.filter(
        id=OuterRef("pk"), catalogue_approved_at=OuterRef("catalogue_approved_at")
    ).order_by("history_date", "history_id")
    return {f"approved_{name}": Subquery(rows.values(name)[:1]) for name in APPROVED_FIELDS}


def _summary_answers() -> Prefetch:
    return Prefetch(
        "answers",
        queryset=EntryAnswer.objects.filter(section__key=SUMMARY_SECTION),
        to_attr="summary_answers",
    )


@dataclass
class CatalogueCopy:
    facts: JudgedFacts
    summary: str


def catalogue_copy(innovation: Innovation, entries) -> CatalogueCopy:
    """The vetted copy of ``innovation`` from its submitted ``entries`` (any order, with
    ``summary_answers`` prefetched) and its ``approved_*`` annotations."""
    vetted = [e for e in entries if e.status in EntryStatus.SCREENED_IN]
    if vetted:
        latest = max(vetted, key=lambda e: e.competition.year)
        answers = getattr(latest, "summary_answers", None)
        if answers is None:
            answers = [a for a in latest.answers.all() if a.section.key == SUMMARY_SECTION]
        return CatalogueCopy(latest.judged, answers[0].text if answers else "")
    if getattr(innovation, "approved_title", None) is None:
        # No history row (data loaded outside the portal): nothing better to show.
        return CatalogueCopy(JudgedFacts.live(innovation), innovation.description)
    started = innovation.approved_started_on
    facts = {name: getattr(innovation, f"approved_{name}") for name in SHOWN_FIELDS}
    facts["started_on"] = started.isoformat() if hasattr(started, "isoformat") else started
    return CatalogueCopy(JudgedFacts(facts), innovation.approved_description or "")


@dataclass
class CatalogueRow:
    innovation: Innovation
    facts: JudgedFacts
    summary: str
    years: list[int]


def catalogue_rows(innovations) -> list[CatalogueRow]:
    """One page of ``catalogue_innovations`` as the list prints it (no query)."""
    rows = []
    for innovation in innovations:
        copy = catalogue_copy(innovation, innovation.entered)
        rows.append(
            CatalogueRow(
                innovation=innovation,
                facts=copy.facts,
                summary=copy.summary,
                years=[e.competition.year for e in innovation.entered],
            )
        )
    return rows


def catalogue_innovations(params) -> CatalogueFilter:
    """The catalogue, narrowed by the query string ``params``; the FilterSet's ``qs`` is the
    list and its ``form`` offers only values some catalogue innovation has. Four queries
    for a page however many rows (innovations with agency and their approved copy, their
    awards, the entries they made, the summaries of those entries)."""
    entered = (
        Entry.objects.entered()
        .select_related("competition")
        .prefetch_related(_summary_answers())
        .order_by("competition__year")
    )
    innovations = (
        Innovation.objects.in_catalogue()
        .annotate(**_as_approved())
        .select_related("agency")
        .prefetch_related(
            Prefetch("awards", queryset=Award.objects.order_by("-year", "level")),
            Prefetch("entries", queryset=entered, to_attr="entered"),
        )
        .order_by("title", "pk")
        .distinct()
    )
    return CatalogueFilter(params, queryset=innovations, choices=catalogue_filter_choices())


def catalogue_filter_choices() -> dict:
    """What the filters offer: only values some catalogue innovation has."""
    shown = Innovation.objects.in_catalogue()
    entered = Entry.objects.entered().filter(innovation__in=shown)
    return {
        "years": sorted(
            set(entered.values_list("competition__year", flat=True).distinct()), reverse=True
        ),
        "agencies": Agency.objects.filter(innovations__in=shown).distinct().order_by("name"),
        "categories": sorted(
            set(
                Category.objects.filter(entries__in=entered)
                .values_list("name", flat=True)
                .distinct()
            )
        ),
        "sdgs": SDG.objects.all(),
    }


@dataclass
class CatalogueEntry:
    innovation: Innovation
    facts: JudgedFacts
    summary: str
    years: list[int]
    awards: list[Award]
    video_url: str


def catalogue_entry(pk: int) -> CatalogueEntry | None:
    """One innovation's public page, or None when it is not in the catalogue."""
    innovation = (
        Innovation.objects.in_catalogue()
        .annotate(**_as_approved())
        .select_related("agency", "agency__parent")
        .prefetch_related("sdgs")
        .filter(pk=pk)
        .first()
    )
    if innovation is None:
        return None
    entries = list(
        Entry.objects.entered()
        .filter(innovation=innovation)
        .select_related("competition")
        .prefetch_related(_summary_answers())
        .order_by("-competition__year")
    )
    # The facts, summary and video of the latest entry that passed screening: what was vetted.
    vetted = next((e for e in entries if e.status in EntryStatus.SCREENED_IN), None)
    copy = catalogue_copy(innovation, entries)
    return CatalogueEntry(
        innovation=innovation,
        facts=copy.facts,
        summary=copy.summary,
        years=sorted({e.competition.year for e in entries}, reverse=True),
        awards=list(innovation.awards.order_by("-year", "level")),
        video_url=vetted.video_url if vetted else "",
    )


def catalogue_changed_since_approval(innovation: Innovation) -> bool:
    """Whether the live ``innovation`` differs from what its catalogue page shows (the
    organiser's proposal page says so; the public keeps seeing the vetted copy)."""
    if innovation.catalogue_approved_at is None:
        return False
    annotated = Innovation.objects.annotate(**_as_approved()).filter(pk=innovation.pk).first()
    entries = (
        Entry.objects.entered()
        .filter(innovation=innovation)
        .select_related("competition", "innovation")
        .prefetch_related(_summary_answers())
    )
    entries = list(entries)
    copy = catalogue_copy(annotated, entries)
    shown = [getattr(copy.facts, name) for name in SHOWN_FIELDS]
    live = [getattr(innovation, name) for name in SHOWN_FIELDS]
    if not any(e.status in EntryStatus.SCREENED_IN for e in entries):
        # Approved on an award alone: its page prints the description as approved.
        shown.append(copy.summary)
        live.append(innovation.description)
    return shown != live
