"""The organiser's result pages: leaderboards, moderation, finalists, the presentation
schedule, the final ranking and its frozen versions, and the path to province and nation.

Also the OPD's own result page, reachable only once the result is published.
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
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from competition.exports.csv import neutralise
from competition.forms.results import (
    FinaliseForm,
    FinalistsForm,
    ForwardForm,
    ModerationNoteForm,
    OutcomeForm,
    RevisionForm,
    SlotForm,
    parse_chair_order,
)
from competition.models import (
    Competition,
    Entry,
    EntryStatus,
    Forwarding,
    ModerationNote,
    Outcome,
    OutcomeStep,
    PlacementTitle,
    PresentationSlot,
    ResultSnapshot,
    Stage,
)
from competition.selectors import final_ranking as ranking_selectors
from competition.selectors import leaderboard as leaderboard_selectors
from competition.selectors.finalise import finalise_blockers, placements_for_winners
from competition.selectors.forwarding import forwarding_pipeline
from competition.selectors.own_result import opd_own_result
from competition.selectors.scoring import rung_label
from competition.selectors.snapshot import published_snapshot
from competition.services import finalists as finalist_services
from competition.services import forwarding as forwarding_services
from competition.services.finalists import moderation_note_add, slot_set
from competition.services.forwarding import entry_forward, outcome_record
from competition.services.freeze import result_revision_open, year_is_locked
from competition.services.snapshot import result_finalise, result_publish
from competition.services.verification import result_check

from .access import opd_staff_required, organiser_required, private_download


def _stage(pk) -> Stage:
    return get_object_or_404(Stage.objects.select_related("competition"), pk=pk)


def _competition(year) -> Competition:
    return get_object_or_404(Competition, year=year)


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@organiser_required
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


@organiser_required
def stage_leaderboard(request, pk):
    stage = _stage(pk)
    board = leaderboard_selectors.stage_leaderboard(stage, criterion_means=False)
    page = Paginator(board.rows, LEADERBOARD_ROWS_PER_PAGE).get_page(request.GET.get("page"))
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


@organiser_required
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


@organiser_required
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
        messages.error(request, _error_text(error))
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


@organiser_required
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


@organiser_required
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
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("%(ref)s tidak lagi finalis.") % {"ref": entry})
    return redirect("competition:results_schedule", pk=stage.pk)


@organiser_required
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


@organiser_required
def final_ranking(request, year):
    competition = _competition(year)
    base = ranking_selectors.final_ranking(competition)
    references = {r.entry.reference: r.entry.id for r in base.rows if r.entry.reference}
    data = request.POST if request.method == "POST" else None
    chair_text = (data or request.GET).get("chair_order", "")
    ranking = base
    # The preview ignores numbers not in the ranking; the form names them on submit.
    chair_order, _unknown = parse_chair_order(chair_text, references)
    if chair_order:
        ranking = ranking_selectors.final_ranking(competition, chair_order=chair_order)
    form = FinaliseForm(
        data,
        ranking_rows=ranking.rows,
        references=references,
        initial={"chair_order": chair_text},
    )
    if data is not None and form.is_valid():
        cd = form.cleaned_data
        # A valid form's chair order is the one parsed above: ``ranking`` already has it.
        override = placements_for_winners(ranking, form.winners())
        try:
            snapshot = result_finalise(
                competition=competition,
                actor=request.user,
                decree_number=cd["decree_number"],
                decree_date=cd["decree_date"],
                placements_override=override,
                reason=cd["reason"],
                harapan=cd["harapan"],
                chair_order=cd["chair_order"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Hasil difinalkan sebagai versi %(v)s. Periksa lalu umumkan.")
                % {"v": snapshot.version},
            )
            return redirect(
                "competition:results_snapshot", year=competition.year, version=snapshot.version
            )
    snapshots = competition.snapshots.order_by("-version").select_related("created_by")
    return render(
        request,
        "competition/results/final_ranking.html",
        {
            "competition": competition,
            "ranking": ranking,
            "form": form,
            "snapshots": snapshots,
            "blockers": finalise_blockers(ranking),
            "year_locked": year_is_locked(competition),
            "revision_form": RevisionForm(),
        },
    )


@organiser_required
@require_POST
def revision_open(request, year):
    """The documented path to change a finalised year: a new result version, with a reason."""
    competition = _competition(year)
    form = RevisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("competition:results_final", year=year)
    try:
        result_revision_open(
            competition=competition, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            _(
                "Versi baru hasil dibuka. Tahap, lembar penilaian dan finalis dapat diubah "
                "dengan alasan; finalkan versi baru bila sudah selesai."
            ),
        )
    return redirect("competition:results_final", year=year)


@organiser_required
def snapshot_detail(request, year, version):
    competition = _competition(year)
    snapshot = get_object_or_404(
        ResultSnapshot.objects.select_related("created_by"),
        competition=competition,
        version=version,
    )
    placements = snapshot.placements.select_related("entry__innovation", "entry__agency")
    check = result_check(snapshot)
    versions = competition.snapshots.order_by("-version").select_related("created_by")
    return render(
        request,
        "competition/results/snapshot.html",
        {
            "competition": competition,
            "snapshot": snapshot,
            "placements": placements,
            "versions": versions,
            "check": check,
            "verified": check.ok,
            "is_latest": snapshot.version == versions[0].version,
            "method": method_lines(snapshot.payload),
            "ladder": [rung_label(r) or r for r in snapshot.payload["tie_break_ladder"]],
        },
    )


# The frozen method, said in Indonesian: the payload keeps its keys and English notes as
# the record; the page explains each key in the organiser's words.
METHOD_LABELS = {
    "sheet_total": (
        gettext_lazy("Nilai total lembar"),
        gettext_lazy(
            "jumlah atas semua kriteria: nilai / nilai maksimal x bobot (bobot berjumlah 100)"
        ),
    ),
    "entry_score": (
        gettext_lazy("Nilai proposal"),
        gettext_lazy(
            "rata-rata nilai total lembar yang dikirim; belum lengkap bila lembar yang dikirim "
            "lebih sedikit dari juri yang ditugaskan"
        ),
    ),
    "spread": (
        gettext_lazy("Sebaran nilai"),
        gettext_lazy("simpangan baku sampel (n - 1) dan rentang nilai total lembar"),
    ),
    "normalised": (
        gettext_lazy("Nilai ternormalisasi"),
        gettext_lazy(
            "skor z per juri dalam tahap, dikembalikan ke rata-rata dan simpangan baku semua "
            "nilai total; hanya bila setiap juri proposal itu menilai cukup banyak proposal"
        ),
    ),
    "agreement": (
        gettext_lazy("Kesepakatan antarjuri"),
        gettext_lazy("alfa Krippendorff, skala interval, proposal x juri, boleh ada yang kosong"),
    ),
    "stability": (
        gettext_lazy("Uji kestabilan"),
        gettext_lazy("tiga besar dihitung ulang dengan meninggalkan nilai setiap juri bergantian"),
    ),
    "final_score": (
        gettext_lazy("Nilai akhir"),
        gettext_lazy("jumlah atas tahap: nilai tahap x bobot tahap / 100"),
    ),
    "ties": (
        gettext_lazy("Nilai seri"),
        gettext_lazy("nilai akhir dibandingkan sampai 3 angka desimal, lalu urutan penentu seri"),
    ),
    "rounding": (
        gettext_lazy("Pembulatan"),
        gettext_lazy("angka disimpan dengan 6 angka desimal"),
    ),
}


def method_lines(payload: dict) -> list[tuple[str, str]]:
    """(label, explanation) of each frozen method key; a key this version of the portal
    does not know keeps the note it was frozen with."""
    lines = []
    for key, note in payload.get("method", {}).items():
        label, text = METHOD_LABELS.get(key, (key, note))
        lines.append((str(label), str(text)))
    return lines


@organiser_required
@require_POST
def snapshot_publish(request, year, version):
    competition = _competition(year)
    snapshot = get_object_or_404(ResultSnapshot, competition=competition, version=version)
    try:
        result_publish(snapshot=snapshot, actor=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Hasil diumumkan di halaman publik."))
    return redirect("competition:results_snapshot", year=year, version=version)


@organiser_required
def pipeline(request, year):
    """City entries, finalists, winners, forwarded and outcomes at each level, per year."""
    competition = _competition(year)
    snapshot = published_snapshot(competition)
    placements = (
        list(snapshot.placements.select_related("entry__innovation", "entry__agency"))
        if snapshot
        else []
    )
    form = ForwardForm(request.POST or None, placements=placements)
    if request.method == "POST" and form.is_valid():
        entry = get_object_or_404(Entry, pk=form.cleaned_data["entry"], competition=competition)
        try:
            entry_forward(
                entry=entry,
                level=form.cleaned_data["level"],
                actor=request.user,
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Proposal ditandai diteruskan."))
            return redirect("competition:results_pipeline", year=year)
    winners = [p for p in placements if p.title != PlacementTitle.FINALIST]
    return render(
        request,
        "competition/results/pipeline.html",
        {
            "competition": competition,
            "snapshot": snapshot,
            "winners": winners,
            "pipeline": forwarding_pipeline(competition),
            "form": form,
        },
    )


@organiser_required
@require_POST
def forwarding_cancel(request, pk):
    forwarding = get_object_or_404(Forwarding.objects.select_related("entry__competition"), pk=pk)
    year = forwarding.entry.competition.year
    try:
        forwarding_services.forwarding_cancel(forwarding=forwarding, actor=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Penerusan dibatalkan."))
    return redirect("competition:results_pipeline", year=year)


@organiser_required
def outcome_add(request, pk):
    forwarding = get_object_or_404(
        Forwarding.objects.select_related("entry__competition", "entry__innovation", "round"),
        pk=pk,
    )
    form = OutcomeForm(request.POST or None, request.FILES or None, target_round=forwarding.round)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            outcome_record(
                forwarding=forwarding,
                actor=request.user,
                step=data["step"],
                occurred_on=data["occurred_on"],
                label=data["label"],
                rank=data["rank"],
                decree_number=data["decree_number"],
                notes=data["notes"],
                evidence=data["evidence"],
                is_top_winner=data["is_top_winner"],
                is_top_99=data["is_top_99"],
                round_step=data.get("round_step", ""),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Hasil di tingkat lanjut dicatat."))
            return redirect("competition:results_pipeline", year=forwarding.entry.competition.year)
    return render(
        request,
        "competition/results/outcome_form.html",
        {"forwarding": forwarding, "form": form, "awarded": OutcomeStep.AWARDED},
    )


@organiser_required
def outcome_evidence(request, pk):
    outcome = get_object_or_404(Outcome, pk=pk)
    if not outcome.evidence:
        raise Http404
    return private_download(outcome.evidence.open("rb"), filename=f"bukti-{pk}")


def _published_years():
    return list(Competition.objects.announced().values_list("year", flat=True))


@opd_staff_required
def opd_results_latest(request):
    """The OPD's results of the latest announced year, or a note that none is out yet."""
    years = _published_years()
    if years:
        return redirect("competition:opd_results", year=years[0])
    return render(request, "competition/results/opd_results.html", {"competition": None})


@opd_staff_required
def opd_results(request, year):
    """An OPD's own entries in a year's result, only once the result is published."""
    competition = _competition(year)
    snapshot = published_snapshot(competition)
    if snapshot is None:
        raise Http404
    own = opd_own_result(request.user, snapshot)
    return render(
        request,
        "competition/results/opd_results.html",
        {
            "competition": competition,
            "snapshot": snapshot,
            "ranking": own.ranking,
            "entries": own.entries,
            "ranked_ids": own.ranked_ids,
            "years": _published_years(),
        },
    )
