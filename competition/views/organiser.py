"""Bagian Organisasi's pages: all entries of a year, screening, and who has not entered."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from competition.eligibility import entry_warnings, sections_for
from competition.forms.organiser import ScreeningForm
from competition.models import (
    Attachment,
    Competition,
    Entry,
    EntryStatus,
    Innovation,
    StatusChange,
)
from competition.selectors.catalogue import catalogue_changed_since_approval
from competition.selectors.compliance import compliance_report, reminder_reach
from competition.selectors.screening import (
    checklist_is_clean,
    entries_bulk_pass_preview,
    organiser_entries,
    screening_checklist,
    screening_queue,
    stored_ticks,
)
from competition.services.compliance import compliance_send_reminders, days_left
from competition.services.innovations import (
    innovation_catalogue_approve,
    innovation_catalogue_withdraw,
)
from competition.services.screening import entries_bulk_pass, entry_screen
from competition.services.status import ALLOWED_TRANSITIONS

from .access import permission_required
from .dashboard import selected_competition

PAGE_SIZE = 30


def _years():
    return list(Competition.objects.order_by("-year").values_list("year", flat=True))


@permission_required("competition.screen_entries")
def entry_list(request):
    competition = selected_competition(request)
    entries = organiser_entries(competition=competition, params=request.GET)
    page = Paginator(entries.qs, PAGE_SIZE).get_page(request.GET.get("halaman"))
    context = {
        "competition": competition,
        "years": _years(),
        "form": entries.form,
        "page": page,
        "submitted": EntryStatus.SUBMITTED,
    }
    return render(request, "competition/organiser/entry_list.html", context)


def _entry_for_organiser(pk: int) -> Entry:
    return get_object_or_404(
        Entry.objects.select_related(
            "competition",
            "innovation__agency",
            "innovation__catalogue_approved_by",
            "agency",
            "category",
            "group",
            "created_by",
        ).prefetch_related(
            "answers",
            "innovation__innovators",
            "innovation__sdgs",
            "innovation__awards",
            Prefetch(
                "attachments",
                queryset=Attachment.objects.select_related("kind").order_by(
                    "kind__order", "uploaded_at", "pk"
                ),
            ),
            Prefetch(
                "status_changes",
                queryset=StatusChange.objects.select_related("actor").order_by("at", "pk"),
            ),
        ),
        pk=pk,
    )


def _detail_context(entry: Entry, form: ScreeningForm | None = None) -> dict:
    answers = {a.section_id: a for a in entry.answers.all()}
    sections = []
    for section in sections_for(entry.competition, entry.group):
        answer = answers.get(section.pk)
        words = answer.word_count if answer else 0
        sections.append(
            {
                "spec": section,
                "text": answer.text if answer else "",
                "words": words,
                "over": words > section.word_limit,
            }
        )
    screenable = entry.status in EntryStatus.SCREENABLE
    checklist = screening_checklist(entry) if screenable else []
    if screenable and form is None:
        form = ScreeningForm(
            checklist=checklist,
            stored=stored_ticks(entry),
            allowed=ALLOWED_TRANSITIONS[entry.status],
        )
    judged = entry.judged
    return {
        "entry": entry,
        "competition": entry.competition,
        "sections": sections,
        "attachments": list(entry.attachments.all()),
        "judged": judged,
        "facts_changes": entry.facts_changes(),
        "innovators": judged.innovators,
        "awards": list(entry.innovation.awards.all()),
        "warnings": entry_warnings(entry),
        "changes": list(entry.status_changes.all()),
        "screenable": screenable,
        "checklist_clean": checklist_is_clean(checklist) if checklist else None,
        "form": form,
        "stored_checklist": (entry.screening_checklist or {}).get("items", []),
        "queue": screening_queue(entry),
        "catalogue_changed": catalogue_changed_since_approval(entry.innovation),
    }


@permission_required("competition.screen_entries")
def entry_detail(request, pk):
    entry = _entry_for_organiser(pk)
    return render(request, "competition/organiser/entry_detail.html", _detail_context(entry))


@permission_required("competition.screen_entries")
@require_POST
def entry_screen_view(request, pk):
    entry = _entry_for_organiser(pk)
    if entry.status not in EntryStatus.SCREENABLE:
        messages.info(
            request,
            _("Proposal ini sudah diputuskan: %(status)s.")
            % {"status": EntryStatus(entry.status).label},
        )
        return redirect("competition:organiser_entry_detail", pk=entry.pk)
    form = ScreeningForm(
        request.POST,
        checklist=screening_checklist(entry),
        allowed=ALLOWED_TRANSITIONS[entry.status],
    )
    if form.is_valid():
        try:
            entry_screen(
                entry=entry,
                outcome=form.cleaned_data["outcome"],
                actor=request.user,
                reason=form.cleaned_data["reason"],
                revision_due_at=form.cleaned_data["revision_due_at"],
                ticks=form.ticks(),
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Hasil seleksi disimpan: %(status)s. OPD diberi tahu lewat e-mail.")
                % {"status": EntryStatus(entry.status).label},
            )
            return redirect("competition:organiser_entry_detail", pk=entry.pk)
    return render(
        request, "competition/organiser/entry_detail.html", _detail_context(entry, form), status=400
    )


@permission_required("competition.screen_entries")
@require_POST
def entries_bulk_pass_view(request):
    """Two steps: first show which chosen entries are clean, then pass them on confirmation."""
    ids = [int(v) for v in request.POST.getlist("entries") if v.isdigit()]
    competition = selected_competition(request, request.POST)
    back = reverse("competition:organiser_entries") + (
        f"?tahun={competition.year}" if competition else ""
    )
    entries = list(
        Entry.objects.filter(pk__in=ids, competition=competition)
        .select_related("competition", "innovation", "agency", "group", "category")
        .order_by("agency__name", "innovation__title", "pk")
    )
    if not entries:
        messages.warning(request, _("Pilih dahulu proposal yang akan diloloskan."))
        return redirect(back)
    if request.POST.get("confirm") != "1":
        context = {
            "competition": competition,
            "rows": entries_bulk_pass_preview(entries),
            "back": back,
        }
        return render(request, "competition/organiser/bulk_pass_confirm.html", context)
    result = entries_bulk_pass(entries=entries, actor=request.user)
    if result.passed:
        messages.success(
            request,
            _("%(n)s proposal diloloskan: %(refs)s.")
            % {"n": len(result.passed), "refs": ", ".join(str(e) for e in result.passed)},
        )
    if result.skipped:
        messages.warning(
            request,
            _("%(n)s proposal dilewati karena belum bersih atau sudah diputuskan: %(refs)s.")
            % {"n": len(result.skipped), "refs": ", ".join(str(e) for e, _i in result.skipped)},
        )
    return redirect(back)


@permission_required("competition.screen_entries")
def compliance(request):
    competition = selected_competition(request)
    now = timezone.now()
    report = compliance_report(competition=competition) if competition else None
    submission_open = competition.is_submission_open(now) if competition else False
    context = {
        "competition": competition,
        "years": _years(),
        "report": report,
        "submission_open": submission_open,
        "days_left": days_left(competition, now) if competition else 0,
        "reach": reminder_reach(
            competition=competition, agencies=report.missing, today=timezone.localdate(now)
        )
        if submission_open
        else None,
    }
    return render(request, "competition/organiser/compliance.html", context)


@permission_required("competition.screen_entries")
@require_POST
def compliance_remind(request):
    competition = selected_competition(request, request.POST)
    if competition is None:
        raise Http404
    reach = reminder_reach(
        competition=competition,
        agencies=compliance_report(competition=competition).missing,
        today=timezone.localdate(),
    )
    try:
        sent = compliance_send_reminders(competition=competition, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(n)s e-mail pengingat dikirim ke staf OPD yang belum mengirim proposal.")
            % {"n": sent},
        )
        if reach.unreachable:
            messages.warning(
                request,
                ngettext(
                    "%(n)s OPD yang belum mengirim tidak menerima e-mail: %(names)s. "
                    "Alasannya ada di daftar “Tidak menerima pengingat” di bawah.",
                    "%(n)s OPD yang belum mengirim tidak menerima e-mail: %(names)s. "
                    "Alasannya ada di daftar “Tidak menerima pengingat” di bawah.",
                    len(reach.unreachable),
                )
                % {
                    "n": len(reach.unreachable),
                    "names": ", ".join(
                        u.agency.short_name or u.agency.name for u in reach.unreachable
                    ),
                },
            )
    return redirect(reverse("competition:organiser_compliance") + f"?tahun={competition.year}")


@permission_required("competition.curate_catalogue")
@require_POST
def innovation_catalogue(request, pk):
    """Approve an innovation for the public catalogue, or withdraw it (from its proposal page)."""
    innovation = get_object_or_404(Innovation, pk=pk)
    action = request.POST.get("action")
    try:
        if action == "approve":
            innovation_catalogue_approve(innovation=innovation, actor=request.user)
            messages.success(request, _("Inovasi disetujui untuk katalog publik."))
        elif action == "withdraw":
            innovation_catalogue_withdraw(innovation=innovation, actor=request.user)
            messages.success(request, _("Inovasi ditarik dari katalog publik."))
        else:
            raise Http404
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    entry = innovation.entries.filter(pk=request.POST.get("entry") or 0).first()
    if entry is not None:
        return redirect("competition:organiser_entry_detail", pk=entry.pk)
    return redirect("competition:organiser_entries")
