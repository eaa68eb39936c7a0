"""What OPD staff do first: their desk, their innovations, and opening a proposal for one.

Views are thin: check access with ``user.has_perm`` (the rules are in ``competition.rules``),
bind a form, call one service. Anything of another OPD is a 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from competition.eligibility import open_problems
from competition.forms.opd import EntryOpenForm, InnovationForm, InnovatorFormSet
from competition.models import Competition, Entry, EntryStatus, Innovation
from competition.selectors.opd import entries_of, innovations_of, owned_q
from competition.services import entries as entry_services
from competition.services import innovations

from .access import permission_required
from .entries import time_left, waiting_for

PAGE_SIZE = 25


def _own_innovation(user, pk) -> Innovation:
    return get_object_or_404(
        Innovation.objects.filter(owned_q(user)).select_related("agency"), pk=pk
    )


@permission_required("competition.use_opd_desk")
def dashboard(request):
    competition = Competition.objects.current()
    entries = list(entries_of(request.user, competition=competition)) if competition else []
    for entry in entries:
        entry.waiting_for = waiting_for(entry)
    now = timezone.now()
    return render(
        request,
        "competition/opd/dashboard.html",
        {
            "competition": competition,
            "entries": entries,
            "is_open": competition.is_submission_open(now) if competition else False,
            "time_left": time_left(competition.submission_closes_at, now) if competition else "",
            # A coach (pembina) of the year finds the requests to review from here.
            "is_coach": request.user.has_perm("competition.view_reviews", competition),
        },
    )


@permission_required("competition.use_opd_desk")
def innovation_list(request):
    competition = Competition.objects.current()
    innovations = innovations_of(request.user, params=request.GET, competition=competition)
    page = Paginator(innovations.qs, PAGE_SIZE).get_page(request.GET.get("halaman"))
    for innovation in page:
        if getattr(innovation, "entry_status", None):
            innovation.entry_status_label = EntryStatus(innovation.entry_status).label
    return render(
        request,
        "competition/opd/innovation_list.html",
        {
            "page": page,
            "form": innovations.form,
            "competition": competition,
            "is_open": competition.is_submission_open() if competition else False,
        },
    )


def _innovation_form_page(request, innovation=None):
    form = InnovationForm(request.POST or None, instance=innovation, user=request.user)
    formset = InnovatorFormSet(
        request.POST or None, instance=innovation or Innovation(), prefix="innovators"
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        saved = innovations.innovation_save(form=form, innovators=formset, user=request.user)
        messages.success(request, _("Data inovasi “%(title)s” disimpan.") % {"title": saved.title})
        return redirect("competition:innovation_detail", pk=saved.pk)
    # Entries that keep the facts they were submitted with: edits here do not reach them.
    locked_entries = (
        [
            e
            for e in innovation.entries.select_related("competition").order_by("-competition__year")
            if not e.is_editable
        ]
        if innovation
        else []
    )
    return render(
        request,
        "competition/opd/innovation_form.html",
        {
            "form": form,
            "formset": formset,
            "innovation": innovation,
            "locked_entries": locked_entries,
        },
    )


@permission_required("competition.use_opd_desk")
@require_http_methods(["GET", "POST"])
def innovation_create(request):
    return _innovation_form_page(request)


@permission_required("competition.use_opd_desk")
@require_http_methods(["GET", "POST"])
def innovation_update(request, pk):
    return _innovation_form_page(request, _own_innovation(request.user, pk))


@permission_required("competition.use_opd_desk")
def innovation_detail(request, pk):
    innovation = _own_innovation(request.user, pk)
    if innovation.replicates_id:
        innovation = Innovation.objects.select_related("agency", "replicates__agency").get(
            pk=innovation.pk
        )
    competition = Competition.objects.current()
    return render(
        request,
        "competition/opd/innovation_detail.html",
        {
            "innovation": innovation,
            "innovators": innovation.innovators.all(),
            "sdgs": innovation.sdgs.all(),
            "awards": innovation.awards.all(),
            # Where this innovation has been replicated: other innovations naming it.
            "replications": innovation.replications.select_related("agency").order_by("title"),
            "entries": innovation.entries.select_related("competition", "group", "category"),
            "competition": competition,
            "is_open": competition.is_submission_open() if competition else False,
            "current_entry": innovation.entries.filter(competition=competition).first()
            if competition
            else None,
        },
    )


@permission_required("competition.use_opd_desk")
@require_http_methods(["GET", "POST"])
def entry_open(request, pk):
    innovation = _own_innovation(request.user, pk)
    competition = Competition.objects.current()
    if competition is None:
        raise Http404
    existing = Entry.objects.filter(competition=competition, innovation=innovation).first()
    if existing:
        messages.info(request, _("Inovasi ini sudah memiliki proposal tahun ini."))
        return redirect("competition:entry_edit", pk=existing.pk)
    form = EntryOpenForm(request.POST or None, competition=competition)
    if request.method == "POST" and form.is_valid():
        try:
            entry = entry_services.entry_open(
                innovation=innovation,
                competition=competition,
                group=form.cleaned_data["group"],
                category=form.cleaned_data["category"],
                user=request.user,
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Proposal dibuka. Isi bagian-bagiannya lalu simpan."))
            return redirect("competition:entry_edit", pk=entry.pk)
    return render(
        request,
        "competition/opd/entry_open.html",
        {
            "form": form,
            "innovation": innovation,
            "competition": competition,
            "problems": open_problems(innovation, competition),
        },
    )
