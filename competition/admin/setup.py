"""Bagian Organisasi sets up a year: the competition and what it asks of the OPDs."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from competition.models import (
    AttachmentKind,
    Category,
    Coach,
    Competition,
    CompetitionGroup,
    ComplianceReminder,
    SectionSpec,
)
from competition.models.competition import AttachmentType
from competition.services.freeze import year_check_editable
from competition.services.setup import (
    attachment_types_errors,
    competition_copy,
    competition_create_default,
    timeline_errors,
)
from competition.templatetags.kovablik import rupiah
from opd.admin_permissions import RulesAdminMixin
from opd.models import RegionProfile, Role, User

YEAR_TAKEN = _(
    "Kompetisi untuk tahun ini sudah ada. Setiap tahun hanya boleh ada satu kompetisi; "
    "ubah kompetisi tahun tersebut atau pilih tahun lain."
)
TIMELINE_FIELDS = (
    "submission_opens_at",
    "submission_closes_at",
    "screening_opens_at",
    "screening_closes_at",
    "announcement_at",
)


class CompetitionAdminForm(forms.ModelForm):
    class Meta:
        model = Competition
        fields = (
            "year",
            "name",
            "theme",
            "description",
            *TIMELINE_FIELDS,
            "min_age_months",
            "max_entries_per_agency",
            "forward_quota",
            "reference_prefix",
            "tie_break_ladder",
            "disagreement_threshold",
            "finalist_count",
            "publish_judge_names",
            "feedback_released",
            "prize_first",
            "prize_second",
            "prize_third",
            "certificate_template",
        )
        error_messages = {"year": {"unique": YEAR_TAKEN}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left empty, the year keeps the default (older forms and imports do not send it).
        self.fields["finalist_count"].required = False

    def clean_finalist_count(self):
        value = self.cleaned_data.get("finalist_count")
        if value is None:
            return (
                self.instance.finalist_count
                or Competition._meta.get_field("finalist_count").default
            )
        return value

    def clean_tie_break_ladder(self):
        ladder = self.cleaned_data["tie_break_ladder"]
        if not isinstance(ladder, list) or not all(isinstance(s, str) and s for s in ladder):
            raise ValidationError(
                _('Isi sebagai daftar teks, mis. ["top_criterion", "first_places"].')
            )
        return ladder

    def clean(self):
        cleaned = super().clean()
        frozen = {"tie_break_ladder", "disagreement_threshold"} & set(self.changed_data)
        if self.instance.pk and frozen:
            # The ladder and the threshold fed the finalised result.
            year_check_editable(
                competition_id=self.instance.pk, what=gettext("urutan penentu seri dan ambang")
            )
        errors = timeline_errors(**{name: cleaned.get(name) for name in TIMELINE_FIELDS})
        for field, message in errors.items():
            self.add_error(field, message)
        return cleaned


class CompetitionGroupInline(RulesAdminMixin, admin.TabularInline):
    model = CompetitionGroup
    extra = 0
    fields = ("code", "description", "is_open", "invitation_only")


class CategoryInline(RulesAdminMixin, admin.TabularInline):
    model = Category
    extra = 0
    fields = ("order", "name", "description")


class SectionSpecForm(forms.ModelForm):
    word_limit = forms.IntegerField(
        label=_("batas kata"),
        validators=[MinValueValidator(1, _("Batas kata harus lebih dari nol."))],
    )

    class Meta:
        model = SectionSpec
        fields = ("order", "key", "label", "guidance", "word_limit", "required", "groups")
        widgets = {
            "groups": forms.CheckboxSelectMultiple,
            "guidance": forms.Textarea(attrs={"rows": 2}),
        }


class SectionSpecInline(RulesAdminMixin, admin.StackedInline):
    model = SectionSpec
    form = SectionSpecForm
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        # The groups a section may apply to are this competition's own.
        self._competition = obj
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            competition = getattr(self, "_competition", None)
            kwargs["queryset"] = (
                CompetitionGroup.objects.filter(competition=competition)
                if competition is not None
                else CompetitionGroup.objects.none()
            )
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class AttachmentKindForm(forms.ModelForm):
    allowed_types = forms.MultipleChoiceField(
        label=_("jenis berkas"),
        choices=AttachmentType.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = AttachmentKind
        fields = (
            "order",
            "key",
            "label",
            "guidance",
            "required",
            "allowed_types",
            "max_size_mb",
            "max_files",
        )
        widgets = {"guidance": forms.Textarea(attrs={"rows": 2})}

    def clean_allowed_types(self):
        allowed = list(self.cleaned_data["allowed_types"])
        message = attachment_types_errors(allowed)
        if message:
            raise ValidationError(message)
        return allowed


class AttachmentKindInline(RulesAdminMixin, admin.StackedInline):
    model = AttachmentKind
    form = AttachmentKindForm
    extra = 0


class CreateDefaultForm(forms.Form):
    """What the organiser must decide before a KIPP-format competition can exist."""

    year = forms.IntegerField(label=_("tahun"), min_value=2000, max_value=2100)
    name = forms.CharField(
        label=_("nama kompetisi"),
        max_length=200,
    )
    theme = forms.CharField(label=_("tema"), max_length=255, required=False)
    submission_opens_at = forms.DateTimeField(
        label=_("pendaftaran dibuka"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    submission_closes_at = forms.DateTimeField(
        label=_("pendaftaran ditutup"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    categories = forms.CharField(
        label=_("kategori"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Satu kategori per baris; dapat diubah kemudian."),
    )

    def clean(self):
        cleaned = super().clean()
        errors = timeline_errors(
            submission_opens_at=cleaned.get("submission_opens_at"),
            submission_closes_at=cleaned.get("submission_closes_at"),
        )
        for field, message in errors.items():
            self.add_error(field, message)
        return cleaned

    def category_names(self) -> list[str]:
        lines = (line.strip() for line in self.cleaned_data["categories"].splitlines())
        return list(dict.fromkeys(line for line in lines if line))


class CoachInline(RulesAdminMixin, admin.TabularInline):
    """The year's coaches (pembina): staff accounts that may comment on requested drafts,
    never on their own agency's. Adding or deleting a row is kept in the history."""

    model = Coach
    extra = 0
    ordering = ("user__full_name", "pk")
    fields = ("user", "designated_at")
    readonly_fields = ("designated_at",)
    verbose_name = _("pembina (staf yang boleh memberi catatan pembinaan)")
    verbose_name_plural = _("pembina (staf yang boleh memberi catatan pembinaan)")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = (
                User.objects.filter(is_active=True, role=Role.OPD_STAFF, agency__isnull=False)
                .select_related("agency")
                .order_by("full_name")
            )
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            field.label_from_instance = lambda user: f"{user.full_name} ({user.agency})"
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Competition)
class CompetitionAdmin(RulesAdminMixin, SimpleHistoryAdmin):
    form = CompetitionAdminForm
    list_display = (
        "year",
        "name",
        "submission_opens_at",
        "submission_closes_at",
        "announcement_at",
        "forward_quota",
    )
    list_display_links = ("year", "name")
    search_fields = ("name", "theme")
    list_filter = ("year",)
    readonly_fields = ("prizes_display", "created_at")
    inlines = (
        CompetitionGroupInline,
        CategoryInline,
        SectionSpecInline,
        AttachmentKindInline,
        CoachInline,
    )
    actions = ("copy_to_next_year",)
    fieldsets = (
        (_("Identitas"), {"fields": ("year", "name", "theme", "description")}),
        (
            _("Jadwal (WIB, Asia/Jakarta)"),
            {"fields": TIMELINE_FIELDS},
        ),
        (
            _("Ketentuan"),
            {
                "fields": (
                    "min_age_months",
                    "max_entries_per_agency",
                    "forward_quota",
                    "reference_prefix",
                    "tie_break_ladder",
                    "disagreement_threshold",
                    "finalist_count",
                    "publish_judge_names",
                    "feedback_released",
                )
            },
        ),
        (
            _("Uang pembinaan"),
            {"fields": ("prize_first", "prize_second", "prize_third", "prizes_display")},
        ),
        (_("Piagam"), {"classes": ("collapse",), "fields": ("certificate_template",)}),
    )

    def save_formset(self, request, form, formset, change):
        if formset.model is Coach:
            for coach_form in formset.forms:
                if coach_form.instance.pk is None and coach_form.has_changed():
                    coach_form.instance.designated_by = request.user
        super().save_formset(request, form, formset, change)

    @admin.display(description=_("uang pembinaan (Rp)"))
    def prizes_display(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        total = obj.prize_first + obj.prize_second + obj.prize_third
        return format_html(
            "{}: {} · {}: {} · {}: {} · {}: {}",
            gettext("Juara I"),
            rupiah(obj.prize_first),
            gettext("Juara II"),
            rupiah(obj.prize_second),
            gettext("Juara III"),
            rupiah(obj.prize_third),
            gettext("Jumlah"),
            rupiah(total),
        )

    def changelist_view(self, request, extra_context=None):
        # "Salin dari tahun lalu" on the list copies the latest year to the one after it.
        latest = Competition.objects.order_by("-year").first()
        extra_context = {**(extra_context or {}), "latest_competition": latest}
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        custom = [
            path(
                "buat-format-kipp/",
                self.admin_site.admin_view(self.create_default_view),
                name="competition_competition_create_default",
            ),
            path(
                "<int:pk>/salin/",
                self.admin_site.admin_view(require_POST(self.copy_view)),
                name="competition_competition_copy",
            ),
        ]
        return custom + super().get_urls()

    def _copy(self, request, source: Competition) -> Competition | None:
        try:
            copy = competition_copy(source=source, year=source.year + 1, actor=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return None
        self.message_user(
            request,
            gettext(
                "Kompetisi %(year)s dibuat dari %(source)s: kelompok, kategori, bagian "
                "proposal, jenis lampiran, tahap dan kriteria penilaian disalin dan jadwal "
                "dimajukan satu tahun. Periksa kembali tanggalnya."
            )
            % {"year": copy.year, "source": source},
            messages.SUCCESS,
        )
        return copy

    @admin.action(description=_("Salin ke tahun berikutnya"), permissions=["add"])
    def copy_to_next_year(self, request, queryset):
        for source in queryset.order_by("year"):
            self._copy(request, source)

    def copy_view(self, request, pk):
        if not self.has_add_permission(request):
            raise Http404
        source = get_object_or_404(Competition, pk=pk)
        copy = self._copy(request, source)
        target = copy or source
        return HttpResponseRedirect(
            reverse("admin:competition_competition_change", args=[target.pk])
        )

    def create_default_view(self, request):
        if not self.has_add_permission(request):
            raise Http404
        region = RegionProfile.current().full_name
        form = CreateDefaultForm(
            request.POST or None,
            initial={
                "year": timezone.localdate().year,
                "name": _("Kompetisi Inovasi Pelayanan Publik %(region)s") % {"region": region},
            },
        )
        if request.method == "POST" and form.is_valid():
            try:
                competition = competition_create_default(
                    year=form.cleaned_data["year"],
                    name=form.cleaned_data["name"],
                    theme=form.cleaned_data["theme"],
                    submission_opens_at=form.cleaned_data["submission_opens_at"],
                    submission_closes_at=form.cleaned_data["submission_closes_at"],
                    categories=form.category_names(),
                    actor=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(
                    request,
                    gettext(
                        "Kompetisi %(year)s dibuat dengan format KIPP. Lengkapi kategori, "
                        "jadwal dan uang pembinaan."
                    )
                    % {"year": competition.year},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:competition_competition_change", args=[competition.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Buat kompetisi baru dengan format KIPP"),
            "form": form,
        }
        return TemplateResponse(
            request, "admin/competition/competition/create_default.html", context
        )


@admin.register(ComplianceReminder)
class ComplianceReminderAdmin(RulesAdminMixin, admin.ModelAdmin):
    """The record of reminder e-mails: read-only, written by the reminder service."""

    list_display = ("sent_on", "competition", "agency", "recipient", "sent_by")
    list_filter = ("competition", "sent_on")
    search_fields = ("agency__name", "recipient__full_name", "recipient__email")
    list_select_related = ("competition", "agency", "recipient", "sent_by")
    date_hierarchy = "sent_on"
