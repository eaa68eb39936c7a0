"""A proposal section holds a bounded number of characters, and long unbroken text wraps
inside every PDF page (issue 17: a 100,000-character "word" passed every word limit and
the forwarding package printed it as one line off the page)."""

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse

from competition.eligibility import entry_problems
from competition.exports import documents, pdf
from competition.models import EntryAnswer, EntryStatus
from competition.services.entries import entry_save_draft
from tests import factories as f
from tests.competition.hardening.conftest import editor_post

HUGE_WORD = "x" * 100_000


def test_section_char_limit_is_a_multiple_of_its_word_limit(competition):
    section = competition.sections.get(key="ringkasan")

    assert section.char_limit == section.word_limit * section.CHARS_PER_WORD == 3000


def test_editor_refuses_a_100000_character_word_with_the_cap_in_the_message(client_a, entry):
    url = reverse("competition:entry_edit", args=[entry.pk])

    response = client_a.post(url, editor_post(entry, {"ringkasan": HUGE_WORD}))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Ringkasan terlalu panjang: 100.000 karakter, batasnya 3.000 karakter" in page
    assert not EntryAnswer.objects.filter(entry=entry, section__key="ringkasan").exists()


def test_editor_states_the_character_cap_beside_the_word_count(client_a, entry):
    page = client_a.get(reverse("competition:entry_edit", args=[entry.pk])).content.decode()

    assert "paling banyak 3.000 karakter" in page


def test_editor_keeps_text_up_to_the_cap(client_a, entry):
    text = "y" * 3000

    response = client_a.post(
        reverse("competition:entry_edit", args=[entry.pk]), editor_post(entry, {"ringkasan": text})
    )

    assert response.status_code == 302
    assert EntryAnswer.objects.get(entry=entry, section__key="ringkasan").text == text


def test_service_refuses_a_section_over_its_cap(entry, staff_a):
    section = entry.competition.sections.get(key="signifikansi")

    with pytest.raises(ValidationError) as refused:
        entry_save_draft(
            entry=entry, user=staff_a, version=entry.version, answers={section.pk: HUGE_WORD}
        )

    assert [e.code for e in refused.value.error_list] == ["too_long"]
    assert "batasnya 3.000 karakter" in refused.value.messages[0]
    assert not EntryAnswer.objects.filter(entry=entry).exists()


def test_submission_lists_a_stored_answer_over_the_cap(agency_a):
    """Text stored before the cap (or by a script) is stopped at submission."""
    competition = f.CompetitionFactory(open=True)
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
        complete=True,
    )
    entry.answers.filter(section__key="latar-belakang").update(text="z" * 5000)

    problems = entry_problems(entry)

    assert [p.field for p in problems] == ["section:latar-belakang"]
    assert "5.000 karakter, batasnya 4.500 karakter" in problems[0].message


def _right_edges(box, edges):
    edges.append(box.position_x + box.margin_width())
    for child in getattr(box, "children", None) or []:
        _right_edges(child, edges)
    return edges


def test_forwarding_package_pdf_wraps_long_unbroken_text_inside_the_page(client, organiser):
    competition = f.CompetitionFactory(year=2026)
    entry = f.EntryFactory(
        competition=competition, status=EntryStatus.FINALIST, reference="KIPP-2026-0001"
    )
    entry.innovation.title = "Judul" + "J" * 240
    entry.innovation.save()
    section = f.SectionSpecFactory(competition=competition, label="Ringkasan", word_limit=200)
    link = "https://contoh.test/" + "a" * (section.char_limit - 20)
    f.EntryAnswerFactory(entry=entry, section=section, text=link)
    attachment_kind = f.AttachmentKindFactory(competition=competition, label="SK")
    f.AttachmentFactory(entry=entry, kind=attachment_kind, original_name="n" * 110 + ".pdf")

    html = render_to_string(
        "competition/exports/forwarding.html", documents.forwarding_context(entry)
    )
    laid_out = pdf.document(html)
    client.force_login(organiser)
    response = client.get(reverse("competition:export_entry", args=[entry.pk, "paket", "pdf"]))

    for page in laid_out.pages:
        assert max(_right_edges(page._page_box, [])) <= page.width + 0.5
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_break_long_runs_leaves_markup_entities_and_styles_whole():
    html = (
        "<html><head><title>" + "T" * 50 + "</title><style>.a{b:" + "c" * 60 + "}</style></head>"
        '<body><p class="' + "k" * 50 + '">' + "a" * 45 + " " + "&quot;" * 41 + " pendek</p></body>"
    )

    out = pdf.break_long_runs(html)

    assert "<title>" + "T" * 50 + "</title>" in out
    assert ".a{b:" + "c" * 60 + "}" in out
    assert 'class="' + "k" * 50 + '"' in out
    assert "a" * 40 + "<wbr>" + "a" * 5 + " " in out
    assert "&quot;" * 40 + "<wbr>&quot; pendek" in out


def test_export_stylesheets_wrap_long_words():
    for sheet in (pdf.STYLESHEET, pdf.CERTIFICATE_STYLESHEET):
        assert "overflow-wrap: break-word" in sheet.read_text()
