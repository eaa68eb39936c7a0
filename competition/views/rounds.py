"""The organiser's target rounds: the list, one round's rules and forwarding against them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from competition.forms.rounds import RoundCreateForm, RoundForwardForm
from competition.models import Competition, Entry, TargetRound
from competition.selectors import rounds as selectors
from competition.services import rounds as services

from .access import organiser_required


@organiser_required
def round_list(request):
    form = RoundCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        kind, _sep, key = form.cleaned_data["source"].partition(":")
        year = form.cleaned_data["year"]
        try:
            if kind == "format":
                target = services.round_create_from_format(format_key=key, year=year)
            else:
                target = services.round_copy_latest(series=key, year=year)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("%(round)s dibuat. Periksa tanggal dan aturannya.") % {"round": target}
            )
            return redirect("competition:round_detail", slug=target.slug)
    rounds = TargetRound.objects.order_by("-year", "name")
    return render(request, "competition/rounds/list.html", {"rounds": rounds, "form": form})


def _year(request) -> Competition | None:
    competitions = Competition.objects.order_by("-year")
    wanted = request.GET.get("tahun", "")
    if wanted.isdigit():
        return competitions.filter(year=int(wanted)).first()
    return competitions.first()


@organiser_required
def round_detail(request, slug):
    target = get_object_or_404(TargetRound, slug=slug)
    competition = _year(request)
    candidates = selectors.round_candidates(target, competition) if competition else []
    return render(
        request,
        "competition/rounds/detail.html",
        {
            "round": target,
            "rules": list(target.rules.all()),
            "sections": list(target.sections.all()),
            "attachment_kinds": list(target.attachment_kinds.all()),
            "forwardings": selectors.round_forwardings(target),
            "competition": competition,
            "competitions": Competition.objects.order_by("-year").values_list("year", flat=True),
            "candidates": [c for c in candidates if c.forwarding is None],
        },
    )


@organiser_required
@require_POST
def round_forward(request, slug):
    target = get_object_or_404(TargetRound, slug=slug)
    form = RoundForwardForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih proposal yang akan diteruskan."))
        return redirect("competition:round_detail", slug=slug)
    entry = get_object_or_404(
        Entry.objects.select_related("competition"), pk=form.cleaned_data["entry"]
    )
    try:
        services.entry_forward_to_round(
            entry=entry, target_round=target, actor=request.user, notes=form.cleaned_data["notes"]
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(entry)s diteruskan ke %(round)s.") % {"entry": entry.reference, "round": target},
        )
    detail = reverse("competition:round_detail", args=[slug])
    return redirect(f"{detail}?tahun={entry.competition.year}")
