"""One date format everywhere: "3 Juni 2024" (and "3 Juni 2024 14:05" for a moment).
Three checks: every page of the portal, as every persona who may see it, and every PDF export
print dates only that way (no "3 Agu 2023", "2 Feb. 2024", "02-02-2024"); templates and code
ask only for the named formats of kovablik/formats/, never a format string of their own; and
the formats module itself says what the portal prints.
"""

# The shared fixture is imported by name, which pyflakes reads as a redefinition.
# ruff: noqa: F811

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation
from pypdf import PdfReader

from kovablik.formats.id import formats as portal_formats
from tests.kovablik.test_access_matrix import (
    OK,
    TABLE,
    finish,
    project_url_names,
    world,  # noqa: F401 (a fixture)
)

MONTHS = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
FULL_DATE = re.compile(r"\b\d{1,2} (?:" + "|".join(MONTHS) + r") \d{4}\b")
# An abbreviated month (Django's "M" and "N": "Agu", "Feb.", "Des"), or a date in figures.
ABBREVIATED = re.compile(
    r"\b\d{1,2} (?:Jan|Feb|Mar|Apr|Jun|Jul|Agu|Agt|Ags|Sep|Sept|Okt|Nov|Des)\.?,? \d{4}\b"
)
IN_FIGURES = re.compile(r"\b\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})\b(?![.,]\d)")
TAGS = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S)

# The named formats a template or a date_format() call may ask for.
NAMED = {
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "YEAR_MONTH_FORMAT",
    "MONTH_DAY_FORMAT",
    "TIME_FORMAT",
}
# Formats that add to the named ones without spelling a month differently: the named formats'
# own patterns written out, ISO for machines (a data attribute for the countdown script),
# seconds in the audit trail, the weekday on the presentation schedule.
ALSO_ALLOWED = {getattr(portal_formats, name) for name in NAMED} | {
    "c",
    "j F Y H:i:s",
    "l, j F Y H:i",
}


# Files people uploaded: the portal streams them, it does not print them.
UPLOADED = {
    "competition:attachment_download",
    "competition:attachment_inline",
    "competition:results_evidence",
}


def bad_dates(text: str) -> list[str]:
    return ABBREVIATED.findall(text) + IN_FIGURES.findall(text)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_formats_module_prints_day_full_month_year():
    moment = dt.datetime(2024, 6, 3, 14, 5)
    for language in ("id", "en"):
        with translation.override(language):
            assert formats.date_format(moment.date()) in {"3 Juni 2024", "3 June 2024"}
            assert formats.date_format(moment, "DATETIME_FORMAT") in {
                "3 Juni 2024 14:05",
                "3 June 2024 14:05",
            }
            assert formats.date_format(moment, "SHORT_DATE_FORMAT") in {
                "3 Juni 2024",
                "3 June 2024",
            }


@pytest.mark.django_db
def test_every_page_and_pdf_prints_dates_one_way(
    client, world, staff_a, staff_b, judge, other_judge, organiser
):
    users = {
        "anonymous": None,
        "opd_a": staff_a,
        "opd_b": staff_b,
        "judge": judge,
        "other_judge": other_judge,
        "organiser": organiser,
    }
    found: dict[str, list[str]] = {}
    full_dates = set()
    pdfs = 0
    for persona, user in users.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        for name in sorted(project_url_names() & set(TABLE)):
            params, expected = TABLE[name]
            if expected[persona] != OK:
                continue
            response = client.get(reverse(name, kwargs=params(world)))
            content_type = response.get("Content-Type", "")
            if content_type.startswith("text/html"):
                text = TAGS.sub(" ", response.content.decode())
            elif content_type.startswith("application/pdf") and name not in UPLOADED:
                body = (
                    b"".join(response.streaming_content) if response.streaming else response.content
                )
                text = pdf_text(body)
                pdfs += 1
            else:
                finish(response)
                continue
            full_dates.update(FULL_DATE.findall(text))
            if bad := bad_dates(text):
                found[f"{persona} {name}"] = bad

    client.force_login(organiser)
    year = world.competition.year
    for url in (
        reverse("competition:export_competition", args=[year, "finalis", "pdf"]),
        reverse("competition:export_competition", args=[year, "piagam", "pdf"]),
        reverse("competition:export_stage", args=[year, world.stage.order, "berita-acara", "pdf"]),
        reverse("competition:export_stage", args=[year, world.stage.order, "rekap-nilai", "pdf"]),
        reverse("competition:export_entry", args=[world.entry_a.pk, "paket", "pdf"]),
    ):
        response = client.get(url)
        assert response["Content-Type"] == "application/pdf", url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = pdf_text(body)
        pdfs += 1
        full_dates.update(FULL_DATE.findall(text))
        if bad := bad_dates(text):
            found[url] = bad

    assert found == {}
    # The check saw dates: the decree date, the submission time, a stage's window...
    assert "20 November 2026" in full_dates
    assert len(full_dates) >= 3
    assert pdfs >= 5


TEMPLATE_DATE = re.compile(r"\|(?:date|time):(\"[^\"]*\"|'[^']*')")
PYTHON_DATE = re.compile(r"date_format\([^)]*?,\s*(\"[^\"]*\"|'[^']*')\s*\)")


def test_templates_ask_only_for_the_named_formats():
    wrong = []
    for path in sorted((settings.BASE_DIR / "templates").rglob("*")):
        if path.suffix not in {".html", ".txt"}:
            continue
        for match in TEMPLATE_DATE.finditer(path.read_text()):
            fmt = match.group(1)[1:-1]
            if fmt not in NAMED | ALSO_ALLOWED:
                wrong.append(f"{path.relative_to(settings.BASE_DIR)}: {match.group(0)}")

    assert wrong == []


def test_code_asks_only_for_the_named_formats():
    wrong = []
    for app in ("competition", "opd", "kovablik"):
        for path in sorted(Path(settings.BASE_DIR, app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            source = path.read_text()
            for match in PYTHON_DATE.finditer(source):
                if match.group(1)[1:-1] not in NAMED | ALSO_ALLOWED:
                    wrong.append(f"{path.relative_to(settings.BASE_DIR)}: {match.group(0)}")
            # strftime spells dates by hand; only the machine-readable ones may (ISO in CSV,
            # a backup's file name).
            for line in source.splitlines():
                if "strftime(" in line and "%Y-%m-%d" not in line and "%Y%m%d" not in line:
                    wrong.append(f"{path.relative_to(settings.BASE_DIR)}: {line.strip()}")

    assert wrong == []
