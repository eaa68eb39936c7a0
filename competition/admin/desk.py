"""The judges' desk: a separate ``AdminSite`` mounted at ``/penilaian/``.

A judge sees only "Penilaian saya" (his or her own assignments in open stages) and the
scoring page of each. Nothing else of the admin exists there; the organiser's models stay
on ``admin.site`` (``competition.admin.judging``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_list import ResultList, result_headers
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import display_for_value
from django.contrib.admin.views.main import ORDER_VAR, PAGE_VAR, ChangeList
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from competition.forms.judging import BulkConflictForm, ConflictDeclarationForm, ScoreSheetForm
from competition.models import Assignment, ScoreSheet, SheetStatus
from competition.selectors.judging import (
    DESK_ORDER,
    NOT_STARTED,
    DeskOverview,
    judge_closed_stages,
    judge_desk_assignment,
    judge_desk_assignments,
    judge_desk_list,
    judge_desk_overview,
    judge_desk_sitting,
)
from competition.services.judging import (
    conflict_declare,
    conflict_declare_many,
    score_sheet_reopen,
    score_sheet_save,
)
from competition.uploads import INLINE_TYPES
from opd.admin_permissions import RulesAdminMixin

STATUS_LABELS = {
    NOT_STARTED: _("Belum mulai"),
    SheetStatus.DRAFT: _("Draf"),
    SheetStatus.SUBMITTED: _("Dikirim"),
}


class JudgeDeskSite(admin.AdminSite):
    """An admin site with one page for judges: their own assignments and score sheets."""

    site_header = _("Meja Penilaian Kovablik")
    site_title = _("Meja Penilaian")
    index_title = _("Penilaian saya")
    site_url = "/"
    enable_nav_sidebar = False

    def has_permission(self, request):
        return request.user.has_perm("competition.use_judge_desk")

    def index(self, request, extra_context=None):
        # The desk's front page is "Penilaian saya" itself.
        return self._registry[Assignment].changelist_view(request, extra_context)

    def app_index(self, request, app_label, extra_context=None):
        return redirect("judge_desk:competition_assignment_changelist")

    def get_app_list(self, request, app_label=None):
        # No page of the desk prints the app list (no sidebar, and its index is the list
        # itself), which the admin would build, asking every model permission, on each one.
        return []

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
        return [(str(pk), name) for pk, name in model_admin.overview(request).stages]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(stage_id=int(self.value()))
        return queryset


class DeskCategoryFilter(admin.SimpleListFilter):
    title = _("kategori")
    parameter_name = "kategori"

    def lookups(self, request, model_admin):
        return [(str(pk), name) for pk, name in model_admin.overview(request).categories]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(entry__category_id=int(self.value()))
        return queryset


class DeskChangeList(ChangeList):
    """ "Penilaian saya" neither filtered, searched nor sorted by a column: its rows are the
    overview's, read with the sittings in one query, not read again for the page."""

    def get_results(self, request):
        super().get_results(request)
        if not set(request.GET) - {PAGE_VAR}:
            rows = self.model_admin.overview(request).rows
            start = (self.page_num - 1) * self.list_per_page if self.multi_page else 0
            self.result_list = rows[start : start + self.list_per_page]

    def result_table(self) -> dict:
        """What the admin's ``{% result_list %}`` hands its template, each row written in
        one piece by ``JudgeDeskAdmin.result_row`` rather than cell by cell through the
        admin's lookups (1.3 ms a page of nine rows; a test compares both)."""
        headers = list(result_headers(self))
        return {
            "result_hidden_fields": [],
            "result_headers": headers,
            "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
            "results": [
                ResultList(None, [self.model_admin.result_row(self, row)])
                for row in self.result_list
            ],
        }


@admin.register(Assignment, site=judge_desk)
class JudgeDeskAdmin(RulesAdminMixin, admin.ModelAdmin):
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
        # Built once a request: the changelist narrows it, the overview reads it.
        if not hasattr(request, "_desk_queryset"):
            request._desk_queryset = judge_desk_list(request.user)
        return request._desk_queryset

    def overview(self, request) -> DeskOverview:
        """The judge's workable assignments, read once per request: the list's rows (see
        ``DeskChangeList``), progress lines, both filters and count come from one query."""
        if not hasattr(request, "_desk_overview"):
            request._desk_overview = judge_desk_overview(self.get_queryset(request))
        return request._desk_overview

    def result_row(self, cl, obj) -> str:
        """One row of the list as the admin's ``items_for_result`` writes its cells for
        these columns, in one piece: each ``list_display`` method's text, the link column
        a ``<th>``."""
        url = add_preserved_filters(
            {"preserved_filters": cl.preserved_filters, "opts": cl.opts}, cl.url_for_result(obj)
        )
        empty = self.get_empty_value_display()
        cells, texts = [], []
        for name in self.list_display:
            value = getattr(self, name)(obj)
            if isinstance(value, str) and value.strip() == "":
                value = ""
            if name in self.list_display_links:
                cells.append(f'<th class="field-{name}"><a href="{{}}">{{}}</a></th>')
                texts.append(url)
            else:
                cells.append(f'<td class="field-{name}">{{}}</td>')
            texts.append(display_for_value(value, empty))
        return format_html("".join(cells), *texts)

    def get_ordering(self, request):
        # The sitting's stable order: a saved sheet never moves a row (see DeskSequence).
        return DESK_ORDER

    def get_changelist(self, request, **kwargs):
        return DeskChangeList

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
        status = obj.raw_sheet_status or NOT_STARTED
        return format_html(
            '<span class="desk-status desk-status-{}">{}</span>', status, STATUS_LABELS[status]
        )

    def has_module_permission(self, request):
        # The desk's one section belongs to judges, not to the organiser's "competition".
        return self.admin_site.has_permission(request)

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

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        paginator = super().get_paginator(
            request, queryset, per_page, orphans, allow_empty_first_page
        )
        # Neither filtered nor searched, the list is every workable assignment: the overview
        # has counted them, so no COUNT query.
        if not set(request.GET) - {ORDER_VAR, PAGE_VAR}:
            paginator.count = self.overview(request).count
        return paginator

    def changelist_view(self, request, extra_context=None):
        overview = self.overview(request)
        extra_context = {
            **(extra_context or {}),
            "title": gettext("Penilaian saya"),
            "sequences": list(overview.sequences.values()),
            "undeclared": overview.undeclared,
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
        # A POST's write needs the stage alone and is answered by a redirect: the entry
        # and its facts are read only if its page is shown again (``_shown``).
        assignment = judge_desk_assignment(request.user, object_id, page=request.method != "POST")
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
            _shown(request, assignment),
            title=gettext("Pernyataan konflik kepentingan"),
            form=form,
        )
        return TemplateResponse(request, "admin/judging/declare.html", context)

    def _score(self, request, assignment):
        stage = assignment.stage
        action = request.POST.get("action") if request.method == "POST" else None
        if action == "reopen":
            sheet = _own_sheet(assignment, request.user)
            if sheet is not None:
                try:
                    score_sheet_reopen(sheet=sheet, actor=request.user)
                except ValidationError as exc:
                    self.message_user(request, " ".join(exc.messages), messages.ERROR)
                else:
                    self.message_user(
                        request, gettext("Lembar dibuka kembali sebagai draf."), messages.SUCCESS
                    )
                return HttpResponseRedirect(request.path)
        criteria = list(stage.criteria.order_by("order"))
        form = None
        stale_sheet = None
        if action in {"draft", "submit", "submit_next"}:
            submit = action != "draft"
            # The sheet is not read before the save: the service reads it under lock, and
            # the page shown again after a refusal reads it below.
            form = ScoreSheetForm(criteria=criteria, data=request.POST)
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
                        criteria=criteria,
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
        sitting = judge_desk_sitting(request.user, stage)
        sheet = sitting.sheets.get(assignment.entry_id)
        if form is None:
            form = ScoreSheetForm(criteria=criteria, sheet=sheet)
        assignment = _shown(request, assignment)
        entry = assignment.entry
        answers = entry.answers.select_related("section").order_by("section__order")
        attachments = entry.attachments.select_related("kind").order_by(
            "kind__order", "uploaded_at"
        )
        context = self._context(
            request,
            assignment,
            title=entry.judged.title,
            form=form,
            rows=form.criterion_rows(),
            sheet=sheet,
            stale_sheet=stale_sheet,
            editable=ScoreSheetForm.editable(stage, sheet),
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
            sitting=_sitting(sitting, assignment.pk),
            saved_total=sheet.total if sheet is not None else None,
        )
        return TemplateResponse(request, "admin/judging/score_desk.html", context)

    def _to_next_unscored(self, request, assignment):
        following = judge_desk_sitting(request.user, assignment.stage).next_unscored(assignment.pk)
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
    if not sequence.items:
        return None
    return {
        "done": sequence.done,
        "total": sequence.total,
        "position": sequence.position(assignment_id),
        "previous_url": _desk_url(sequence.previous(assignment_id)),
        "next_url": _desk_url(sequence.next(assignment_id)),
        "next_unscored": sequence.next_unscored(assignment_id),
    }


def _shown(request, assignment) -> Assignment:
    """The assignment with all its page shows: read again when a POST read only its stage
    (see ``change_view``) and its page is shown after all."""
    if request.method != "POST":
        return assignment
    shown = judge_desk_assignment(request.user, assignment.pk)
    if shown is None:
        raise Http404
    return shown


def _own_sheet(assignment, judge) -> ScoreSheet | None:
    """The judge's sheet for the assignment (one at most)."""
    return ScoreSheet.objects.filter(
        stage_id=assignment.stage_id, entry_id=assignment.entry_id, judge=judge
    ).first()


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
