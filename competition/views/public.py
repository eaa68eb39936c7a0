"""Pages anyone may read without signing in: announcements, the catalogue, the hall of fame.

Everything here comes from *published* snapshots, awards and innovations that their OPD
agreed to show. Nothing else is reachable: no drafts, no scores of entries that did not
win, no judges' names unless the organiser chose to publish them.
"""

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from PIL import Image

from competition.models import (
    Attachment,
    Award,
    AwardLevel,
    Competition,
    EntryAnswer,
    Innovation,
    PlacementTitle,
    ResultSnapshot,
)
from competition.models.entry import SUMMARY_SECTION
from competition.selectors.catalogue import (
    catalogue_entry,
    catalogue_innovations,
    catalogue_rows,
)
from competition.selectors.snapshot import published_snapshot
from opd.models import RegionProfile

PAGE_SIZE = 24


def announcements(request):
    return render(
        request,
        "competition/public/announcements.html",
        {"competitions": Competition.objects.announced()},
    )


def _winners(snapshot: ResultSnapshot):
    return list(
        snapshot.placements.filter(title__in=PlacementTitle.WINNING)
        .select_related("entry__innovation", "entry__agency")
        .order_by("rank")
    )


def _photos(entry_ids) -> dict[int, int]:
    """The first image attachment of each entry: entry id -> attachment id."""
    photos = {}
    for attachment_id, entry_id in (
        Attachment.objects.filter(entry_id__in=entry_ids, content_type__startswith="image/")
        .order_by("entry_id", "kind__order", "uploaded_at", "pk")
        .values_list("pk", "entry_id")
    ):
        photos.setdefault(entry_id, attachment_id)
    return photos


def announcement(request, year):
    competition = get_object_or_404(Competition, year=year)
    snapshot = published_snapshot(competition)
    if snapshot is None:
        raise Http404
    winners = _winners(snapshot)
    entry_ids = [p.entry_id for p in winners]
    summaries = dict(
        EntryAnswer.objects.filter(
            entry_id__in=entry_ids, section__key=SUMMARY_SECTION
        ).values_list("entry_id", "text")
    )
    photos = _photos(entry_ids)
    for placement in winners:
        placement.summary = summaries.get(placement.entry_id, "")
        placement.photo_id = photos.get(placement.entry_id)
    judges = []
    if competition.publish_judge_names:
        names = {
            j["judge"] for stage in snapshot.payload["computed"]["stages"] for j in stage["judges"]
        }
        judges = sorted(names)
    return render(
        request,
        "competition/public/announcement.html",
        {
            "competition": competition,
            "snapshot": snapshot,
            "juara": [p for p in winners if p.title in PlacementTitle.JUARA],
            "harapan": [p for p in winners if p.title in PlacementTitle.HARAPAN],
            "judges": judges,
            "revised": snapshot.version > 1,
        },
    )


def winner_photo(request, year, pk):
    """An image attachment of a winning entry of a published result, and nothing else."""
    competition = get_object_or_404(Competition, year=year)
    snapshot = published_snapshot(competition)
    if snapshot is None:
        raise Http404
    winning = snapshot.placements.filter(title__in=PlacementTitle.WINNING).values("entry_id")
    attachment = get_object_or_404(
        Attachment, pk=pk, entry_id__in=winning, content_type__startswith="image/"
    )
    # Only the photo the announcement shows: another image of the entry (a scanned identity
    # statement, say, where a year allows images for it) is not public.
    if _photos([attachment.entry_id]).get(attachment.entry_id) != attachment.pk:
        raise Http404
    return FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)


def region_logo(request):
    """The organising region's logo, for the navigation bar and documents."""
    profile = RegionProfile.current()
    if not profile.logo:
        raise Http404
    try:
        with profile.logo.open("rb") as handle, Image.open(handle) as image:
            kind = (image.format or "").lower()
    except (OSError, Image.UnidentifiedImageError) as error:
        raise Http404 from error
    if kind not in {"png", "jpeg", "gif", "webp"}:
        raise Http404
    return FileResponse(profile.logo.open("rb"), content_type=f"image/{kind}")


def catalogue(request):
    innovations = catalogue_innovations(request.GET)
    page = Paginator(innovations.qs, PAGE_SIZE).get_page(request.GET.get("halaman"))
    return render(
        request,
        "competition/public/catalogue.html",
        {
            "form": innovations.form,
            "page": page,
            "rows": catalogue_rows(page.object_list),
            "filtered": any(innovations.form.cleaned_data.values()),
        },
    )


def catalogue_detail(request, pk):
    """One innovation's public page: 404 unless its OPD consents and the organiser approved."""
    item = catalogue_entry(pk)
    if item is None:
        raise Http404
    # Where it has been replicated, as far as the replications are themselves public.
    replications = (
        Innovation.objects.in_catalogue()
        .filter(replicates=item.innovation)
        .select_related("agency")
        .order_by("title")
    )
    return render(
        request,
        "competition/public/catalogue_detail.html",
        {"item": item, "replications": replications},
    )


def hall_of_fame(request):
    awards = (
        Award.objects.filter(level__in=AwardLevel.FORWARDED)
        .select_related("innovation__agency")
        .order_by("-year", "level", "rank", "label", "pk")
    )
    by_year: dict[int, list[Award]] = {}
    for award in awards:
        by_year.setdefault(award.year, []).append(award)
    return render(
        request,
        "competition/public/hall_of_fame.html",
        {"by_year": by_year},
    )
