"""What each export contains, built from the same selectors as the organiser's pages.

* Ranking figures come from the latest :class:`ResultSnapshot` once the result is
  finalised (exports read the frozen result, never live scores); before that from
  ``selectors.final_ranking.final_ranking`` put in the very same shape by
  ``selectors.snapshot.computed_figures``, and marked provisional.
* The score recap and the minutes read ``stage_score_matrix`` and ``stage_leaderboard``.
* Every query here is fixed in number: rows are fetched in bulk, never per entry.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from competition import stats
from competition.models import (
    AttachmentKind,
    Competition,
    ConflictDeclaration,
    Entry,
    EntryAnswer,
    EntryStatus,
    ForwardingLevel,
    Innovator,
    ModerationNote,
    PlacementTitle,
    ResultSnapshot,
    Stage,
    StatusChange,
)
from competition.selectors.final_ranking import final_ranking
from competition.selectors.leaderboard import stage_leaderboard
from competition.selectors.score_matrix import stage_score_matrix
from competition.selectors.scoring import rung_label
from competition.selectors.snapshot import computed_figures
from kovablik.collector import collector_paused
from opd.models import Agency, AgencyKind, RegionProfile, User

from .tables import DATE, FIGURE, INTEGER, MONEY, SCORE, Column, Table

CHUNK = 500


def heading(competition: Competition, what: str) -> list[str]:
    """The header block of every export: the competition, what this is, when made."""
    made = formats.date_format(timezone.localtime(), "DATETIME_FORMAT")
    return [
        f"{competition.name} {competition.year}",
        what,
        _("Dibuat pada %(when)s dari portal Kovablik") % {"when": made},
    ]


def _decimal(value) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))


def yes_no(value: bool) -> str:
    return _("Ya") if value else _("Tidak")


def innovators_cells(innovation) -> tuple[str, str]:
    """Names and contacts of an Innovation's team or of an entry's submitted copy."""
    people = innovation.innovators
    people = list(people.all()) if hasattr(people, "all") else people
    names = "; ".join(p.name + (f" ({p.role})" if p.role else "") for p in people)
    contacts = "; ".join(
        f"{p.name}: " + ", ".join(part for part in (p.phone, p.email) if part)
        for p in people
        if p.phone or p.email
    )
    return names, contacts


def sdgs_cell(innovation) -> str:
    sdgs = innovation.sdgs
    sdgs = sdgs.all() if hasattr(sdgs, "all") else sdgs
    return "; ".join(f"{s.number}. {s.name}" for s in sdgs)


def _submitter_contact(entry: Entry) -> str:
    """Who sent the proposal (else who opened it): the contact when no innovator has one."""
    submissions = getattr(entry, "submissions", [])
    person = submissions[0].actor if submissions and submissions[0].actor else entry.created_by
    if person is None:
        return ""
    parts = ", ".join(part for part in (person.phone, person.email) if part)
    if not parts:
        return ""
    return _("%(name)s (pengirim proposal): %(contact)s") % {
        "name": person.full_name or person.email,
        "contact": parts,
    }


def _outcomes(entry: Entry, level: str) -> str:
    """The steps an entry reached at the province or the nation, latest last."""
    return "; ".join(
        str(o.label or o.get_step_display())
        for f in entry.forwardings.all()
        if f.level == level
        for o in f.outcomes.all()
    )


def entry_details(entry_ids) -> dict[int, Entry]:
    """Entries with everything a list shows about them, in a fixed number of queries."""
    return {
        entry.pk: entry
        for entry in Entry.objects.filter(pk__in=list(entry_ids))
        .select_related(
            "innovation__agency", "agency", "group", "category", "competition", "created_by"
        )
        .prefetch_related(
            "innovation__sdgs",
            "innovation__innovators",
            "forwardings__outcomes",
            Prefetch(
                "status_changes",
                queryset=StatusChange.objects.filter(to_status=EntryStatus.SUBMITTED)
                .select_related("actor")
                .order_by("-at", "-pk"),
                to_attr="submissions",
            ),
        )
    }


# --- ranking: finalist and winner list ---------------------------------------------


@dataclass
class RankingFigures:
    """The ranking in the snapshot's shape, and whether it is the frozen one."""

    competition: Competition
    snapshot: ResultSnapshot | None
    stages: list[dict]
    rows: list[dict]
    placements: dict[int, dict] = field(default_factory=dict)

    @property
    def provisional(self) -> bool:
        return self.snapshot is None


def ranking_figures(competition: Competition) -> RankingFigures:
    snapshot = competition.snapshots.order_by("-version").first()
    if snapshot is not None:
        computed = snapshot.payload["computed"]
        placements = {p["entry"]["id"]: p for p in snapshot.payload["placements"]}
    else:
        computed = computed_figures(final_ranking(competition, sheet_scores=True))
        placements = {}
    return RankingFigures(
        competition=competition,
        snapshot=snapshot,
        stages=computed["stages"],
        rows=computed["ranking"],
        placements=placements,
    )


def _result_label(entry: Entry, placement: dict | None) -> str:
    if placement is not None:
        return str(PlacementTitle(placement["title"]).label)
    if entry.status == EntryStatus.FINALIST:
        return str(PlacementTitle.FINALIST.label)
    return ""


def finalist_table(competition: Competition) -> Table:
    """Finalists and winners with everything the mayor and the province ask for.

    After finalising: the placed entries in the snapshot's order. Before: the ranked
    finalists (or every ranked entry while nobody is a finalist yet), marked provisional.
    """
    figures = ranking_figures(competition)
    by_entry = {row["entry"]["id"]: row for row in figures.rows}
    if figures.placements:
        order = [(p["entry"]["id"], p["rank"]) for p in figures.placements.values()]
        order.sort(key=lambda pair: pair[1])
    else:
        order = [(row["entry"]["id"], row["rank"]) for row in figures.rows]
    details = entry_details(entry_id for entry_id, _rank in order)
    if not figures.placements and any(e.status == EntryStatus.FINALIST for e in details.values()):
        order = [pair for pair in order if details[pair[0]].status == EntryStatus.FINALIST]

    criteria = [(stage, criterion) for stage in figures.stages for criterion in stage["criteria"]]
    means = {
        (stage["id"], row["entry_id"]): row["criterion_means"]
        for stage in figures.stages
        for row in stage["leaderboard"]
    }
    columns = [
        Column(_("Peringkat"), INTEGER, 10),
        Column(_("Nomor registrasi"), width=18),
        Column(_("Judul inovasi"), width=40),
        Column(_("Nama singkat"), width=16),
        Column(_("Kepanjangan"), width=30, pdf=False),
        Column(_("OPD"), width=30),
        Column(_("Inovator"), width=30),
        Column(_("Kontak inovator"), width=30, pdf=False),
        Column(_("Kelompok"), width=12, pdf=False),
        Column(_("Kategori"), width=22),
        Column(_("TPB/SDGs"), width=30, pdf=False),
        Column(_("Mulai diterapkan"), DATE, 14),
        Column(_("Usia (bulan)"), INTEGER, 10),
        Column(_("Nilai akhir"), SCORE, 11),
        *[Column(_("Nilai %(stage)s") % {"stage": s["name"]}, SCORE, 14) for s in figures.stages],
        *[Column(f"{s['name']}: {c['label']}", FIGURE, 14, pdf=False) for s, c in criteria],
        Column(_("Tautan video"), width=30, pdf=False),
        Column(_("Hasil"), width=12),
        Column(_("Uang pembinaan"), MONEY, 16),
        Column(_("Diteruskan ke"), width=24),
        Column(_("Hasil di provinsi"), width=24, pdf=False),
        Column(_("Hasil di nasional"), width=24, pdf=False),
    ]
    closes_on = timezone.localtime(competition.submission_closes_at).date()

    def rows() -> Iterator[list]:
        for entry_id, rank in order:
            entry = details[entry_id]
            row = by_entry.get(entry_id, {})
            placement = figures.placements.get(entry_id)
            parts = {p["stage_id"]: p["score"] for p in row.get("parts", [])}
            # The facts as submitted: what was screened and judged.
            innovation = entry.judged
            names, contacts = innovators_cells(innovation)
            yield [
                rank,
                entry.reference or "",
                innovation.title,
                innovation.brand_name,
                innovation.brand_long_form,
                entry.agency.name,
                names,
                contacts or _submitter_contact(entry),
                entry.group.get_code_display(),
                entry.category.name,
                sdgs_cell(innovation),
                innovation.started_on,
                innovation.age_in_months(closes_on),
                _decimal(placement["final_score"] if placement else row.get("final_score")),
                *[_decimal(parts.get(s["id"])) for s in figures.stages],
                *[
                    _decimal(means.get((s["id"], entry_id), {}).get(str(c["id"])))
                    for s, c in criteria
                ],
                entry.video_url,
                _result_label(entry, placement),
                # Only Juara I-III carry prize money; Harapan and Finalis print nothing.
                (placement["prize"] or None) if placement else None,
                "; ".join(str(f.get_level_display()) for f in entry.forwardings.all()),
                _outcomes(entry, ForwardingLevel.PROVINCE),
                _outcomes(entry, ForwardingLevel.NATIONAL),
            ]

    what = _("Daftar finalis dan pemenang")
    if figures.provisional:
        what += " " + _("(sementara: hasil belum difinalkan)")
    else:
        what += " " + _("(hasil akhir versi %(v)s, SK %(decree)s)") % {
            "v": figures.snapshot.version,
            "decree": figures.snapshot.decree_number,
        }
    return Table(_("Finalis"), heading(competition, what), columns, list(rows()))


# --- score recap and minutes --------------------------------------------------------


def _flag_text(row) -> str:
    if row.incomplete:
        return _("belum lengkap")
    if row.flagged:
        return _("perbedaan nilai besar") + ("" if row.has_moderation_note else " (!)")
    return ""


@collector_paused()
def recap_tables(stage: Stage) -> list[Table]:
    """Two sheets for a stage: every entry x judge x criterion score, then per entry
    the totals, means, spread and flags, with the agreement figure in the heading."""
    competition = stage.competition
    board = stage_leaderboard(stage, sheet_scores=True)
    matrix = stage_score_matrix(board)
    criteria = matrix.criteria
    agreement = agreement_text(board)
    # Translated once, not for each of a national stage's 3,500 rows.
    noted = {True: yes_no(True), False: yes_no(False)}
    head = heading(competition, _("Rekapitulasi nilai: %(stage)s") % {"stage": stage.name})
    # Totals, means and spreads go in as the selectors computed them: every writer rounds
    # a float half-up on its shortest representation (stats.half_up), exactly as it would
    # the Decimal of that text, so none is made for each of 50,000 values.
    matrix_table = Table(
        _("Rekap %(n)s") % {"n": stage.order},
        [*head, agreement],
        [
            Column(_("Nomor registrasi"), width=18),
            Column(_("Judul inovasi"), width=40),
            Column(_("OPD"), width=28),
            Column(_("Juri"), width=24),
            *[Column(f"{c.label} ({_('bobot')} {c.weight}%)", FIGURE, 14) for c in criteria],
            Column(_("Total lembar (0-100)"), SCORE, 14),
        ],
        [
            [
                row.entry.reference,
                row.entry.title,
                row.entry.agency_name,
                row.judge.name,
                *row.values,
                row.total,
            ]
            for row in matrix.rows
        ],
    )
    summary_table = Table(
        _("Ringkasan %(n)s") % {"n": stage.order},
        [*head, agreement],
        [
            Column(_("Peringkat"), INTEGER, 10),
            Column(_("Nomor registrasi"), width=18),
            Column(_("Judul inovasi"), width=40),
            Column(_("OPD"), width=28),
            Column(_("Lembar dikirim"), INTEGER, 10),
            Column(_("Juri ditugaskan"), INTEGER, 10),
            Column(_("Nilai rata-rata"), SCORE, 12),
            Column(_("Nilai ternormalisasi"), SCORE, 12),
            Column(_("Simpangan baku"), FIGURE, 12),
            Column(_("Rentang"), FIGURE, 12),
            *[Column(_("Rata-rata %(c)s") % {"c": c.label}, FIGURE, 14) for c in criteria],
            Column(_("Tanda"), width=24),
            Column(_("Catatan moderasi"), width=12),
        ],
        [
            [
                row.rank,
                row.entry.reference,
                row.entry.title,
                row.entry.agency_name,
                row.n_sheets,
                row.n_assigned,
                row.score,
                row.normalised,
                row.sd,
                row.range,
                *[row.criterion_means.get(c.id) for c in criteria],
                _flag_text(row),
                noted[row.has_moderation_note],
            ]
            for row in board.rows
        ],
    )
    return [matrix_table, summary_table]


def agreement_text(board) -> str:
    if board.single_judge:
        return _(
            "Tahap ini dinilai oleh satu juri: kesepakatan antarjuri dan uji kestabilan tiga "
            "besar tidak berlaku."
        )
    shown = board.agreement.shown
    value = "-" if shown is None else formats.number_format(shown, stats.ALPHA_PLACES)
    return _("Kesepakatan antarjuri (alfa Krippendorff): %(alpha)s, %(reading)s") % {
        "alpha": value,
        "reading": board.agreement.reading_label,
    }


def minutes_context(stage: Stage) -> dict:
    """Everything the berita acara penilaian states, for its template."""
    competition = stage.competition
    board = stage_leaderboard(stage)
    judge_ids = [j.judge.id for j in board.judges]
    judges = list(User.objects.filter(pk__in=judge_ids).order_by("full_name"))
    conflicts = list(
        ConflictDeclaration.objects.filter(stage=stage, has_conflict=True)
        .select_related("entry__innovation", "judge")
        .order_by("entry__reference", "judge__full_name")
    )
    notes = list(
        ModerationNote.objects.filter(stage=stage)
        .select_related("entry__innovation", "author")
        .order_by("entry__reference", "created_at")
    )
    head = (
        Agency.objects.filter(kind=AgencyKind.BAGIAN, name__icontains="organisasi")
        .order_by("pk")
        .first()
    )
    return {
        "competition": competition,
        "stage": stage,
        "board": board,
        "judges": judges,
        "conflicts": conflicts,
        "notes": notes,
        "ladder": [rung_label(r) for r in competition.tie_break_ladder or []],
        "agreement": agreement_text(board),
        "head": head,
        "region": RegionProfile.current(),
        # The minutes are dated when the stage closed, whenever they are printed; a
        # stage still open prints as a draft dated today.
        "made_at": timezone.localtime(stage.closed_at) if stage.is_frozen else timezone.localtime(),
    }


# --- forwarding package -------------------------------------------------------------


def forwarding_context(entry: Entry) -> dict:
    """The proposal in section order with word counts, its metadata and the checklist."""
    entry = (
        Entry.objects.select_related(
            "innovation__agency", "agency", "group", "category", "competition"
        )
        .prefetch_related(
            "innovation__sdgs",
            Prefetch("innovation__innovators", queryset=Innovator.objects.order_by("order")),
            "innovation__awards",
        )
        .get(pk=entry.pk)
    )
    competition = entry.competition
    answers = {
        a.section_id: a for a in EntryAnswer.objects.filter(entry=entry).select_related("section")
    }
    sections = [
        {"section": section, "answer": answers.get(section.pk)}
        for section in competition.sections.prefetch_related("groups").order_by("order", "pk")
        if not section.groups.all() or entry.group in section.groups.all()
    ]
    attachments = list(entry.attachments.select_related("kind"))
    checklist = [
        {"kind": kind, "files": [a for a in attachments if a.kind_id == kind.pk]}
        for kind in AttachmentKind.objects.filter(competition=competition).order_by("order", "pk")
    ]
    closes_on = timezone.localtime(competition.submission_closes_at).date()
    return {
        "competition": competition,
        "entry": entry,
        # The facts as submitted, which are what was judged.
        "innovation": entry.judged,
        "awards": list(entry.innovation.awards.all()),
        "age_months": entry.judged.age_in_months(closes_on),
        "sections": sections,
        "checklist": checklist,
        "made_at": timezone.localtime(),
    }
