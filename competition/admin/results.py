"""Admin for results: frozen snapshots (read-only), forwardings, outcomes and awards.

Snapshots and placements are written only by ``result_finalise``; here they can be
read, never changed or deleted. Forwardings and outcomes go through the result pages
(which apply the quota and write award history); the admin lists and corrects them,
through ``outcome_correct`` so that the award history follows. An outcome recorded by
mistake is corrected, not deleted: its award would outlive it.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from competition.forms.results import check_evidence
from competition.models import Award, Forwarding, Outcome, OutcomeStep, Placement, ResultSnapshot
from competition.services.forwarding import outcome_correct
from competition.services.verification import result_verify
from opd.admin_permissions import RulesAdminMixin


class PlacementInline(RulesAdminMixin, admin.TabularInline):
    model = Placement
    fields = ["rank", "title", "entry", "final_score", "prize"]
    readonly_fields = fields
    extra = 0


@admin.register(ResultSnapshot)
class ResultSnapshotAdmin(RulesAdminMixin, admin.ModelAdmin):
    list_display = ["competition", "version", "decree_number", "created_at", "published_at"]
    list_filter = ["competition", "published_at"]
    search_fields = ["decree_number", "reason", "checksum"]
    list_select_related = ["competition"]
    readonly_fields = [
        "competition",
        "version",
        "reason",
        "decree_number",
        "decree_date",
        "created_by",
        "created_at",
        "published_at",
        "checksum",
        "verified",
    ]
    exclude = ["payload"]
    inlines = [PlacementInline]

    @admin.display(description=_("hitung ulang cocok"), boolean=True)
    def verified(self, obj):
        return result_verify(obj)


class OutcomeAdminForm(forms.ModelForm):
    """Evidence replaced in the admin is checked like evidence on the pipeline page."""

    class Meta:
        model = Outcome
        fields = ["step", "label", "rank", "decree_number", "occurred_on", "notes", "evidence"]

    def clean_evidence(self):
        return check_evidence(self.cleaned_data.get("evidence"))

    def clean(self):
        data = super().clean()
        if data.get("step") == OutcomeStep.AWARDED and not (data.get("label") or "").strip():
            self.add_error(
                "label",
                _("Tuliskan predikat penghargaan, misalnya Top 45 Kovablik atau Top 99."),
            )
        return data


class OutcomeInline(RulesAdminMixin, admin.TabularInline):
    model = Outcome
    form = OutcomeAdminForm
    fields = ["occurred_on", "step", "label", "rank", "decree_number", "evidence", "recorded_by"]
    readonly_fields = ["recorded_by"]
    extra = 0


@admin.register(Forwarding)
class ForwardingAdmin(RulesAdminMixin, admin.ModelAdmin):
    list_display = ["entry", "level", "round", "forwarded_at", "forwarded_by"]
    list_filter = ["level", "round", "entry__competition"]
    search_fields = ["entry__reference", "entry__innovation__title"]
    list_select_related = ["entry__innovation", "forwarded_by", "round"]
    readonly_fields = ["entry", "level", "round", "forwarded_at", "forwarded_by"]
    inlines = [OutcomeInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not Outcome:
            return super().save_formset(request, form, formset, change)
        for outcome in formset.save(commit=False):
            outcome_correct(outcome=outcome, actor=request.user)
        return None


@admin.register(Outcome)
class OutcomeAdmin(RulesAdminMixin, admin.ModelAdmin):
    form = OutcomeAdminForm
    list_display = ["forwarding", "step", "label", "rank", "occurred_on"]
    list_filter = ["step", "forwarding__level"]
    search_fields = [
        "label",
        "forwarding__entry__reference",
        "forwarding__entry__innovation__title",
    ]
    list_select_related = ["forwarding__entry"]
    readonly_fields = ["forwarding", "recorded_by", "recorded_at"]

    def save_model(self, request, obj, form, change):
        outcome_correct(outcome=obj, actor=request.user)


@admin.register(Award)
class AwardAdmin(RulesAdminMixin, admin.ModelAdmin):
    list_display = ["innovation", "level", "year", "label", "rank", "is_top_winner", "is_top_99"]
    list_filter = ["level", "year", "is_top_winner", "is_top_99"]
    search_fields = ["label", "innovation__title", "innovation__brand_name"]
    list_select_related = ["innovation"]
    raw_id_fields = ["innovation"]
    readonly_fields = ["outcome"]
