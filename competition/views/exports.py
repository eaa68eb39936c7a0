"""The organiser's export page and the downloads it links to."""

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from competition.exports import registry
from competition.models import Competition, Entry, EntryStatus, Stage

from .access import organiser_required
from .dashboard import selected_competition

ENTRIES_PER_PAGE = 25


@organiser_required
def export_index(request):
    """Every export of a year: lists, per-stage documents, and per-entry packages."""
    competition = selected_competition(request)
    context = {
        "competition": competition,
        "years": Competition.objects.values_list("year", flat=True),
    }
    if competition is not None:
        search = request.GET.get("q", "").strip()
        entries = (
            Entry.objects.filter(competition=competition)
            .entered()
            .select_related("innovation", "agency")
            .order_by("-status", "reference", "pk")
        )
        if search:
            entries = entries.filter(
                Q(reference__icontains=search)
                | Q(innovation__title__icontains=search)
                | Q(innovation__brand_name__icontains=search)
                | Q(agency__name__icontains=search)
            )
        kinds = registry.KINDS
        context.update(
            {
                "search": search,
                "competition_kinds": [k for k in kinds.values() if k.scope == registry.COMPETITION],
                "stage_kinds": [k for k in kinds.values() if k.scope == registry.STAGE],
                "entry_kinds": [k for k in kinds.values() if k.scope == registry.ENTRY],
                "stages": Stage.objects.filter(competition=competition).order_by("order"),
                "page": Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("halaman")),
                "finalist": EntryStatus.FINALIST,
            }
        )
    return render(request, "competition/exports/index.html", context)


def _download(key: str, fmt: str, scope: str, **target):
    kind = registry.KINDS.get(key)
    if kind is None or kind.scope != scope or fmt not in kind.formats:
        raise Http404
    return registry.build(key, fmt, **target).response()


@organiser_required
def export_competition(request, year: int, kind: str, fmt: str):
    competition = get_object_or_404(Competition, year=year)
    if kind == "rekap-nilai":
        return _download(kind, fmt, registry.STAGE, competition=competition)
    return _download(kind, fmt, registry.COMPETITION, competition=competition)


@organiser_required
def export_stage(request, year: int, order: int, kind: str, fmt: str):
    stage = get_object_or_404(
        Stage.objects.select_related("competition"), competition__year=year, order=order
    )
    return _download(kind, fmt, registry.STAGE, stage=stage)


@organiser_required
def export_entry(request, pk: int, kind: str, fmt: str):
    entry = get_object_or_404(
        Entry.objects.select_related("competition", "innovation").entered(), pk=pk
    )
    return _download(kind, fmt, registry.ENTRY, entry=entry)
