"""The public catalogue: innovations their OPD consents to show and the organiser approved."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from competition.models import SDG, Award, Category, Entry, EntryAnswer, Innovation
from competition.models.entry import SCREENED_IN
from opd.models import Agency

SUMMARY_SECTION = "ringkasan"


def catalogue_innovations(
    *,
    query: str = "",
    year: int | None = None,
    agency: Agency | None = None,
    category: str = "",
    sdg: SDG | None = None,
) -> QuerySet[Innovation]:
    """The catalogue, filtered; three queries for a page however many rows (innovations
    with agency, their awards, the years they entered)."""
    entered = Entry.objects.submitted().select_related("competition").order_by("competition__year")
    qs = (
        Innovation.objects.in_catalogue()
        .select_related("agency")
        .prefetch_related(
            Prefetch("awards", queryset=Award.objects.order_by("-year", "level")),
            Prefetch("entries", queryset=entered, to_attr="entered"),
        )
        .order_by("title", "pk")
    )
    if query:
        qs = qs.filter(
            Q(title__icontains=query)
            | Q(brand_name__icontains=query)
            | Q(brand_long_form__icontains=query)
            | Q(description__icontains=query)
            | Q(agency__name__icontains=query)
            | Q(agency__short_name__icontains=query)
        )
    if agency is not None:
        qs = qs.filter(agency=agency)
    if sdg is not None:
        qs = qs.filter(sdgs=sdg)
    entries = Entry.objects.submitted()
    if year is not None:
        entries = entries.filter(competition__year=year)
    if category:
        entries = entries.filter(category__name=category)
    if year is not None or category:
        qs = qs.filter(pk__in=entries.values("innovation_id"))
    return qs.distinct()


def catalogue_filter_choices() -> dict:
    """What the filters offer: only values some catalogue innovation has."""
    shown = Innovation.objects.in_catalogue()
    entered = Entry.objects.submitted().filter(innovation__in=shown)
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
    summary: str
    years: list[int]
    awards: list[Award]
    video_url: str


def catalogue_entry(pk: int) -> CatalogueEntry | None:
    """One innovation's public page, or None when it is not in the catalogue."""
    innovation = (
        Innovation.objects.in_catalogue()
        .select_related("agency", "agency__parent")
        .prefetch_related("sdgs")
        .filter(pk=pk)
        .first()
    )
    if innovation is None:
        return None
    entries = list(
        Entry.objects.submitted()
        .filter(innovation=innovation)
        .select_related("competition")
        .order_by("-competition__year")
    )
    # The summary and video of the latest entry that passed screening: what was vetted.
    vetted = next((e for e in entries if e.status in SCREENED_IN), None)
    summary = ""
    if vetted is not None:
        summary = (
            EntryAnswer.objects.filter(entry=vetted, section__key=SUMMARY_SECTION)
            .values_list("text", flat=True)
            .first()
            or ""
        )
    return CatalogueEntry(
        innovation=innovation,
        summary=summary or innovation.description,
        years=sorted({e.competition.year for e in entries}, reverse=True),
        awards=list(innovation.awards.order_by("-year", "level")),
        video_url=vetted.video_url if vetted else "",
    )
