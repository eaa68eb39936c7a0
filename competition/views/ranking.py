"""The organiser's pages for one stage's result: the leaderboard, moderation, the finalists
and the presentation schedule.
"""

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from competition.exports.csv import neutralise
from competition.forms.results import FinalistsForm, ModerationNoteForm, SlotForm
from competition.models import (
    Competition,
    Entry,
    EntryStatus,
    ModerationNote,
    PresentationSlot,
    ResultSnapshot,
    Stage,
)
from competition.selectors import leaderboard as leaderboard_selectors
from competition.services import finalists as finalist_services
from competition.services.finalists import moderation_note_add, slot_set
from competition.services.freeze import year_is_locked

from .access import permission_required


def _stage(pk) -> Stage:
    return get_object_or_404(Stage.objects.select_related("competition"), pk=pk)


def competition_or_404(year) -> Competition:
    return get_object_or_404(Competition, year=year)


def error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@permission_required("competition.manage_results")
def results_index(request):
    competitions = Competition.objects.prefetch_related(
        Prefetch("stages", queryset=Stage.objects.order_by("order")),
        Prefetch("snapshots", queryset=ResultSnapshot.objects.order_by("-version")),
    )
    return render(request, "competition/results/index.html", {"competitions": competitions})


# A national stage has thousands of entries: the table shows them a page at a time,
# in rank order; entries that block finalising are listed apart on every page.
LEADERBOARD_ROWS_PER_PAGE = 50


# Finalists are picked by hand from near the top: the form offers the best 100 ranked
# entries (the server accepts any ranked one), not thousands of checkboxes.
FINALIST_PICK_CANDIDATES = 100


@permission_required("competition.manage_results")
def stage_leaderboard(request, pk):
    stage = _stage(pk)
    board = leaderboard_selectors.stage_leaderboard(stage, criterion_means=False)
    page = Paginator(board.rows, LEADERBOARD_ROWS_PER_PAGE).get_page(request.GET.get("halaman"))
    leaderboard_selectors.leaderboard_criterion_means(board, page.object_list)
    ranked = [r for r in board.rows if r.score is not None]
    return render(
        request,
        "competition/results/leaderboard.html",
        {
            "stage": stage,
            "board": board,
            "page": page,
            "pick_candidates": ranked[:FINALIST_PICK_CANDIDATES],
            "n_ranked": len(ranked),
            "default_top_n": stage.competition.finalist_count,
            "year_locked": year_is_locked(stage.competition),
        },
    )


@permission_required("competition.manage_results")
def moderation_note(request, pk, entry_pk):
    stage = _stage(pk)
    entry = get_object_or_404(
        Entry.objects.select_related("innovation", "agency"),
        pk=entry_pk,
        competition_id=stage.competition_id,
    )
    board = leaderboard_selectors.stage_leaderboard(stage, criterion_means=False)
    row = board.row_for(entry.pk)
    if row is None:
        raise Http404
    form = ModerationNoteForm(request.POST or None)
    year_locked = year_is_locked(stage.competition)
    if request.method == "POST" and form.is_valid():
        try:
            moderation_note_add(
                stage=stage, entry=entry, actor=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Catatan moderasi disimpan."))
            return redirect("competition:results_stage", pk=stage.pk)
    notes = ModerationNote.objects.filter(stage=stage, entry=entry).select_related("author")
    return render(
        request,
        "competition/results/moderation.html",
        {
            "stage": stage,
            "entry": entry,
            "row": row,
            "board": board,
            "form": form,
            "notes": notes,
            "year_locked": year_locked,
        },
    )


@permission_required("competition.manage_results")
@require_POST
def finalists_select(request, pk):
    stage = _stage(pk)
    board = leaderboard_selectors.stage_leaderboard(stage, criterion_means=False)
    form = FinalistsForm(
        request.POST,
        choices=[(r.entry.id, r.entry.reference) for r in board.rows if r.score is not None],
    )
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("competition:results_stage", pk=stage.pk)
    data = form.cleaned_data
    try:
        if data["mode"] == FinalistsForm.MODE_TOP:
            moved = finalist_services.finalists_select(
                stage=stage, actor=request.user, top_n=data["top_n"], reason=data["reason"]
            )
        else:
            moved = finalist_services.finalists_select(
                stage=stage, actor=request.user, entry_ids=data["entries"], reason=data["reason"]
            )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request, _("%(n)s proposal ditetapkan sebagai finalis.") % {"n": len(moved)}
        )
    return redirect("competition:results_stage", pk=stage.pk)


def _finalists(stage):
    return (
        Entry.objects.filter(competition_id=stage.competition_id, status=EntryStatus.FINALIST)
        .select_related("innovation", "agency")
        .order_by("reference")
    )


@permission_required("competition.manage_results")
def schedule(request, pk):
    stage = _stage(pk)
    finalists = list(_finalists(stage))
    form = SlotForm(request.POST or None, finalists=finalists)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        entry = next(e for e in finalists if e.pk == data["entry"])
        try:
            slot_set(
                stage=stage,
                entry=entry,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                room=data["room"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Jadwal presentasi disimpan."))
            return redirect("competition:results_schedule", pk=stage.pk)
    slots = PresentationSlot.objects.filter(stage=stage).select_related(
        "entry__innovation", "entry__agency"
    )
    scheduled = {s.entry_id for s in slots}
    return render(
        request,
        "competition/results/schedule.html",
        {
            "stage": stage,
            "slots": slots,
            "form": form,
            "unscheduled": [e for e in finalists if e.pk not in scheduled],
            "finalists": finalists,
            # A finalised year keeps its finalists: no removal offered (the service refuses).
            "year_locked": year_is_locked(stage.competition),
        },
    )


@permission_required("competition.manage_results")
@require_POST
def finalist_remove(request, pk, entry_pk):
    stage = _stage(pk)
    entry = get_object_or_404(
        Entry, pk=entry_pk, competition_id=stage.competition_id, status=EntryStatus.FINALIST
    )
    try:
        finalist_services.finalist_remove(
            entry=entry, actor=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("%(ref)s tidak lagi finalis.") % {"ref": entry})
    return redirect("competition:results_schedule", pk=stage.pk)


@permission_required("competition.manage_results")
def schedule_csv(request, pk):
    stage = _stage(pk)
    slots = PresentationSlot.objects.filter(stage=stage).select_related(
        "entry__innovation", "entry__agency"
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"jadwal-presentasi-{stage.competition.year}-{stage.pk}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [_("Mulai"), _("Selesai"), _("Tempat"), _("Nomor registrasi"), _("Inovasi"), _("OPD")]
    )
    for slot in slots:
        writer.writerow(
            [
                timezone.localtime(slot.starts_at).strftime("%Y-%m-%d %H:%M"),
                timezone.localtime(slot.ends_at).strftime("%Y-%m-%d %H:%M"),
                neutralise(slot.room),
                slot.entry.reference or "",
                neutralise(slot.entry.innovation.title),
                neutralise(slot.entry.agency.name),
            ]
        )
    return response
