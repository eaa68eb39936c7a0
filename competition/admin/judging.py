"""Judging in the organiser's admin: rubrics (stages and criteria), assignments, conflict
declarations and score sheets.

The judges' own desk is ``competition.admin.desk``.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from competition.forms.judging import ReopenForm
from competition.models import (
    Assignment,
    ConflictDeclaration,
    Criterion,
    Entry,
    ScoreSheet,
    Stage,
)
from competition.selectors.judging import judges_available
from competition.services.assignment import assignment_check, assignment_create, assignment_remove
from competition.services.freeze import year_check_editable
from competition.services.judging import (
    score_sheet_reopen,
)
from competition.services.stages import (
    criteria_weight_error,
    criterion_delete,
    criterion_save,
    stage_check_rubric_editable,
    stage_close,
    stage_save,
)
from opd.admin_permissions import RulesAdminMixin


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


class CriterionInline(RulesAdminMixin, admin.TabularInline):
    model = Criterion
    formset = CriterionFormSet
    extra = 0
    fields = ("order", "label", "guidance", "min_score", "max_score", "weight", "comment_required")

    def _locked(self, obj) -> bool:
        return obj is not None and obj.has_started()

    def get_readonly_fields(self, request, obj=None):
        return self.fields if self._locked(obj) else ()


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
class StageAdmin(RulesAdminMixin, SimpleHistoryAdmin):
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
class AssignmentAdmin(RulesAdminMixin, SimpleHistoryAdmin):
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
class ConflictDeclarationAdmin(RulesAdminMixin, SimpleHistoryAdmin):
    list_display = ("entry", "judge", "stage", "has_conflict", "reason", "declared_at")
    list_filter = ("has_conflict", "stage")
    search_fields = ("entry__reference", "entry__innovation__title", "judge__full_name")
    list_select_related = ("entry", "judge", "stage__competition")
    readonly_fields = ("stage", "entry", "judge", "has_conflict", "reason", "declared_at")


@admin.register(ScoreSheet)
class ScoreSheetAdmin(RulesAdminMixin, SimpleHistoryAdmin):
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
