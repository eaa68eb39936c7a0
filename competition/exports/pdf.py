"""PDF documents rendered by WeasyPrint from HTML templates, with no network access.

Templates live under ``templates/competition/exports/``. Text is set in DejaVu Sans
(Debian package ``fonts-dejavu-core``), which covers every Indonesian character.
Resources may only come from the project's static folders or ``data:`` URIs: the
fetcher refuses any other URL, so user text such as ``<img src="http://...">`` can
never make the server call out (it is escaped anyway; this is the second lock).
"""

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from competition.templatetags.kovablik import rupiah

from .tables import DATE, MONEY, PLACES, ROUNDED, TEXT, Table, rounded

STYLESHEET = Path(__file__).with_name("export.css")
CERTIFICATE_STYLESHEET = Path(__file__).with_name("certificate.css")


def static_roots() -> list[Path]:
    roots = [Path(path).resolve() for path in settings.STATICFILES_DIRS]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT).resolve())
    return roots


class LocalOnlyFetcher(URLFetcher):
    """Fetches ``data:`` URIs and files under the static folders; refuses the rest."""

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        if parts.scheme == "file":
            path = Path(unquote(parts.path)).resolve()
            if any(path.is_relative_to(root) for root in static_roots()):
                return super().fetch(url, headers)
        raise ValueError(f"Refused non-local resource in a PDF export: {url}")


def render(template_name: str, context: dict, stylesheets: list[Path] | None = None) -> bytes:
    html = render_to_string(template_name, context)
    return html_to_pdf(html, stylesheets)


# Text longer than this without a space gets a line-break opportunity (<wbr>) after every
# this many characters. CSS overflow-wrap alone wraps it too, but WeasyPrint then tries
# every character as a break point and takes seconds per long run (a table cell is worst).
WRAP_AFTER = 40
_RAW_TEXT = re.compile(r"(<(style|script|title)\b.*?</\2\s*>)", re.DOTALL | re.IGNORECASE)
_TEXT_NODE = re.compile(r">([^<]+)")
_LONG_RUN = re.compile(rf"(?:&#?\w+;|[^\s<&]){{{WRAP_AFTER + 1},}}")
_CHARACTER = re.compile(r"&#?\w+;|[^\s<&]")


def _break_run(match: re.Match) -> str:
    chars = _CHARACTER.findall(match.group(0))
    return "<wbr>".join(
        "".join(chars[i : i + WRAP_AFTER]) for i in range(0, len(chars), WRAP_AFTER)
    )


def break_long_runs(html: str) -> str:
    """``html`` with a <wbr> every ``WRAP_AFTER`` characters of unbroken text, so that a
    pasted link or a run of characters wraps inside the page instead of leaving it."""
    parts = _RAW_TEXT.split(html)
    out = []
    # split() with two groups yields: text, whole raw element, its tag name, text, ...
    for index in range(0, len(parts), 3):
        out.append(
            _TEXT_NODE.sub(lambda m: ">" + _LONG_RUN.sub(_break_run, m.group(1)), parts[index])
        )
        if index + 1 < len(parts):
            out.append(parts[index + 1])
    return "".join(out)


def document(html: str, stylesheets: list[Path] | None = None):
    """The laid-out WeasyPrint document (its pages and boxes) for ``html``."""
    base = Path(settings.STATICFILES_DIRS[0]).resolve()
    source = HTML(
        string=break_long_runs(html), base_url=f"{base.as_uri()}/", url_fetcher=LocalOnlyFetcher()
    )
    sheets = [CSS(filename=str(path)) for path in [STYLESHEET, *(stylesheets or [])]]
    return source.render(stylesheets=sheets)


def html_to_pdf(html: str, stylesheets: list[Path] | None = None) -> bytes:
    return document(html, stylesheets).write_pdf()


@dataclass(frozen=True)
class PdfCell:
    text: str
    numeric: bool


def format_cell(value, kind: str) -> PdfCell:
    """A value as Indonesians read it on paper: ``85,500``, ``Rp 15.000.000``, ``1 April 2023``."""
    if value is None or value == "":
        return PdfCell("", kind != TEXT)
    if kind in ROUNDED and isinstance(value, Decimal | float | int):
        return PdfCell(formats.number_format(rounded(value, kind), PLACES[kind]), True)
    if kind == MONEY and isinstance(value, int | Decimal):
        return PdfCell(rupiah(value), True)
    if kind == DATE and isinstance(value, dt.date):
        return PdfCell(formats.date_format(value, "DATE_FORMAT"), False)
    return PdfCell(str(value), kind != TEXT)


def tables_document(tables: list[Table], title: str) -> bytes:
    """A landscape PDF with one titled table per section, from the same tables as XLSX."""
    sections = []
    for table in tables:
        keep = [i for i, column in enumerate(table.columns) if column.pdf]
        columns = [table.columns[i] for i in keep]
        sections.append(
            {
                "heading": table.heading,
                "columns": columns,
                "cells": [
                    [format_cell(row[i], table.columns[i].kind) for i in keep] for row in table.rows
                ],
            }
        )
    return render("competition/exports/tables.html", {"title": title, "tables": sections})
