"""Fifty hostile strings typed into the proposal editor and the innovation form.

Each is stored as typed (or refused with a form message) and rendered escaped: no
markup from the string reaches a page, no template syntax is evaluated, never a 500.
"""

import pytest
from django.urls import reverse
from django.utils.html import escape

from competition.models import EntryAnswer, Innovation
from kovablik.text import clean_name
from tests.competition.hardening.conftest import editor_post
from tests.competition.hostile.make_corpus import HOSTILE_STRINGS

IDS = [f"s{n:02d}" for n in range(len(HOSTILE_STRINGS))]
MARKUP = set("<>\"'&")


def assert_escaped(page: str, text: str) -> None:
    """The raw string never appears where escaping would have changed it."""
    if MARKUP & set(text):
        assert text not in page
    for fragment in ("<script>alert", "<svg/onload", "<img src=x", "<iframe src", "<body onload"):
        if fragment in text:
            assert fragment not in page


def test_corpus_has_fifty_distinct_hostile_strings():
    assert len(HOSTILE_STRINGS) >= 50
    assert len(set(HOSTILE_STRINGS)) == len(HOSTILE_STRINGS)


@pytest.mark.parametrize("text", HOSTILE_STRINGS, ids=IDS)
def test_editor_stores_and_escapes_hostile_string(text, client_a, entry):
    url = reverse("competition:entry_edit", args=[entry.pk])

    saved = client_a.post(url, editor_post(entry, {"ringkasan": text, "signifikansi": text}))
    editor = client_a.get(url)
    detail = client_a.get(reverse("competition:entry_detail", args=[entry.pk]))

    cap = entry.competition.sections.get(key="ringkasan").char_limit
    if len(text.replace("\r\n", "\n")) > cap:
        # Over the section's character cap: refused, saying the cap, nothing stored.
        assert saved.status_code == 200
        assert f"batasnya {cap:,} karakter".replace(",", ".") in saved.content.decode()
        assert not EntryAnswer.objects.filter(entry=entry).exists()
        assert_escaped(saved.content.decode(), text)
        return
    assert saved.status_code == 302
    stored = EntryAnswer.objects.get(entry=entry, section__key="ringkasan").text
    assert stored == text.replace("\r\n", "\n")
    assert editor.status_code == 200 and detail.status_code == 200
    page = editor.content.decode()
    if stored.strip():
        assert escape(stored) in page
    assert_escaped(page, text)
    assert_escaped(detail.content.decode(), text)


def innovation_post(agency, text: str) -> dict:
    return {
        "title": text[:255],
        "brand_name": text[:80],
        "brand_long_form": text[:255],
        "description": text,
        "agency": agency.pk,
        "started_on": "2022-01-15",
        "trial_on": "",
        "stage": "penerapan",
        "form": "pelayanan_publik",
        "initiator": "perangkat_daerah",
        "is_published": "on",
        "innovators-TOTAL_FORMS": "1",
        "innovators-INITIAL_FORMS": "0",
        "innovators-MIN_NUM_FORMS": "1",
        "innovators-MAX_NUM_FORMS": "1000",
        "innovators-0-name": text[:150] if text.strip() else "Inovator",
        "innovators-0-role": text[:100],
    }


@pytest.mark.parametrize("text", HOSTILE_STRINGS, ids=IDS)
def test_innovation_form_stores_or_refuses_hostile_string_escaped(
    text, client_a, agency_a, competition
):
    response = client_a.post(
        reverse("competition:innovation_create"), innovation_post(agency_a, text)
    )

    if response.status_code == 200:
        # Refused (a blank title): the form says so and shows the input escaped.
        assert response.context["form"].errors
        assert not Innovation.objects.exists()
        assert_escaped(response.content.decode(), text)
        return
    assert response.status_code == 302
    innovation = Innovation.objects.get()
    assert innovation.title == clean_name(text[:255])
    detail = client_a.get(reverse("competition:innovation_detail", args=[innovation.pk]))
    edit = client_a.get(reverse("competition:innovation_update", args=[innovation.pk]))
    listing = client_a.get(reverse("competition:innovation_list"))
    for page in (detail, edit, listing):
        assert page.status_code == 200
        assert_escaped(page.content.decode(), text)
    assert escape(innovation.title) in detail.content.decode()
