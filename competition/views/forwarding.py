"""After the result: forwarding winners to province and nation, and what became of them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from competition.forms.results import ForwardForm, OutcomeForm
from competition.models import Entry, Forwarding, Outcome, OutcomeStep, PlacementTitle
from competition.selectors.forwarding import forwarding_pipeline
from competition.selectors.snapshot import published_snapshot
from competition.services import forwarding as forwarding_services
from competition.services.forwarding import entry_forward, outcome_record

from .access import permission_required, private_download
from .ranking import competition_or_404, error_text


@permission_required("competition.manage_results")
def pipeline(request, year):
    """City entries, finalists, winners, forwarded and outcomes at each level, per year."""
    competition = competition_or_404(year)
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


@permission_required("competition.manage_results")
@require_POST
def forwarding_cancel(request, pk):
    forwarding = get_object_or_404(Forwarding.objects.select_related("entry__competition"), pk=pk)
    year = forwarding.entry.competition.year
    try:
        forwarding_services.forwarding_cancel(forwarding=forwarding, actor=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Penerusan dibatalkan."))
    return redirect("competition:results_pipeline", year=year)


@permission_required("competition.manage_results")
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


@permission_required("competition.manage_results")
def outcome_evidence(request, pk):
    outcome = get_object_or_404(Outcome, pk=pk)
    if not outcome.evidence:
        raise Http404
    return private_download(outcome.evidence.open("rb"), filename=f"bukti-{pk}")
