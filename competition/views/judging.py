"""The organiser's judging pages: progress, assignment tools, reminders, close, audit."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from competition.forms.judging import (
    AutoAssignForm,
    CategoryPanelForm,
    StageCloseForm,
    StageReopenForm,
)
from competition.models import Entry, Stage
from competition.selectors.judging import judging_audit, stage_missing_sheets, stage_progress
from competition.services import assignment as assignment_services
from competition.services import judging as judging_services
from competition.services.freeze import year_is_locked, year_locked_error
from competition.services.stages import stage_close, stage_reopen
from opd.models import Role, User

from .access import permission_required


def _stage(pk) -> Stage:
    return get_object_or_404(Stage.objects.select_related("competition"), pk=pk)


@permission_required("competition.manage_judging")
def progress(request, pk):
    stage = _stage(pk)
    data = stage_progress(stage)
    entries = Paginator(data.entries, 50).get_page(request.GET.get("halaman"))
    # Closing and reopening with a reason: the stage's own audit trail, latest first.
    lifecycle = (
        stage.history.exclude(history_change_reason__isnull=True)
        .exclude(history_change_reason="")
        .select_related("history_user")
        .order_by("-history_date")[:10]
    )
    return render(
        request,
        "competition/judging/progress.html",
        {"stage": stage, "progress": data, "entries": entries, "lifecycle": lifecycle},
    )


@permission_required("competition.manage_judging")
def auto_assign(request, pk):
    """GET: choose judges and see the preview. POST: save the previewed plan."""
    stage = _stage(pk)
    if request.method == "POST":
        try:
            created = assignment_services.assignments_apply_plan(
                stage=stage, token=request.POST.get("token", ""), actor=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("competition:judging_auto_assign", stage.pk)
        messages.success(
            request,
            _("%(n)s penugasan disimpan; juri diberi tahu melalui e-mail.") % {"n": len(created)},
        )
        return redirect("competition:judging_progress", stage.pk)
    form = AutoAssignForm(request.GET if "pratinjau" in request.GET else None)
    plan = None
    if form.is_bound and form.is_valid():
        judges = form.cleaned_data["juri"] or None
        plan = assignment_services.assignment_plan(
            stage=stage, judges=judges, seed=form.cleaned_data["acak"]
        )
    return render(
        request,
        "competition/judging/auto_assign.html",
        {"stage": stage, "form": form, "plan": plan},
    )


@permission_required("competition.manage_judging")
def category_assign(request, pk):
    stage = _stage(pk)
    form = CategoryPanelForm(request.POST or None, stage=stage)
    if request.method == "POST" and form.is_valid():
        result = assignment_services.assignments_create_for_category(
            stage=stage,
            category=form.cleaned_data["category"],
            judges=form.cleaned_data["judges"],
            actor=request.user,
        )
        messages.success(request, _("%(n)s penugasan dibuat.") % {"n": len(result.created)})
        for reason in result.skipped:
            messages.warning(request, reason)
        return redirect("competition:judging_progress", stage.pk)
    return render(
        request, "competition/judging/category_assign.html", {"stage": stage, "form": form}
    )


@permission_required("competition.manage_judging")
@require_POST
def top_up(request, pk, entry_pk):
    stage = _stage(pk)
    entry = get_object_or_404(Entry, pk=entry_pk, competition_id=stage.competition_id)
    try:
        assignment = assignment_services.assignment_top_up(
            stage=stage, entry=entry, actor=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(judge)s ditugaskan menilai %(entry)s.")
            % {"judge": assignment.judge, "entry": entry},
        )
    return redirect("competition:judging_progress", stage.pk)


@permission_required("competition.manage_judging")
@require_POST
def remind(request, pk):
    stage = _stage(pk)
    n = judging_services.judges_remind(stage=stage)
    messages.success(request, _("Pengingat dikirim kepada %(n)s juri.") % {"n": n})
    return redirect("competition:judging_progress", stage.pk)


@permission_required("competition.manage_judging")
def close(request, pk):
    """GET: what closing would leave out, per judge. POST: close, with a reason if so."""
    stage = _stage(pk)
    if stage.is_frozen:
        return redirect("competition:judging_progress", stage.pk)
    form = StageCloseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            stage_close(stage=stage, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("Tahap %(stage)s ditutup; semua lembar penilaian beku.") % {"stage": stage.name},
            )
            return redirect("competition:judging_progress", stage.pk)
    missing = stage_missing_sheets(stage)
    return render(
        request,
        "competition/judging/close.html",
        {
            "stage": stage,
            "form": form,
            "missing": missing,
            "n_missing": sum(len(m.assignments) for m in missing),
        },
    )


@permission_required("competition.manage_judging")
def reopen(request, pk):
    stage = _stage(pk)
    if not stage.is_frozen:
        return redirect("competition:judging_progress", stage.pk)
    form = StageReopenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            stage_reopen(
                stage=stage,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                closes_at=form.cleaned_data["closes_at"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("Tahap %(stage)s dibuka kembali; juri diberi tahu melalui e-mail.")
                % {"stage": stage.name},
            )
            return redirect("competition:judging_progress", stage.pk)
    locked = year_is_locked(stage.competition)
    return render(
        request,
        "competition/judging/reopen.html",
        {
            "stage": stage,
            "form": form,
            "locked": year_locked_error(stage.competition, _("tahap “%s”") % stage.name).messages[0]
            if locked
            else "",
        },
    )


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@permission_required("competition.manage_judging")
def audit_entry(request, pk):
    entry = get_object_or_404(Entry.objects.select_related("innovation"), pk=pk)
    rows = Paginator(judging_audit(entry=entry), 50).get_page(request.GET.get("halaman"))
    return render(
        request,
        "competition/judging/audit.html",
        {"rows": rows, "title": _("Riwayat penilaian proposal %(entry)s") % {"entry": entry}},
    )


@permission_required("competition.manage_judging")
def audit_judge(request, pk):
    judge = get_object_or_404(User, pk=pk, role=Role.JUDGE)
    rows = Paginator(judging_audit(judge=judge), 50).get_page(request.GET.get("halaman"))
    return render(
        request,
        "competition/judging/audit.html",
        {"rows": rows, "title": _("Riwayat penilaian juri %(judge)s") % {"judge": judge}},
    )


@permission_required("competition.manage_judging")
def stages(request):
    rows = Stage.objects.select_related("competition").order_by("-competition__year", "order")
    page = Paginator(rows, 25).get_page(request.GET.get("halaman"))
    return render(request, "competition/judging/stages.html", {"stages": page})
