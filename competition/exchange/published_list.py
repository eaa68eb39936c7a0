"""Match a published list (the national Top 99, a provincial decree's annex) against the
region's forwardings to a round: each row by registration number or by title, with its
award label; the organiser previews the matches, then records them as awards."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from competition.models import Forwarding, Outcome, OutcomeStep, TargetRound
from competition.services.forwarding import outcome_record
from kovablik.text import title_key
from opd.importers import _FileUnreadable, _read_csv, _read_xlsx

REFERENCE_HEADERS = {"nomor", "nomor registrasi", "no registrasi", "reference", "kode"}
TITLE_HEADERS = {"judul", "judul inovasi", "nama inovasi", "inovasi", "title"}
LABEL_HEADERS = {"predikat", "penghargaan", "label", "kategori", "hasil"}
MAX_ROWS = 2000


@dataclass
class ListRow:
    line: int
    reference: str
    title: str
    label: str
    forwarding: Forwarding | None = None
    problem: str = ""
    already: bool = False

    @property
    def matched(self) -> bool:
        return self.forwarding is not None and not self.problem


def _text(value) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def read_list(*, filename: str, data: bytes) -> list[dict]:
    """The rows of a CSV or XLSX list as ``{"line", "reference", "title", "label"}``."""
    try:
        table = _read_xlsx(data) if filename.lower().endswith(".xlsx") else _read_csv(data)
    except _FileUnreadable as error:
        raise ValidationError(str(error), code="unreadable") from error
    if not table:
        raise ValidationError(_("Berkas kosong."), code="empty")
    header = [_text(cell).casefold() for cell in table[0]]

    def column(names):
        return next((i for i, name in enumerate(header) if name in names), None)

    ref_col, title_col, label_col = (
        column(REFERENCE_HEADERS),
        column(TITLE_HEADERS),
        column(LABEL_HEADERS),
    )
    if label_col is None or (ref_col is None and title_col is None):
        raise ValidationError(
            _(
                "Baris pertama harus berisi judul kolom: “Nomor” atau “Judul” (atau keduanya) "
                "dan “Predikat”."
            ),
            code="header",
        )
    if len(table) - 1 > MAX_ROWS:
        raise ValidationError(
            _("Paling banyak %(max)s baris per berkas.") % {"max": MAX_ROWS}, code="too_many"
        )

    def cell(row, index):
        return _text(row[index]) if index is not None and index < len(row) else ""

    rows = []
    for line, row in enumerate(table[1:], start=2):
        item = {
            "line": line,
            "reference": cell(row, ref_col),
            "title": cell(row, title_col),
            "label": cell(row, label_col),
        }
        if item["reference"] or item["title"]:
            rows.append(item)
    return rows


def list_preview(target: TargetRound, items: list[dict]) -> list[ListRow]:
    """Each row with the forwarding to ``target`` it names (by registration number, else
    by title); rows naming none of ours are other regions' and are left alone."""
    forwardings = list(
        Forwarding.objects.filter(round=target)
        .select_related("entry__innovation", "entry__agency")
        .prefetch_related("outcomes")
    )
    by_reference = {(f.entry.reference or "").casefold(): f for f in forwardings}
    by_title: dict[str, list[Forwarding]] = {}
    for forwarding in forwardings:
        keys = {title_key(forwarding.entry.judged.title), forwarding.entry.innovation.title_key}
        for key in keys - {""}:
            by_title.setdefault(key, []).append(forwarding)
    labels = {label.casefold(): label for label in target.award_labels or []}
    rows = []
    for item in items:
        row = ListRow(
            line=int(item["line"]),
            reference=str(item["reference"]),
            title=str(item["title"]),
            label=str(item["label"]),
        )
        if row.reference:
            row.forwarding = by_reference.get(row.reference.casefold())
        if row.forwarding is None and row.title:
            found = by_title.get(title_key(row.title), [])
            if len(found) > 1:
                row.problem = _(
                    "Judul ini cocok dengan %(n)s proposal yang diteruskan; tulis nomor "
                    "registrasinya."
                ) % {"n": len(found)}
            elif found:
                row.forwarding = found[0]
        if row.forwarding is not None and not row.problem:
            if not row.label:
                row.problem = _("Predikat kosong.")
            elif labels and row.label.casefold() not in labels:
                row.problem = _("Predikat “%(label)s” bukan predikat %(round)s (%(labels)s).") % {
                    "label": row.label,
                    "round": target.name,
                    "labels": ", ".join(target.award_labels),
                }
            else:
                row.label = labels.get(row.label.casefold(), row.label)
                row.already = any(
                    o.step == OutcomeStep.AWARDED and o.label.casefold() == row.label.casefold()
                    for o in row.forwarding.outcomes.all()
                )
        rows.append(row)
    return rows


def list_apply(
    *, target: TargetRound, items: list[dict], occurred_on: dt.date, actor
) -> list[Outcome]:
    """Record an award for every matched row not yet recorded; nothing if a row has a problem."""
    rows = list_preview(target, items)
    problems = [
        _("Baris %(line)s: %(p)s") % {"line": r.line, "p": r.problem} for r in rows if r.problem
    ]
    if problems:
        raise ValidationError(problems, code="rows")
    recorded = []
    with transaction.atomic():
        for row in rows:
            if not row.matched or row.already:
                continue
            recorded.append(
                outcome_record(
                    forwarding=row.forwarding,
                    actor=actor,
                    step=OutcomeStep.AWARDED,
                    occurred_on=occurred_on,
                    label=row.label,
                    is_top_99="top 99" in row.label.casefold(),
                    notes=_("Dicocokkan dari daftar terbit %(round)s.") % {"round": target.name},
                )
            )
    return recorded
