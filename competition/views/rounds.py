"""The organiser's target rounds: the list, one round's rules and forwarding against them."""

import datetime as dt
import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from competition.exchange.importer import package_import
from competition.exchange.outcomes import outcomes_document, outcomes_import, outcomes_preview
from competition.exchange.published_list import list_apply, list_preview, read_list
from competition.exports import registry
from competition.forms.rounds import (
    OutcomesUploadForm,
    PackageUploadForm,
    PublishedListForm,
    RoundCreateForm,
    RoundForwardForm,
)
from competition.models import Competition, Entry, ImportedPackage, TargetRound
from competition.selectors import rounds as selectors
from competition.services import rounds as services

from .access import permission_required


@permission_required("competition.manage_rounds")
def round_list(request):
    form = RoundCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        kind, _sep, key = form.cleaned_data["source"].partition(":")
        year = form.cleaned_data["year"]
        try:
            if kind == "format":
                target = services.round_create_from_format(format_key=key, year=year)
            else:
                target = services.round_copy_latest(series=key, year=year)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("%(round)s dibuat. Periksa tanggal dan aturannya.") % {"round": target}
            )
            return redirect("competition:round_detail", slug=target.slug)
    rounds = TargetRound.objects.order_by("-year", "name")
    return render(request, "competition/rounds/list.html", {"rounds": rounds, "form": form})


def _year(request) -> Competition | None:
    competitions = Competition.objects.order_by("-year")
    wanted = request.GET.get("tahun", "")
    if wanted.isdigit():
        return competitions.filter(year=int(wanted)).first()
    return competitions.first()


@permission_required("competition.manage_rounds")
def round_detail(request, slug):
    target = get_object_or_404(TargetRound, slug=slug)
    competition = _year(request)
    candidates = selectors.round_candidates(target, competition) if competition else []
    return render(
        request,
        "competition/rounds/detail.html",
        {
            "round": target,
            "rules": list(target.rules.all()),
            "sections": list(target.sections.all()),
            "attachment_kinds": list(target.attachment_kinds.all()),
            "forwardings": selectors.round_forwardings(target),
            "competition": competition,
            "competitions": Competition.objects.order_by("-year").values_list("year", flat=True),
            "candidates": [c for c in candidates if c.forwarding is None],
        },
    )


@permission_required("competition.manage_rounds")
@require_POST
def round_forward(request, slug):
    target = get_object_or_404(TargetRound, slug=slug)
    form = RoundForwardForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih proposal yang akan diteruskan."))
        return redirect("competition:round_detail", slug=slug)
    entry = get_object_or_404(
        Entry.objects.select_related("competition"), pk=form.cleaned_data["entry"]
    )
    try:
        services.entry_forward_to_round(
            entry=entry, target_round=target, actor=request.user, notes=form.cleaned_data["notes"]
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(entry)s diteruskan ke %(round)s.") % {"entry": entry.reference, "round": target},
        )
    detail = reverse("competition:round_detail", args=[slug])
    return redirect(f"{detail}?tahun={entry.competition.year}")


@permission_required("competition.manage_rounds")
def round_package(request, slug):
    """The exchange package of every entry forwarded to the round (docs/exchange.md)."""
    target = get_object_or_404(TargetRound, slug=slug)
    response = registry.build("paket-data", "zip", target_round=target).response()
    response["Cache-Control"] = "private, no-store"
    return response


@permission_required("competition.manage_rounds")
def package_upload(request):
    """The organiser of a round imports a package sent by a city or regency."""
    form = PackageUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            package = package_import(source=form.cleaned_data["package"], actor=request.user)
        except ValidationError as error:
            form.add_error("package", error)
        else:
            messages.success(
                request,
                _("%(n)s proposal dari %(region)s diimpor ke kompetisi %(year)s.")
                % {
                    "n": package.entries.count(),
                    "region": package.source_region,
                    "year": package.competition.year,
                },
            )
            return redirect("competition:package_upload")
    packages = ImportedPackage.objects.select_related("competition", "imported_by").annotate(
        n_entries=Count("entries")
    )
    return render(request, "competition/rounds/import.html", {"form": form, "packages": packages})


@permission_required("competition.manage_rounds")
def outcomes_download(request, round_slug):
    """The organiser's side: outcomes of the entries imported for a round, as JSON."""
    try:
        document = outcomes_document(round_slug=round_slug)
    except ValidationError as error:
        raise Http404 from error
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="hasil-{round_slug}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@permission_required("competition.manage_rounds")
def outcomes_upload(request, slug):
    """The source's side: upload the organiser's outcomes, see what changes, then confirm."""
    target = get_object_or_404(TargetRound, slug=slug)
    form = OutcomesUploadForm(request.POST or None, request.FILES or None)
    rows = None
    raw = ""
    if request.method == "POST" and "confirm" in request.POST:
        raw = request.POST.get("raw", "")
        try:
            count = outcomes_import(raw=raw, actor=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("%(n)s hasil dicatat dari berkas %(round)s.") % {"n": count, "round": target},
            )
            return redirect("competition:round_detail", slug=slug)
    elif request.method == "POST" and form.is_valid():
        raw = form.cleaned_data["outcomes"].read().decode("utf-8", errors="replace")
        try:
            file_round, rows = outcomes_preview(raw)
        except ValidationError as error:
            form.add_error("outcomes", error)
        else:
            if file_round != target:
                form.add_error(
                    "outcomes", _("Berkas ini untuk putaran %(round)s.") % {"round": file_round}
                )
                rows = None
    return render(
        request,
        "competition/rounds/outcomes.html",
        {
            "round": target,
            "form": form,
            "rows": rows,
            "raw": raw,
            "can_apply": rows is not None and not any(r.problem for r in rows),
        },
    )


@permission_required("competition.use_opd_desk")
@require_http_methods(["GET", "POST"])
def forwarding_adapt(request, pk):
    """The OPD adapts its forwarded proposal to the round's format: each of the round's
    sections (prefilled from its own text) within the round's word limit, and the round's
    attachments. Another OPD's forwarding is a 404."""
    forwarding = selectors.forwarding_of_agency(request.user, pk)
    if forwarding is None:
        raise Http404
    errors: dict[int, str] = {}
    posted: dict[int, str] = {}
    file_errors: dict[int, str] = {}
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "section":
                section = get_object_or_404(
                    forwarding.round.sections, pk=_int(request.POST.get("section"))
                )
                posted[section.pk] = request.POST.get("text", "")
                try:
                    services.adaptation_save(
                        forwarding=forwarding,
                        section=section,
                        text=posted[section.pk],
                        user=request.user,
                    )
                except ValidationError as error:
                    errors[section.pk] = " ".join(error.messages)
                    raise
                messages.success(request, _("“%(section)s” disimpan.") % {"section": section.label})
            elif action == "attachment":
                kind = get_object_or_404(
                    forwarding.round.attachment_kinds, pk=_int(request.POST.get("kind"))
                )
                upload = request.FILES.get("file")
                if upload is None:
                    file_errors[kind.pk] = _("Pilih berkas yang akan diunggah.")
                    raise ValidationError(file_errors[kind.pk])
                try:
                    services.round_attachment_add(
                        forwarding=forwarding, kind=kind, upload=upload, user=request.user
                    )
                except ValidationError as error:
                    file_errors[kind.pk] = " ".join(error.messages)
                    raise
                messages.success(
                    request,
                    _("Berkas “%(name)s” ditambahkan untuk %(kind)s.")
                    % {"name": upload.name, "kind": kind.label},
                )
            elif action == "attachment_delete":
                attachment = get_object_or_404(
                    forwarding.round_attachments, pk=_int(request.POST.get("attachment"))
                )
                services.round_attachment_delete(attachment=attachment, user=request.user)
                messages.success(
                    request, _("Berkas “%(name)s” dihapus.") % {"name": attachment.original_name}
                )
            else:
                raise Http404
        except ValidationError:
            pass
        else:
            return redirect("competition:forwarding_adapt", pk=forwarding.pk)
    rows, kinds = selectors.forwarding_adaptation(forwarding)
    for row in rows:
        row.error = errors.get(row.section.pk, "")
        if row.section.pk in posted:
            row.text = posted[row.section.pk]
    for kind in kinds:
        kind.error = file_errors.get(kind.pk, "")
    status = 400 if errors or file_errors else 200
    return render(
        request,
        "competition/rounds/adapt.html",
        {"forwarding": forwarding, "rows": rows, "kinds": kinds, "target": forwarding.round},
        status=status,
    )


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


@permission_required("competition.manage_rounds")
@require_http_methods(["GET", "POST"])
def round_published_list(request, slug):
    """Match a published list against the round's forwardings, preview, then record awards."""
    target = get_object_or_404(TargetRound, slug=slug)
    form = PublishedListForm(request.POST or None, request.FILES or None)
    rows = None
    items_json = ""
    occurred_on = ""
    if request.method == "POST" and "confirm" in request.POST:
        items_json = request.POST.get("items", "")
        occurred_on = request.POST.get("occurred_on", "")
        try:
            items = json.loads(items_json)
            day = dt.date.fromisoformat(occurred_on)
        except (ValueError, TypeError):
            raise Http404 from None
        try:
            recorded = list_apply(target=target, items=items, occurred_on=day, actor=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("%(n)s penghargaan dicatat dari daftar terbit %(round)s.")
                % {"n": len(recorded), "round": target.name},
            )
            return redirect("competition:round_detail", slug=slug)
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["published"]
        try:
            items = read_list(filename=upload.name, data=upload.read())
        except ValidationError as error:
            form.add_error("published", error)
        else:
            rows = list_preview(target, items)
            items_json = json.dumps(items)
            occurred_on = form.cleaned_data["occurred_on"].isoformat()
    return render(
        request,
        "competition/rounds/published_list.html",
        {
            "round": target,
            "form": form,
            "rows": rows,
            "matched": [r for r in rows or [] if r.matched],
            "others": [r for r in rows or [] if r.forwarding is None and not r.problem],
            "problems": [r for r in rows or [] if r.problem],
            "items_json": items_json,
            "occurred_on": occurred_on,
        },
    )
