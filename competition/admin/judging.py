"""Judging in the admin: the organiser's rubrics and assignments, and the judges' desk.

``judge_desk`` is a separate ``AdminSite`` mounted at ``/penilaian/``: a judge sees only
"Penilaian saya" (his or her own assignments in open stages) and the scoring page of
each. Nothing else of the admin exists there. The organiser's models stay on
``admin.site``.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import Case, CharField, Value, When
from django.db.models.functions import Coalesce
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from competition.forms.judging import (
    BulkConflictForm,
    ConflictDeclarationForm,
    ReopenForm,
    ScoreSheetForm,
)
from competition.models import (
    Assignment,
    Category,
    ConflictDeclaration,
    Criterion,
    Entry,
    ScoreSheet,
    SheetStatus,
    Stage,
)
from competition.selectors.judging import (
    NOT_STARTED,
    judge_closed_stages,
    judge_desk_assignments,
    judge_desk_sequences,
    judges_available,
)
from competition.services.assignment import assignment_check, assignment_create, assignment_remove
from competition.services.freeze import year_check_editable
from competition.services.judging import (
    conflict_declare,
    conflict_declare_many,
    score_sheet_reopen,
    score_sheet_save,
)
from competition.services.stages import (
    criteria_weight_error,
    criterion_delete,
    criterion_save,
    stage_check_rubric_editable,
    stage_close,
    stage_save,
)
from competition.uploads import INLINE_TYPES

STATUS_LABELS = {
    NOT_STARTED: _("Belum mulai"),
    SheetStatus.DRAFT: _("Draf"),
    SheetStatus.SUBMITTED: _("Dikirim"),
}


# --- The organiser's admin ------------------------------------------------------------


class CriterionFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        stage = self.instance
        if stage.pk and self.has_changed():
            try:
                stage_check_rubric_editable(Stage.objects.get(pk=stage.pk))
            except ValidationError as exc:
                raise ValidationError(exc.messages) from None
        weights = [
            form.cleaned_data.get("weight")
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if weights:
            error = criteria_weight_error(weights)
            if error:
                raise ValidationError(error)


class CriterionInline(admin.TabularInline):
    model = Criterion
    formset = CriterionFormSet
    extra = 0
    fields = ("order", "label", "guidance", "min_score", "max_score", "weight", "comment_required")

    def _locked(self, obj) -> bool:
        return obj is not None and obj.has_started()

    def get_readonly_fields(self, request, obj=None):
        return self.fields if self._locked(obj) else ()

    def has_add_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_delete_permission(request, obj)


class StageAdminForm(forms.ModelForm):
    class Meta:
        model = Stage
        fields = (
            "competition",
            "order",
            "kind",
            "name",
            "opens_at",
            "closes_at",
            "final_weight",
            "judges_per_entry",
            "max_entries_per_judge",
            "min_entries_for_normalisation",
        )

    def clean(self):
        cleaned = super().clean()
        competition = cleaned.get("competition") or getattr(self.instance, "competition", None)
        if competition is not None and self.has_changed():
            year_check_editable(
                competition_id=competition.pk,
                what=gettext("jadwal dan bobot tahap “%s”") % (cleaned.get("name") or ""),
            )
        return cleaned


@admin.register(Stage)
class StageAdmin(SimpleHistoryAdmin):
    form = StageAdminForm
    list_display = (
        "name",
        "competition",
        "kind",
        "opens_at",
        "closes_at",
        "closed_at",
        "judges_per_entry",
        "max_entries_per_judge",
        "progress_link",
    )
    list_filter = ("competition", "kind")
    search_fields = ("name",)
    list_select_related = ("competition",)
    readonly_fields = ("closed_at",)
    inlines = [CriterionInline]
    actions = ["close_stages"]

    @admin.display(description=_("progres"))
    def progress_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("competition:judging_progress", args=[obj.pk]),
            gettext("Progres dan penugasan"),
        )

    def save_model(self, request, obj, form, change):
        if not change or form.has_changed():
            stage_save(stage=obj, actor=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Criterion:
            return super().save_formset(request, form, formset, change)
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            criterion_delete(criterion=obj, actor=request.user)
        for obj in instances:
            criterion_save(criterion=obj, actor=request.user)
        return None

    @admin.action(description=_("Tutup tahap terpilih (bekukan lembar penilaian)"))
    def close_stages(self, request, queryset):
        closed = 0
        for stage in queryset:
            try:
                stage_close(stage=stage, actor=request.user)
            except ValidationError:
                # Missing sheets need a reason, given on the stage's own close page.
                self.message_user(
                    request,
                    format_html(
                        '{}: {} <a href="{}">{}</a>',
                        stage,
                        gettext("masih ada lembar penilaian yang belum dikirim."),
                        reverse("competition:judging_close", args=[stage.pk]),
                        gettext("Tutup dengan alasan"),
                    ),
                    messages.WARNING,
                )
            else:
                closed += 1
        self.message_user(
            request, gettext("%(n)s tahap ditutup.") % {"n": closed}, messages.SUCCESS
        )


class AssignmentAdminForm(forms.ModelForm):
    class Meta:
        model = Assignment
        fields = ("stage", "entry", "judge")

    def clean(self):
        cleaned = super().clean()
        stage, entry, judge = cleaned.get("stage"), cleaned.get("entry"), cleaned.get("judge")
        if stage and entry and judge and not self.instance.pk:
            assignment_check(stage=stage, entry=entry, judge=judge)
        return cleaned


def _entry_label(entry) -> str:
    return f"{entry.competition.year} · {entry.reference or '—'} · {entry.innovation.title}"


@admin.register(Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    form = AssignmentAdminForm
    list_display = ("entry", "entry_title", "judge", "stage", "assigned_by", "assigned_at")
    list_filter = ("stage", "entry__category")
    search_fields = ("entry__reference", "entry__innovation__title", "judge__full_name")
    list_select_related = ("entry__innovation", "judge", "stage__competition", "assigned_by")
    actions = ["remove_assignments"]

    @admin.display(description=_("judul inovasi"), ordering="entry__innovation__title")
    def entry_title(self, obj):
        return obj.entry.innovation.title

    def get_readonly_fields(self, request, obj=None):
        return ("stage", "entry", "judge") if obj else ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "judge":
            kwargs["queryset"] = judges_available().select_related("agency")
        if db_field.name == "entry":
            kwargs["queryset"] = Entry.objects.screened_in().select_related(
                "innovation", "competition"
            )
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "entry":
            field.label_from_instance = _entry_label
        return field

    def save_model(self, request, obj, form, change):
        if change:
            return
        created = assignment_create(
            stage=obj.stage, entry=obj.entry, judge=obj.judge, actor=request.user
        )
        obj.pk = created.pk

    def has_delete_permission(self, request, obj=None):
        return False  # withdrawn through the action, which keeps submitted sheets safe

    @admin.action(description=_("Cabut penugasan terpilih"))
    def remove_assignments(self, request, queryset):
        removed = 0
        for assignment in queryset:
            try:
                assignment_remove(assignment=assignment, actor=request.user)
                removed += 1
            except ValidationError as exc:
                self.message_user(request, f"{assignment}: {exc.messages[0]}", messages.ERROR)
        self.message_user(
            request, gettext("%(n)s penugasan dicabut.") % {"n": removed}, messages.SUCCESS
        )


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(SimpleHistoryAdmin):
    list_display = ("entry", "judge", "stage", "has_conflict", "reason", "declared_at")
    list_filter = ("has_conflict", "stage")
    search_fields = ("entry__reference", "entry__innovation__title", "judge__full_name")
    list_select_related = ("entry", "judge", "stage__competition")
    readonly_fields = ("stage", "entry", "judge", "has_conflict", "reason", "declared_at")

    def has_add_permission(self, request):
        return False  # only the judge declares

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ScoreSheet)
class ScoreSheetAdmin(SimpleHistoryAdmin):
    list_display = ("entry", "judge", "stage", "status", "version", "submitted_at", "reopened_at")
    list_filter = ("status", "stage")
    search_fields = ("entry__reference", "entry__innovation__title", "judge__full_name")
    list_select_related = ("entry", "judge", "stage__competition")
    readonly_fields = (
        "stage",
        "entry",
        "judge",
        "status",
        "general_comment",
        "version",
        "submitted_at",
        "reopened_at",
        "reopen_reason",
        "scores_display",
    )

    @admin.display(description=_("nilai"))
    def scores_display(self, obj):
        rows = obj.scores.select_related("criterion").order_by("criterion__order")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "", "<li>{}: {} — {}</li>", ((s.criterion.label, s.value, s.comment) for s in rows)
            ),
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "<int:pk>/buka-kembali/",
                self.admin_site.admin_view(self.reopen_view),
                name="competition_scoresheet_reopen",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        extra_context["reopen_url"] = reverse(
            "admin:competition_scoresheet_reopen", args=[object_id]
        )
        return super().change_view(request, object_id, form_url, extra_context)

    def reopen_view(self, request, pk):
        sheet = self.get_object(request, str(pk))
        if sheet is None or not self.has_change_permission(request, sheet):
            raise Http404
        form = ReopenForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                score_sheet_reopen(
                    sheet=sheet, actor=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                self.message_user(
                    request,
                    gettext(
                        "Lembar dibuka kembali; juri dapat memperbaikinya lalu mengirim ulang."
                    ),
                    messages.SUCCESS,
                )
                return redirect("admin:competition_scoresheet_change", sheet.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Buka kembali lembar penilaian"),
            "sheet": sheet,
            "form": form,
            "opts": self.opts,
        }
        return TemplateResponse(request, "admin/judging/reopen_sheet.html", context)


# --- The judges' desk --------------------------------------------------------------------


class JudgeDeskSite(admin.AdminSite):
    """An admin site with one page for judges: their own assignments and score sheets."""

    site_header = _("Meja Penilaian Kovablik")
    site_title = _("Meja Penilaian")
    index_title = _("Penilaian saya")
    site_url = "/"
    enable_nav_sidebar = False

    def has_permission(self, request):
        return request.user.is_active and getattr(request.user, "is_judge", False)

    def index(self, request, extra_context=None):
        # The desk's front page is "Penilaian saya" itself.
        return self._registry[Assignment].changelist_view(request, extra_context)

    def app_index(self, request, app_label, extra_context=None):
        return redirect("judge_desk:competition_assignment_changelist")

    def login(self, request, extra_context=None):
        # One login page for everyone; a signed-in non-judge has nothing here.
        if request.user.is_authenticated:
            raise Http404
        return redirect_to_login(request.GET.get("next", request.path), settings.LOGIN_URL)


judge_desk = JudgeDeskSite(name="judge_desk")


class DeskStatusFilter(admin.SimpleListFilter):
    title = _("status lembar")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return list(STATUS_LABELS.items())

    def queryset(self, request, queryset):
        if self.value() in STATUS_LABELS:
            return queryset.filter(desk_status=self.value())
        return queryset


class DeskStageFilter(admin.SimpleListFilter):
    title = _("tahap")
    parameter_name = "tahap"

    def lookups(self, request, model_admin):
        stages = {a.stage for a in model_admin.get_queryset(request)}
        return [(str(s.pk), s.name) for s in sorted(stages, key=lambda s: s.order)]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(stage_id=int(self.value()))
        return queryset


class DeskCategoryFilter(admin.SimpleListFilter):
    title = _("kategori")
    parameter_name = "kategori"

    def lookups(self, request, model_admin):
        ids = model_admin.get_queryset(request).values("entry__category_id")
        return [(str(c.pk), c.name) for c in Category.objects.filter(pk__in=ids)]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(entry__category_id=int(self.value()))
        return queryset


@admin.register(Assignment, site=judge_desk)
class JudgeDeskAdmin(admin.ModelAdmin):
    """ "Penilaian saya": the judge's own assignments, and the scoring page of each."""

    list_display = (
        "reference",
        "title",
        "agency",
        "category",
        "stage_name",
        "deadline",
        "status_badge",
    )
    list_display_links = ("title",)
    list_filter = (DeskStageFilter, DeskCategoryFilter, DeskStatusFilter)
    search_fields = ("entry__innovation__title", "entry__reference")
    search_help_text = _("Cari judul inovasi atau nomor registrasi.")
    list_per_page = 25
    actions = None
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    change_list_template = "admin/judging/desk_list.html"

    def get_queryset(self, request):
        return judge_desk_assignments(request.user).annotate(
            desk_status=Coalesce("raw_sheet_status", Value(NOT_STARTED), output_field=CharField()),
            status_order=Case(
                When(raw_sheet_status=SheetStatus.SUBMITTED, then=Value(2)),
                When(raw_sheet_status=SheetStatus.DRAFT, then=Value(1)),
                default=Value(0),
            ),
        )

    def get_ordering(self, request):
        # The sitting's stable order: a saved sheet never moves a row (see DeskSequence).
        return ("stage__order", "entry__reference", "pk")

    def lookup_allowed(self, lookup, value, request=None):
        # Only the three filters above; judge__..., entry__... tricks are refused (400).
        return lookup in {
            DeskStageFilter.parameter_name,
            DeskCategoryFilter.parameter_name,
            DeskStatusFilter.parameter_name,
        }

    @admin.display(description=_("nomor registrasi"), ordering="entry__reference")
    def reference(self, obj):
        return obj.entry.reference or "—"

    @admin.display(description=_("judul inovasi"), ordering="entry__innovation__title")
    def title(self, obj):
        return obj.entry.innovation.title

    @admin.display(description=_("OPD"))
    def agency(self, obj):
        return obj.entry.agency.short_name or obj.entry.agency.name

    @admin.display(description=_("kategori"))
    def category(self, obj):
        return obj.entry.category.name

    @admin.display(description=_("tahap"))
    def stage_name(self, obj):
        return obj.stage.name

    @admin.display(description=_("batas waktu"), ordering="stage__closes_at")
    def deadline(self, obj):
        return formats.date_format(timezone.localtime(obj.stage.closes_at), "DATETIME_FORMAT")

    @admin.display(description=_("status"), ordering="status_order")
    def status_badge(self, obj):
        return format_html(
            '<span class="desk-status desk-status-{}">{}</span>',
            obj.desk_status,
            STATUS_LABELS[obj.desk_status],
        )

    def has_module_permission(self, request):
        return self.admin_site.has_permission(request)

    def has_view_permission(self, request, obj=None):
        return self.admin_site.has_permission(request) and (
            obj is None or obj.judge_id == request.user.pk
        )

    has_change_permission = has_view_permission

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view
        return [
            path("", view(self.changelist_view), name="{}_{}_changelist".format(*info)),
            path(
                "konflik/",
                view(self.declare_all_view),
                name="{}_{}_declare_all".format(*info),
            ),
            path("<int:object_id>/", view(self.change_view), name="{}_{}_change".format(*info)),
        ]

    def changelist_view(self, request, extra_context=None):
        sequences = list(judge_desk_sequences(request.user).values())
        extra_context = {
            **(extra_context or {}),
            "title": gettext("Penilaian saya"),
            "sequences": sequences,
            "undeclared": sum(1 for seq in sequences for item in seq.items if not item.declared),
            "declare_all_url": reverse("judge_desk:competition_assignment_declare_all"),
            # The desk says when a stage closed instead of simply emptying.
            "closed_stages": list(judge_closed_stages(request.user)[:3]),
        }
        return super().changelist_view(request, extra_context)

    def declare_all_view(self, request):
        """Every assignment still waiting for a conflict declaration, on one page."""
        pending = list(
            judge_desk_assignments(request.user)
            .filter(declared=False)
            .order_by("stage__order", "stage_id", "entry__reference", "pk")
        )
        changelist_url = reverse("judge_desk:competition_assignment_changelist")
        if not pending:
            self.message_user(
                request,
                gettext("Semua proposal Anda sudah memiliki pernyataan konflik kepentingan."),
                messages.INFO,
            )
            return redirect(changelist_url)
        form = BulkConflictForm(request.POST or None, assignments=pending)
        if request.method == "POST" and form.is_valid():
            try:
                conflict_declare_many(judge=request.user, declarations=form.declarations())
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                done = len(form.declarations())
                self.message_user(
                    request,
                    ngettext(
                        "Pernyataan untuk %(n)s proposal dicatat.",
                        "Pernyataan untuk %(n)s proposal dicatat.",
                        done,
                    )
                    % {"n": done},
                    messages.SUCCESS,
                )
                return redirect(changelist_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Pernyataan konflik kepentingan untuk semua proposal"),
            "form": form,
            "rows": form.rows(),
            "changelist_url": changelist_url,
        }
        return TemplateResponse(request, "admin/judging/declare_all.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        assignment = judge_desk_assignments(request.user).filter(pk=object_id).first()
        if assignment is None:
            raise Http404
        if not assignment.declared:
            return self._declare(request, assignment)
        return self._score(request, assignment)

    def _context(self, request, assignment, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "assignment": assignment,
            "entry": assignment.entry,
            # Judges score the facts as submitted, not later edits of the innovation.
            "judged": assignment.entry.judged,
            "stage": assignment.stage,
            "changelist_url": reverse("judge_desk:competition_assignment_changelist"),
            "declare_all_url": reverse("judge_desk:competition_assignment_declare_all"),
            **extra,
        }

    def _declare(self, request, assignment):
        form = ConflictDeclarationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            has_conflict = form.cleaned_data["decision"] == ConflictDeclarationForm.CONFLICT
            try:
                conflict_declare(
                    assignment=assignment,
                    judge=request.user,
                    has_conflict=has_conflict,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                if has_conflict:
                    self.message_user(
                        request,
                        gettext(
                            "Terima kasih. Konflik kepentingan Anda dicatat dan proposal ini "
                            "dilepas dari daftar penilaian Anda."
                        ),
                        messages.SUCCESS,
                    )
                    return redirect("judge_desk:competition_assignment_changelist")
                return HttpResponseRedirect(request.path)
        context = self._context(
            request,
            assignment,
            title=gettext("Pernyataan konflik kepentingan"),
            form=form,
        )
        return TemplateResponse(request, "admin/judging/declare.html", context)

    def _score(self, request, assignment):
        entry = assignment.entry
        stage = assignment.stage
        criteria = list(stage.criteria.order_by("order"))
        sheet = _own_sheet(assignment, request.user)
        action = request.POST.get("action") if request.method == "POST" else None
        stale_sheet = None
        if action == "reopen" and sheet is not None:
            try:
                score_sheet_reopen(sheet=sheet, actor=request.user)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
            else:
                self.message_user(
                    request, gettext("Lembar dibuka kembali sebagai draf."), messages.SUCCESS
                )
            return HttpResponseRedirect(request.path)
        if action in {"draft", "submit", "submit_next"}:
            submit = action != "draft"
            form = ScoreSheetForm(criteria=criteria, sheet=sheet, data=request.POST)
            if form.is_valid(submit=submit):
                try:
                    score_sheet_save(
                        sheet_or_assignment=assignment,
                        judge=request.user,
                        values=form.score_values(),
                        comments=form.comment_values(),
                        general_comment=form.cleaned_data["general_comment"],
                        expected_version=form.cleaned_data["version"],
                        submit=submit,
                    )
                except ValidationError as exc:
                    if _code(exc) == "stale":
                        stale_sheet = _own_sheet(assignment, request.user)
                        form.mark_stale(stale_sheet)
                    _add_errors(form, exc)
                else:
                    self.message_user(
                        request,
                        gettext("Lembar penilaian dikirim. Terima kasih.")
                        if submit
                        else gettext("Draf tersimpan."),
                        messages.SUCCESS,
                    )
                    if action == "submit_next":
                        return self._to_next_unscored(request, assignment)
                    if action == "submit":
                        return redirect("judge_desk:competition_assignment_changelist")
                    return HttpResponseRedirect(request.path)
        else:
            form = ScoreSheetForm(criteria=criteria, sheet=sheet)
        answers = entry.answers.select_related("section").order_by("section__order")
        attachments = entry.attachments.select_related("kind").order_by(
            "kind__order", "uploaded_at"
        )
        sequence = judge_desk_sequences(request.user).get(assignment.stage_id)
        context = self._context(
            request,
            assignment,
            title=entry.judged.title,
            form=form,
            rows=form.criterion_rows(),
            sheet=sheet,
            stale_sheet=stale_sheet,
            editable=form.editable(stage),
            answers=answers,
            attachments=[
                (a, reverse("competition:attachment_download", args=[a.pk])) for a in attachments
            ],
            inline_attachments=[
                {
                    "attachment": a,
                    "url": reverse("competition:attachment_inline", args=[a.pk]),
                    "is_pdf": a.content_type == "application/pdf",
                }
                for a in attachments
                if a.content_type in INLINE_TYPES
            ],
            sitting=_sitting(sequence, assignment.pk),
            saved_total=sheet.total if sheet is not None else None,
        )
        return TemplateResponse(request, "admin/judging/score_desk.html", context)

    def _to_next_unscored(self, request, assignment):
        sequence = judge_desk_sequences(request.user).get(assignment.stage_id)
        following = sequence.next_unscored(assignment.pk) if sequence else None
        if following is None:
            self.message_user(
                request,
                gettext("Semua proposal pada tahap ini sudah Anda nilai."),
                messages.SUCCESS,
            )
            return redirect("judge_desk:competition_assignment_changelist")
        return redirect("judge_desk:competition_assignment_change", following)


def _desk_url(assignment_id: int | None) -> str | None:
    if assignment_id is None:
        return None
    return reverse("judge_desk:competition_assignment_change", args=[assignment_id])


def _sitting(sequence, assignment_id: int) -> dict | None:
    """Where the judge is in the stage: progress, previous and next proposal."""
    if sequence is None:
        return None
    return {
        "done": sequence.done,
        "total": sequence.total,
        "position": sequence.position(assignment_id),
        "previous_url": _desk_url(sequence.previous(assignment_id)),
        "next_url": _desk_url(sequence.next(assignment_id)),
        "next_unscored": sequence.next_unscored(assignment_id),
    }


def _own_sheet(assignment, judge) -> ScoreSheet | None:
    """The judge's sheet for the assignment (one at most)."""
    return (
        ScoreSheet.objects.filter(
            stage_id=assignment.stage_id, entry_id=assignment.entry_id, judge=judge
        )
        .prefetch_related("scores")
        .first()
    )


def _code(exc: ValidationError) -> str | None:
    if hasattr(exc, "error_list") and exc.error_list:
        return exc.error_list[0].code
    return None


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
