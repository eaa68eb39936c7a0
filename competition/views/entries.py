"""A proposal from draft to receipt: write it, submit it, withdraw it, and its attachments.

Views are thin: check access with ``user.has_perm`` (the rules are in ``competition.rules``),
bind a form, call one service from ``competition.services.entries``. Anything of another
OPD is a 404.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from competition.eligibility import (
    count_words,
    entry_checklist,
    entry_warnings,
    is_youtube_url,
    sections_for,
)
from competition.forms.opd import EntryEditorForm
from competition.models import (
    Attachment,
    AttachmentKind,
    CoachingComment,
    Entry,
    EntryAnswer,
    EntryStatus,
)
from competition.selectors.opd import owned_q
from competition.services import entries as entry_services
from competition.uploads import INLINE_TYPES

from .access import permission_required, private_download, private_inline, require_perm

STASH_KEY = "kovablik-draft-{pk}"
STASH_MAX_CHARS = 200_000


# The rows each page reads with its entry. A join costs about half what a query does, so
# each page names only the rows it shows. The owner check needs the agency row only for a
# unit's entry (``is_entry_owner``), so the pages that do not show it skip it.
EDITOR_PAGE_ROWS = ("competition", "innovation", "group")
# A save reads the year and group for its form, and the category, which it then keeps
# without a query (``CategoryField``).
SAVE_ROWS = ("competition", "group", "category")
# The checklist: what ``entry_checklist`` reads.
CHECKLIST_ROWS = ("competition", "innovation", "group", "category")
# The receipt and its e-mail say whose entry it is.
ENTRY_ROWS = ("agency", *CHECKLIST_ROWS)
# A submitted entry's receipt prints its frozen facts, not the innovation (``Entry.judged``).
RECEIPT_ROWS = ("agency", "competition", "group", "category")
# Submitting copies the innovation's facts, its OPD's name among them.
SUBMIT_ROWS = (*ENTRY_ROWS, "innovation__agency")


def _own_entry(request, pk, related=ENTRY_ROWS) -> Entry:
    """The entry ``pk`` of the user's OPD (or one of its units); 404 for any other. Read
    by its key and checked with the rule on its agency, which costs less than asking the
    same in SQL."""
    entry = get_object_or_404(Entry.objects.select_related(*related), pk=pk)
    require_perm(request, "competition.view_own_entry", entry)
    return entry


def time_left(until, now=None) -> str:
    """“3 hari 4 jam lagi”, rendered on the server so it needs no script."""
    now = now or timezone.now()
    delta = until - now
    if delta <= dt.timedelta(0):
        return _("sudah lewat")
    days, seconds = delta.days, delta.seconds
    hours, minutes = seconds // 3600, (seconds % 3600) // 60
    if days:
        return _("%(days)s hari %(hours)s jam lagi") % {"days": days, "hours": hours}
    if hours:
        return _("%(hours)s jam %(minutes)s menit lagi") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)s menit lagi") % {"minutes": max(minutes, 1)}


def waiting_for(entry: Entry) -> str:
    """What the entry waits for next, in words the OPD understands."""

    def local(value):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")

    status = entry.status
    if status == EntryStatus.DRAFT:
        return _("Menunggu Anda melengkapi dan mengirimnya sebelum %(at)s WIB.") % {
            "at": local(entry.competition.submission_closes_at)
        }
    if status == EntryStatus.RETURNED:
        return _("Menunggu perbaikan dari Anda sebelum %(at)s WIB.") % {
            "at": local(entry.change_deadline)
        }
    if status == EntryStatus.SUBMITTED:
        return _("Menunggu seleksi administrasi oleh Bagian Organisasi.")
    if status == EntryStatus.PASSED:
        return _("Lolos seleksi administrasi; menunggu penilaian tim juri.")
    if status == EntryStatus.FINALIST:
        return _("Finalis; menunggu presentasi dan pengumuman pemenang.")
    return _("Tidak lolos seleksi administrasi.")


def _attachment_kinds(entry) -> list:
    return list(
        AttachmentKind.objects.filter(competition_id=entry.competition_id).order_by("order", "pk")
    )


def _kind_rows(entry, form, kinds) -> list:
    """The editor's attachment kinds, each with the files the entry holds now."""
    attachments = Attachment.objects.filter(entry_id=entry.pk).order_by("uploaded_at", "pk")
    return form.kind_rows(kinds, list(attachments))


def _editor_context(entry, form, kinds=None):
    """What the editor shows besides the form: its files by kind and the coaching comments
    still open on each section, shown above the section while writing."""
    deadline = entry.change_deadline
    if kinds is None:
        kinds = _attachment_kinds(entry)
    open_comments = {}
    for section_id, text in (
        CoachingComment.objects.filter(
            entry_id=entry.pk, done_at__isnull=True, section__isnull=False
        )
        .order_by("created_at", "pk")
        .values_list("section_id", "text")
    ):
        open_comments.setdefault(section_id, []).append(text)
    return {
        "entry": entry,
        "form": form,
        "section_rows": form.section_rows(open_comments),
        "kind_rows": _kind_rows(entry, form, kinds),
        "deadline": deadline,
        "time_left": time_left(deadline),
    }


def _stash_anonymous_post(request, pk):
    """Keep what an expired session typed, so that logging in again brings it back."""
    keep = {
        key: request.POST.get(key, "")
        for key in request.POST
        if key.startswith("section_") or key in {"video_url", "category", "declaration_accepted"}
    }
    if sum(len(v) for v in keep.values()) <= STASH_MAX_CHARS:
        request.session[STASH_KEY.format(pk=pk)] = keep


def _editor_form(entry, data=None, files=None):
    """The editor's form; a bound one shows what was posted, so it reads no answers."""
    sections = sections_for(entry.competition, entry.group)
    answers = {}
    if data is None:
        answers = dict(
            EntryAnswer.objects.filter(entry_id=entry.pk)
            .order_by()
            .values_list("section_id", "text")
        )
    return EntryEditorForm(data, files, entry=entry, sections=sections, answers=answers)


def _draft_warnings(entry, form) -> list[str]:
    """What the saved draft should still fix; the posted text is what was just saved."""
    texts = form.answers()
    warnings = [
        _("“%(section)s”: %(n)s kata, melebihi batas %(limit)s kata.")
        % {"section": section.label, "n": words, "limit": section.word_limit}
        for section in form.sections
        if (words := count_words(texts[section.pk])) > section.word_limit
    ]
    if entry.video_url and not is_youtube_url(entry.video_url):
        warnings.append(_("Tautan video belum berupa alamat YouTube yang sah."))
    return warnings


def _save_draft(request, entry, form) -> None:
    """The valid editor form saved as the entry's draft; a ValidationError says why not
    (another tab saved first, the deadline passed)."""
    entry_services.entry_save_draft(
        entry=entry,
        user=request.user,
        version=form.cleaned_data["version"],
        answers=form.answers(),
        video_url=form.cleaned_data["video_url"],
        declaration_accepted=form.cleaned_data["declaration_accepted"],
        category=form.cleaned_data["category"],
        sections=form.sections,
    )


def _upload(request, entry, form, kinds) -> list[str]:
    """Stores the files chosen in this save; returns what is said of each file refused."""
    uploads = form.uploads(kinds)
    if not uploads:
        return []
    _added, refused = entry_services.attachments_add(
        entry=entry, uploads=uploads, user=request.user
    )
    return [message for exc in refused for message in exc.messages]


AUTOSAVE_HEADER = "X-Kovablik-Autosave"


def _save_in_place(request, entry):
    """The editor's script saves the typed text every few seconds, and "Simpan draf" with the
    files chosen, through the same form and services as a posted save, answering JSON: the
    new version, the draft's warnings, and after an upload the files refused and the
    attachments' part of the page, so the page is never sent again. A stale version is
    refused, so a tab never overwrites what another saved."""
    form = _editor_form(entry, request.POST, request.FILES)
    if not form.is_valid():
        return JsonResponse(
            {"saved": False, "message": _("Draf belum tersimpan: periksa isian yang ditandai.")},
            status=400,
        )
    try:
        _save_draft(request, entry, form)
    except ValidationError as exc:
        code = exc.error_list[0].code if exc.error_list else ""
        return JsonResponse(
            {"saved": False, "code": code, "message": " ".join(exc.messages)}, status=409
        )
    answer = {
        "saved": True,
        "version": entry.version,
        "at": formats.time_format(timezone.localtime(entry.updated_at), "H.i"),
        "warnings": _draft_warnings(entry, form),
    }
    if request.FILES:
        kinds = _attachment_kinds(entry)
        answer["refused"] = _upload(request, entry, form, kinds)
        answer["attachments"] = render_to_string(
            "competition/opd/partials/editor_attachments.html",
            {"entry": entry, "kind_rows": _kind_rows(entry, form, kinds)},
            request,
        )
    return JsonResponse(answer)


@require_http_methods(["GET", "POST"])
def entry_edit(request, pk):
    """The proposal editor. Saving a draft keeps everything; files go up with the save."""
    autosave = request.method == "POST" and request.headers.get(AUTOSAVE_HEADER) == "1"
    if not request.user.is_authenticated:
        if request.method == "POST":
            _stash_anonymous_post(request, pk)
        if autosave:
            return JsonResponse(
                {
                    "saved": False,
                    "code": "login",
                    "message": _(
                        "Sesi Anda berakhir: masuk lagi di tab lain, lalu kembali ke sini. "
                        "Teks di layar ini belum tersimpan."
                    ),
                },
                status=401,
            )
        return redirect_to_login(request.get_full_path())
    require_perm(request, "competition.use_opd_desk")
    if request.method == "GET":
        entry = _own_entry(request, pk, EDITOR_PAGE_ROWS)
        if not request.user.has_perm("competition.edit_entry", entry):
            return redirect("competition:entry_detail", pk=entry.pk)
        stash = request.session.pop(STASH_KEY.format(pk=entry.pk), None)
        if stash:
            form = _editor_form(entry, data={**stash, "version": entry.version})
            messages.warning(
                request,
                _(
                    "Sesi Anda sempat berakhir. Teks yang Anda ketik dipulihkan di bawah tetapi "
                    "BELUM disimpan: klik “Simpan draf”."
                ),
            )
        else:
            form = _editor_form(entry)
        return render(request, "competition/opd/entry_edit.html", _editor_context(entry, form))

    entry = _own_entry(request, pk, SAVE_ROWS)
    if autosave:
        return _save_in_place(request, entry)
    form = _editor_form(entry, request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Periksa isian yang ditandai; draf belum disimpan."))
        return render(request, "competition/opd/entry_edit.html", _editor_context(entry, form))
    try:
        _save_draft(request, entry, form)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        entry.refresh_from_db()
        # Show the typed text again; a second save from this page may overwrite on purpose.
        data = request.POST.copy()
        data["version"] = entry.version
        form = _editor_form(entry, data)
        return render(request, "competition/opd/entry_edit.html", _editor_context(entry, form))

    kinds = _attachment_kinds(entry) if request.FILES else []
    upload_errors = _upload(request, entry, form, kinds)
    for warning in _draft_warnings(entry, form):
        messages.warning(request, warning)
    if upload_errors:
        messages.success(request, _("Isian proposal sudah disimpan sebagai draf."))
        for message in upload_errors:
            messages.error(request, message)
        fresh = _editor_form(entry)
        context = _editor_context(entry, fresh, kinds)
        return render(request, "competition/opd/entry_edit.html", context)
    messages.success(request, _("Draf disimpan."))
    if request.POST.get("action") == "submit":
        return redirect("competition:entry_submit", pk=entry.pk)
    return redirect("competition:entry_edit", pk=entry.pk)


def _entry_read_context(entry):
    sections = sections_for(entry.competition, entry.group)
    answers = {a.section_id: a for a in EntryAnswer.objects.filter(entry_id=entry.pk).order_by()}
    rows = [(section, answers.get(section.pk)) for section in sections]
    return {
        "entry": entry,
        "rows": rows,
        "attachments": entry.attachments.select_related("kind").order_by(
            "kind__order", "uploaded_at", "pk"
        ),
        "kinds": entry.competition.attachment_kinds.order_by("order", "pk"),
    }


def entry_detail(request, pk):
    """An entry read-only: for its OPD once locked, and for the organiser."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    entry = get_object_or_404(
        Entry.objects.select_related("competition", "innovation", "agency", "group", "category"),
        pk=pk,
    )
    require_perm(request, "competition.view_entry", entry)
    context = _entry_read_context(entry)
    context.update(
        waiting_for=waiting_for(entry),
        history=entry.status_changes.select_related("actor"),
        # The OPD adapts a forwarded proposal to each round's format.
        round_forwardings=entry.forwardings.filter(round__isnull=False).select_related("round")
        if request.user.has_perm("competition.use_opd_desk")
        else (),
    )
    return render(request, "competition/opd/entry_detail.html", context)


@permission_required("competition.use_opd_desk")
@require_http_methods(["GET", "POST"])
def entry_submit(request, pk):
    """Check everything, say what is missing section by section, then submit once."""
    entry = _own_entry(request, pk, SUBMIT_ROWS if request.method == "POST" else CHECKLIST_ROWS)
    if entry.status == EntryStatus.SUBMITTED:
        if request.method == "POST":
            messages.info(request, _("Proposal ini sudah dikirim; berikut tanda terimanya."))
        return redirect("competition:entry_receipt", pk=entry.pk)
    if not entry.is_editable:
        return redirect("competition:entry_detail", pk=entry.pk)
    if request.method == "POST":
        try:
            entry_services.entry_submit(entry=entry, user=request.user)
        except ValidationError as exc:
            messages.error(
                request,
                _("Proposal belum dapat dikirim. Perbaiki hal-hal berikut lalu kirim lagi."),
            )
            if exc.error_list and exc.error_list[0].code in {"closed", "locked", "reference"}:
                messages.error(request, exc.messages[0])
        else:
            messages.success(
                request,
                _("Proposal terkirim dengan nomor registrasi %(reference)s.")
                % {"reference": entry.reference},
            )
            return redirect("competition:entry_receipt", pk=entry.pk)

    # The rows the check read are the rows the page lists: read once.
    checklist = entry_checklist(entry)
    problems = checklist.problems
    by_field = {}
    for problem in problems:
        by_field.setdefault(problem.field, []).append(problem.message)
    section_rows = [
        (section, checklist.words(section), by_field.pop(f"section:{section.key}", []))
        for section in checklist.sections
    ]
    kind_rows = [
        (kind, kind.pk in checklist.present, by_field.pop(f"attachment:{kind.key}", []))
        for kind in checklist.kinds
    ]
    other = [p for p in problems if p.field in by_field]
    return render(
        request,
        "competition/opd/entry_submit.html",
        {
            "entry": entry,
            "problems": problems,
            "section_rows": section_rows,
            "kind_rows": kind_rows,
            "other_problems": other,
            "warnings": entry_warnings(entry),
            "time_left": time_left(entry.competition.submission_closes_at),
        },
    )


@permission_required("competition.use_opd_desk")
def entry_receipt(request, pk):
    entry = _own_entry(request, pk, RECEIPT_ROWS)
    if not entry.reference or entry.submitted_at is None:
        raise Http404
    return render(request, "competition/opd/entry_receipt.html", _entry_read_context(entry))


@permission_required("competition.use_opd_desk")
@require_http_methods(["GET", "POST"])
def entry_withdraw(request, pk):
    entry = _own_entry(request, pk)
    if request.method == "POST":
        try:
            entry_services.entry_withdraw(entry=entry, user=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("competition:entry_detail", pk=entry.pk)
        messages.success(
            request,
            _(
                "Pengiriman ditarik kembali; proposal kembali menjadi draf dengan nomor "
                "registrasi yang sama. Jangan lupa mengirimnya lagi sebelum batas waktu."
            ),
        )
        return redirect("competition:entry_edit", pk=entry.pk)
    if not request.user.has_perm("competition.withdraw_entry", entry):
        return redirect("competition:entry_detail", pk=entry.pk)
    return render(request, "competition/opd/entry_withdraw.html", {"entry": entry})


def attachment_download(request, pk):
    """Stream an attachment to those allowed to see it, as a download, never inline."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    attachment = get_object_or_404(
        Attachment.objects.select_related("entry__agency", "entry__competition"), pk=pk
    )
    require_perm(request, "competition.download_attachment", attachment)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return private_download(
        handle, filename=attachment.original_name, content_type=attachment.content_type
    )


def attachment_inline(request, pk):
    """Show a PDF or photo inside the judges' desk, to the same people who may download it
    (the organiser, the entry's OPD, a judge with the entry on the desk after declaring no
    conflict); 404 for everyone else."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    attachment = get_object_or_404(
        Attachment.objects.select_related("entry__agency", "entry__competition"), pk=pk
    )
    require_perm(request, "competition.download_attachment", attachment)
    if attachment.content_type not in INLINE_TYPES:
        return redirect("competition:attachment_download", pk=attachment.pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return private_inline(
        handle, filename=attachment.original_name, content_type=attachment.content_type
    )


@permission_required("competition.use_opd_desk")
@require_http_methods(["GET", "POST"])
def attachment_delete(request, pk):
    attachment = get_object_or_404(
        Attachment.objects.filter(owned_q(request.user, "entry__agency")).select_related(
            "entry__competition", "entry__agency", "kind"
        ),
        pk=pk,
    )
    entry = attachment.entry
    if request.method == "POST":
        try:
            entry_services.attachment_delete(attachment=attachment, user=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("competition:entry_detail", pk=entry.pk)
        messages.success(
            request, _("Lampiran “%(name)s” dihapus.") % {"name": attachment.original_name}
        )
        return redirect("competition:entry_edit", pk=entry.pk)
    if not request.user.has_perm("competition.remove_attachment", attachment):
        return redirect("competition:entry_detail", pk=entry.pk)
    return render(
        request,
        "competition/opd/attachment_delete.html",
        {"attachment": attachment, "entry": entry},
    )
