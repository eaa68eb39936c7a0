"""Bagian Organisasi's admin for agencies and accounts. Every change of state goes through
``opd.services``, so the admin, the views and the demo seeder behave the same."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import BaseUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.db.models import Case, Count, Value, When
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from opd.admin_permissions import RulesAdminMixin

from . import importers, services
from .forms import AgencyImportForm, JudgeCreateForm, RejectForm, phone_validator
from .models import Agency, Approval, RegionProfile, Role, User


class HasParentFilter(admin.SimpleListFilter):
    title = _("induk")
    parameter_name = "induk"

    def lookups(self, request, model_admin):
        return [("tanpa", _("Tanpa induk (OPD)")), ("ada", _("Punya induk (unit)"))]

    def queryset(self, request, queryset):
        if self.value() == "tanpa":
            return queryset.filter(parent__isnull=True)
        if self.value() == "ada":
            return queryset.filter(parent__isnull=False)
        return queryset


@admin.register(Agency)
class AgencyAdmin(RulesAdminMixin, SimpleHistoryAdmin):
    list_display = ("name", "short_name", "kind", "parent", "head_name", "is_active", "members")
    list_filter = (
        "kind",
        "is_active",
        HasParentFilter,
        ("parent", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("name", "short_name", "head_name", "head_nip", "email")
    list_select_related = ("parent",)
    list_per_page = 50
    autocomplete_fields = ("parent",)
    readonly_fields = ("created_at", "updated_at")
    actions = ("deactivate", "activate")
    change_list_template = "admin/opd/agency/change_list.html"
    fieldsets = (
        (None, {"fields": ("name", "short_name", "kind", "parent", "is_active")}),
        (_("Kepala"), {"fields": ("head_name", "head_nip")}),
        (_("Kontak"), {"fields": ("email", "phone", "address")}),
        (_("Katalog"), {"fields": ("publishes_catalogue",)}),
        (_("Catatan sistem"), {"fields": ("created_at", "updated_at")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("members"))

    @admin.display(description=_("pengguna"), ordering="member_count")
    def members(self, obj):
        return obj.member_count

    def get_actions(self, request):
        # The bulk delete would bypass has_delete_permission(obj); deactivate instead.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=_("Nonaktifkan OPD terpilih"), permissions=["change"])
    def deactivate(self, request, queryset):
        changed = services.agency_set_active(agencies=queryset, active=False)
        self.message_user(
            request,
            ngettext("%(n)d OPD dinonaktifkan.", "%(n)d OPD dinonaktifkan.", changed)
            % {"n": changed},
            messages.SUCCESS,
        )

    @admin.action(description=_("Aktifkan OPD terpilih"), permissions=["change"])
    def activate(self, request, queryset):
        changed = services.agency_set_active(agencies=queryset, active=True)
        self.message_user(
            request,
            ngettext("%(n)d OPD diaktifkan.", "%(n)d OPD diaktifkan.", changed) % {"n": changed},
            messages.SUCCESS,
        )

    def get_urls(self):
        return [
            path(
                "impor/",
                self.admin_site.admin_view(self.import_view),
                name="opd_agency_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """Upload an XLSX or CSV agency list; all rows are saved, or none."""
        if not self.has_add_permission(request) or not self.has_change_permission(request):
            return redirect("admin:index")
        form = AgencyImportForm(request.POST or None, request.FILES or None)
        result = None
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            result = importers.agencies_import(data=upload.read(), filename=upload.name)
            if result.ok:
                self.message_user(
                    request,
                    gettext("Impor selesai: %(created)d OPD baru, %(updated)d diperbarui.")
                    % {"created": result.created, "updated": result.updated},
                    messages.SUCCESS,
                )
                return redirect("admin:opd_agency_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Impor OPD dari XLSX/CSV"),
            "form": form,
            "result": result,
            "columns": list(importers.COLUMNS),
        }
        return TemplateResponse(request, "admin/opd/agency/import.html", context)


class _AgencyRequiredForStaff:
    def clean_phone(self):
        # The same precise messages as at sign-up: too short, too long, letters.
        phone = self.cleaned_data.get("phone", "").strip()
        if phone:
            phone_validator(phone)
        return phone

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == Role.OPD_STAFF and not cleaned.get("agency"):
            self.add_error("agency", _("Staf OPD wajib terikat pada satu OPD."))
        return cleaned


class UserAdminCreationForm(_AgencyRequiredForStaff, BaseUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "role", "agency", "nip", "phone", "institution")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if services.email_is_taken(email):
            raise ValidationError(_("Alamat e-mail ini sudah dipakai akun lain."))
        return email


class UserAdminChangeForm(_AgencyRequiredForStaff, UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if services.email_is_taken(email, exclude_pk=self.instance.pk):
            raise ValidationError(_("Alamat e-mail ini sudah dipakai akun lain."))
        return email


@admin.register(User)
class UserAdmin(RulesAdminMixin, DjangoUserAdmin):
    form = UserAdminChangeForm
    add_form = UserAdminCreationForm
    # "Status akun" right after the name, the agency by its short name: at 1366 pixels, beside
    # the filters, every column stays in view.
    list_display = (
        "full_name",
        "account_status",
        "email",
        "role",
        "agency_short",
        "date_joined",
    )
    list_filter = ("approval", "role", "is_active", ("agency", admin.RelatedOnlyFieldListFilter))
    search_fields = ("full_name", "email", "nip", "agency__name", "agency__short_name")
    list_select_related = ("agency",)
    list_per_page = 50
    autocomplete_fields = ("agency",)
    # Pending accounts first: they are what the organiser has to act on.
    ordering = (
        Case(When(approval=Approval.PENDING, then=Value(0)), default=Value(1)).asc(),
        "-date_joined",
    )

    @admin.display(description=_("status akun"), ordering="approval")
    def account_status(self, obj):
        """Approval and the active switch in one word: what the organiser acts on."""
        if obj.approval != Approval.APPROVED:
            label, tone = obj.get_approval_display(), obj.approval
        elif obj.is_active:
            label, tone = gettext("Aktif"), "active"
        else:
            label, tone = gettext("Nonaktif"), "inactive"
        return format_html('<span class="account-status account-status-{}">{}</span>', tone, label)

    @admin.display(description=_("OPD"), ordering="agency__name")
    def agency_short(self, obj):
        if obj.agency is None:
            return "—"
        short = obj.agency.short_name or obj.agency.name
        return format_html('<abbr title="{}">{}</abbr>', obj.agency.name, short)

    readonly_fields = (
        "approval",
        "rejection_reason",
        "decided_at",
        "decided_by",
        "last_login",
        "date_joined",
    )
    actions = ("approve", "reject")
    change_list_template = "admin/opd/user/change_list.html"
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Data diri"),
            {"fields": ("full_name", "nip", "phone", "role", "agency", "institution")},
        ),
        (
            _("Status akun"),
            {
                "fields": (
                    "is_active",
                    "approval",
                    "rejection_reason",
                    "decided_at",
                    "decided_by",
                )
            },
        ),
        (_("Waktu"), {"fields": ("last_login", "date_joined")}),
    )
    superuser_fieldsets = (
        # Only the flag: permission rows and groups grant nothing here, every permission is a
        # rule (opd/rules.py, competition/rules.py) read by User.has_perm.
        (_("Hak akses superuser"), {"fields": ("is_superuser",)}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "full_name",
                    "role",
                    "agency",
                    "nip",
                    "phone",
                    "institution",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and request.user.is_superuser:
            fieldsets = fieldsets + self.superuser_fieldsets
        return fieldsets

    def save_model(self, request, obj, form, change):
        if not change:
            # The organiser vouches for accounts created here.
            obj.approval = Approval.APPROVED
            obj.decided_by = request.user
            obj.is_active = True
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Setujui akun terpilih"), permissions=["change"])
    def approve(self, request, queryset):
        approved = 0
        for user in queryset.exclude(approval=Approval.APPROVED).filter(is_superuser=False):
            services.user_approve(user=user, actor=request.user)
            approved += 1
        self.message_user(
            request,
            ngettext(
                "%(n)d akun disetujui; pemiliknya menerima e-mail.",
                "%(n)d akun disetujui; pemiliknya menerima e-mail.",
                approved,
            )
            % {"n": approved},
            messages.SUCCESS,
        )

    @admin.action(description=_("Tolak akun terpilih (dengan alasan)"), permissions=["change"])
    def reject(self, request, queryset):
        """Asks for the reason on an intermediate page, then rejects every selected account."""
        queryset = queryset.filter(is_superuser=False)
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            for user in queryset:
                services.user_reject(
                    user=user, actor=request.user, reason=form.cleaned_data["reason"]
                )
            count = len(queryset)
            self.message_user(
                request,
                ngettext(
                    "%(n)d akun ditolak; pemiliknya menerima e-mail berisi alasannya.",
                    "%(n)d akun ditolak; pemiliknya menerima e-mail berisi alasannya.",
                    count,
                )
                % {"n": count},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Tolak pendaftaran akun"),
            "form": form,
            "users": queryset.select_related("agency"),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/opd/user/reject.html", context)

    def get_urls(self):
        return [
            path(
                "tambah-juri/",
                self.admin_site.admin_view(self.add_judge_view),
                name="opd_user_add_judge",
            ),
            *super().get_urls(),
        ]

    def add_judge_view(self, request):
        """Creates a judge account and e-mails the judge a link to choose a password."""
        if not self.has_add_permission(request):
            return redirect("admin:index")
        form = JudgeCreateForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                judge = services.judge_create(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(
                    request,
                    gettext(
                        "Akun juri %(name)s dibuat. Tautan untuk membuat kata sandi dikirim ke "
                        "%(email)s."
                    )
                    % {"name": judge.full_name, "email": judge.email},
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:opd_user_changelist") + f"?role={Role.JUDGE}")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Tambah juri"),
            "form": form,
        }
        return TemplateResponse(request, "admin/opd/user/add_judge.html", context)


@admin.register(RegionProfile)
class RegionProfileAdmin(RulesAdminMixin, admin.ModelAdmin):
    """One profile per installation: the list opens it (or the form to fill it in)."""

    list_display = ("full_name", "head", "unit", "place")
    fieldsets = (
        (None, {"fields": ("kind", "name", "head_title", "unit", "place", "logo")}),
        (_("Kontak"), {"fields": ("address", "email", "phone", "website")}),
    )

    def changelist_view(self, request, extra_context=None):
        if RegionProfile.objects.exists():
            return redirect("admin:opd_regionprofile_change", 1)
        return redirect("admin:opd_regionprofile_add")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "logo" and field is not None:
            field.help_text = _("PNG atau JPEG, tampil di kepala halaman portal.")
        return field
