"""The year's result: the final ranking, its frozen versions (snapshots) and their
publication, and the OPD's own result page, reachable only once the result is published.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from competition.forms.results import FinaliseForm, RevisionForm, parse_chair_order
from competition.models import Competition, ResultSnapshot
from competition.selectors import final_ranking as ranking_selectors
from competition.selectors.finalise import finalise_blockers, placements_for_winners
from competition.selectors.own_result import opd_own_result
from competition.selectors.scoring import rung_label
from competition.selectors.snapshot import published_snapshot
from competition.services.freeze import result_revision_open, year_is_locked
from competition.services.snapshot import result_finalise, result_publish
from competition.services.verification import result_check

from .access import permission_required
from .ranking import competition_or_404, error_text


@permission_required("competition.manage_results")
def final_ranking(request, year):
    competition = competition_or_404(year)
    base = ranking_selectors.final_ranking(competition)
    references = {r.entry.reference: r.entry.id for r in base.rows if r.entry.reference}
    data = request.POST if request.method == "POST" else None
    chair_text = (data or request.GET).get("chair_order", "")
    ranking = base
    # The preview ignores numbers not in the ranking; the form names them on submit.
    chair_order, _unknown = parse_chair_order(chair_text, references)
    if chair_order:
        ranking = ranking_selectors.final_ranking(competition, chair_order=chair_order)
    form = FinaliseForm(
        data,
        ranking_rows=ranking.rows,
        references=references,
        initial={"chair_order": chair_text},
    )
    if data is not None and form.is_valid():
        cd = form.cleaned_data
        # A valid form's chair order is the one parsed above: ``ranking`` already has it.
        override = placements_for_winners(ranking, form.winners())
        try:
            snapshot = result_finalise(
                competition=competition,
                actor=request.user,
                decree_number=cd["decree_number"],
                decree_date=cd["decree_date"],
                placements_override=override,
                reason=cd["reason"],
                harapan=cd["harapan"],
                chair_order=cd["chair_order"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Hasil difinalkan sebagai versi %(v)s. Periksa lalu umumkan.")
                % {"v": snapshot.version},
            )
            return redirect(
                "competition:results_snapshot", year=competition.year, version=snapshot.version
            )
    snapshots = competition.snapshots.order_by("-version").select_related("created_by")
    return render(
        request,
        "competition/results/final_ranking.html",
        {
            "competition": competition,
            "ranking": ranking,
            "form": form,
            "snapshots": snapshots,
            "blockers": finalise_blockers(ranking),
            "year_locked": year_is_locked(competition),
            "revision_form": RevisionForm(),
        },
    )


@permission_required("competition.manage_results")
@require_POST
def revision_open(request, year):
    """The documented path to change a finalised year: a new result version, with a reason."""
    competition = competition_or_404(year)
    form = RevisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("competition:results_final", year=year)
    try:
        result_revision_open(
            competition=competition, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            _(
                "Versi baru hasil dibuka. Tahap, lembar penilaian dan finalis dapat diubah "
                "dengan alasan; finalkan versi baru bila sudah selesai."
            ),
        )
    return redirect("competition:results_final", year=year)


@permission_required("competition.manage_results")
def snapshot_detail(request, year, version):
    competition = competition_or_404(year)
    snapshot = get_object_or_404(
        ResultSnapshot.objects.select_related("created_by"),
        competition=competition,
        version=version,
    )
    placements = snapshot.placements.select_related("entry__innovation", "entry__agency")
    check = result_check(snapshot)
    versions = competition.snapshots.order_by("-version").select_related("created_by")
    return render(
        request,
        "competition/results/snapshot.html",
        {
            "competition": competition,
            "snapshot": snapshot,
            "placements": placements,
            "versions": versions,
            "check": check,
            "verified": check.ok,
            "is_latest": snapshot.version == versions[0].version,
            "method": method_lines(snapshot.payload),
            "ladder": [rung_label(r) or r for r in snapshot.payload["tie_break_ladder"]],
        },
    )


# The frozen method, said in Indonesian: the payload keeps its keys and English notes as
# the record; the page explains each key in the organiser's words.
METHOD_LABELS = {
    "sheet_total": (
        gettext_lazy("Nilai total lembar"),
        gettext_lazy(
            "jumlah atas semua kriteria: nilai / nilai maksimal x bobot (bobot berjumlah 100)"
        ),
    ),
    "entry_score": (
        gettext_lazy("Nilai proposal"),
        gettext_lazy(
            "rata-rata nilai total lembar yang dikirim; belum lengkap bila lembar yang dikirim "
            "lebih sedikit dari juri yang ditugaskan"
        ),
    ),
    "spread": (
        gettext_lazy("Sebaran nilai"),
        gettext_lazy("simpangan baku sampel (n - 1) dan rentang nilai total lembar"),
    ),
    "normalised": (
        gettext_lazy("Nilai ternormalisasi"),
        gettext_lazy(
            "skor z per juri dalam tahap, dikembalikan ke rata-rata dan simpangan baku semua "
            "nilai total; hanya bila setiap juri proposal itu menilai cukup banyak proposal"
        ),
    ),
    "agreement": (
        gettext_lazy("Kesepakatan antarjuri"),
        gettext_lazy("alfa Krippendorff, skala interval, proposal x juri, boleh ada yang kosong"),
    ),
    "stability": (
        gettext_lazy("Uji kestabilan"),
        gettext_lazy("tiga besar dihitung ulang dengan meninggalkan nilai setiap juri bergantian"),
    ),
    "final_score": (
        gettext_lazy("Nilai akhir"),
        gettext_lazy("jumlah atas tahap: nilai tahap x bobot tahap / 100"),
    ),
    "ties": (
        gettext_lazy("Nilai seri"),
        gettext_lazy("nilai akhir dibandingkan sampai 3 angka desimal, lalu urutan penentu seri"),
    ),
    "rounding": (
        gettext_lazy("Pembulatan"),
        gettext_lazy("angka disimpan dengan 6 angka desimal"),
    ),
}


def method_lines(payload: dict) -> list[tuple[str, str]]:
    """(label, explanation) of each frozen method key; a key this version of the portal
    does not know keeps the note it was frozen with."""
    lines = []
    for key, note in payload.get("method", {}).items():
        label, text = METHOD_LABELS.get(key, (key, note))
        lines.append((str(label), str(text)))
    return lines


@permission_required("competition.manage_results")
@require_POST
def snapshot_publish(request, year, version):
    competition = competition_or_404(year)
    snapshot = get_object_or_404(ResultSnapshot, competition=competition, version=version)
    try:
        result_publish(snapshot=snapshot, actor=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Hasil diumumkan di halaman publik."))
    return redirect("competition:results_snapshot", year=year, version=version)


def _published_years():
    return list(Competition.objects.announced().values_list("year", flat=True))


@permission_required("competition.use_opd_desk")
def opd_results_latest(request):
    """The OPD's results of the latest announced year, or a note that none is out yet."""
    years = _published_years()
    if years:
        return redirect("competition:opd_results", year=years[0])
    return render(request, "competition/results/opd_results.html", {"competition": None})


@permission_required("competition.use_opd_desk")
def opd_results(request, year):
    """An OPD's own entries in a year's result, only once the result is published."""
    competition = competition_or_404(year)
    snapshot = published_snapshot(competition)
    if snapshot is None:
        raise Http404
    own = opd_own_result(request.user, snapshot)
    return render(
        request,
        "competition/results/opd_results.html",
        {
            "competition": competition,
            "snapshot": snapshot,
            "ranking": own.ranking,
            "entries": own.entries,
            "ranked_ids": own.ranked_ids,
            "years": _published_years(),
        },
    )
