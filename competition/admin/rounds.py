"""Target rounds in the admin: the round, its rules per group, its sections and attachments."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from competition.models import (
    ImportedPackage,
    RoundAttachmentKind,
    RoundGroupRule,
    RoundSection,
    TargetRound,
)
from competition.services.rounds import round_copy
from opd.admin_permissions import RulesAdminMixin


class LinesField(forms.CharField):
    """A list of words edited as one item per line."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(str(item) for item in value)
        return value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        return [line.strip() for line in (value or "").splitlines() if line.strip()]


class TargetRoundForm(forms.ModelForm):
    steps = LinesField(label=_("tahapan"), required=False, help_text=_("Satu tahap per baris."))
    award_labels = LinesField(
        label=_("predikat penghargaan"),
        required=False,
        help_text=_("Satu predikat per baris; hasil dipilih dari daftar ini."),
    )

    class Meta:
        model = TargetRound
        fields = [
            "name",
            "slug",
            "series",
            "year",
            "level",
            "organiser",
            "organiser_region",
            "opens_on",
            "closes_on",
            "steps",
            "award_labels",
            "notes",
        ]


class RoundGroupRuleInline(RulesAdminMixin, admin.TabularInline):
    model = RoundGroupRule
    extra = 0


class RoundSectionInline(RulesAdminMixin, admin.StackedInline):
    model = RoundSection
    extra = 0


class RoundAttachmentKindInline(RulesAdminMixin, admin.TabularInline):
    model = RoundAttachmentKind
    extra = 0


@admin.register(TargetRound)
class TargetRoundAdmin(RulesAdminMixin, admin.ModelAdmin):
    form = TargetRoundForm
    list_display = ("name", "level", "organiser", "year", "opens_on", "closes_on")
    list_filter = ("level", "series", "year")
    search_fields = ("name", "organiser", "series")
    list_select_related = ("copied_from",)
    readonly_fields = ("copied_from",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = [RoundGroupRuleInline, RoundSectionInline, RoundAttachmentKindInline]
    actions = ["copy_to_next_year"]

    @admin.action(description=_("Salin ke tahun berikutnya"), permissions=["add"])
    def copy_to_next_year(self, request, queryset):
        for source in queryset.order_by("year"):
            try:
                copy = round_copy(source=source, year=source.year + 1)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(
                    request,
                    gettext("%(copy)s dibuat dari %(source)s. Periksa tanggal dan aturannya.")
                    % {"copy": copy, "source": source},
                    messages.SUCCESS,
                )


@admin.register(ImportedPackage)
class ImportedPackageAdmin(RulesAdminMixin, admin.ModelAdmin):
    """Packages imported from cities and regencies: read-only, written by ``package_import``."""

    list_display = ("source_region", "round_name", "competition", "imported_at", "imported_by")
    list_filter = ("round_slug", "source_region")
    search_fields = ("source_region", "round_name", "package_id")
    list_select_related = ("competition", "imported_by")
    readonly_fields = [f.name for f in ImportedPackage._meta.fields]
