"""The organiser's export page and the downloads it links to."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from competition.exports import registry
from competition.models import Competition, Entry, EntryStatus, Stage
from competition.selectors.exports import export_entries

from .access import permission_required
from .dashboard import selected_competition

ENTRIES_PER_PAGE = 25


@permission_required("competition.export_data")
def export_index(request):
    """Every export of a year: lists, per-stage documents, and per-entry packages."""
    competition = selected_competition(request)
    context = {
        "competition": competition,
        "years": Competition.objects.values_list("year", flat=True),
    }
    if competition is not None:
        entries = export_entries(competition=competition, params=request.GET)
        page = Paginator(entries.qs, ENTRIES_PER_PAGE).get_page(request.GET.get("halaman"))
        kinds = registry.KINDS
        context.update(
            {
                "form": entries.form,
                "competition_kinds": [k for k in kinds.values() if k.scope == registry.COMPETITION],
                "stage_kinds": [k for k in kinds.values() if k.scope == registry.STAGE],
                "entry_kinds": [k for k in kinds.values() if k.scope == registry.ENTRY],
                "stages": Stage.objects.filter(competition=competition).order_by("order"),
                "page": page,
                "finalist": EntryStatus.FINALIST,
            }
        )
    return render(request, "competition/exports/index.html", context)


def _download(key: str, fmt: str, scope: str, **target):
    kind = registry.KINDS.get(key)
    if kind is None or kind.scope != scope or fmt not in kind.formats:
        raise Http404
    return registry.build(key, fmt, **target).response()


@permission_required("competition.export_data")
def export_competition(request, year: int, kind: str, fmt: str):
    competition = get_object_or_404(Competition, year=year)
    if kind == "rekap-nilai":
        return _download(kind, fmt, registry.STAGE, competition=competition)
    return _download(kind, fmt, registry.COMPETITION, competition=competition)


@permission_required("competition.export_data")
def export_stage(request, year: int, order: int, kind: str, fmt: str):
    stage = get_object_or_404(
        Stage.objects.select_related("competition"), competition__year=year, order=order
    )
    return _download(kind, fmt, registry.STAGE, stage=stage)


@permission_required("competition.export_data")
def export_entry(request, pk: int, kind: str, fmt: str):
    entry = get_object_or_404(
        Entry.objects.select_related("competition", "innovation").entered(), pk=pk
    )
    return _download(kind, fmt, registry.ENTRY, entry=entry)
