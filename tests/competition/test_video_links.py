"""Addresses typed by users become links only when they are https YouTube addresses."""

import pytest
from django.template import Context, Template
from django.urls import reverse

from tests import factories as f
from tests.competition.test_opd_views import editor_post


@pytest.fixture
def competition(db):
    return f.CompetitionFactory(open=True)


def _render(url):
    return Template("{% load kovablik %}{{ url|video_link }}").render(Context({"url": url}))


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://youtu.be/dQw4w9WgXcQ",
        "https://m.youtube.com/shorts/dQw4w9WgXcQ",
    ],
)
def test_video_link_makes_a_link_of_an_https_youtube_address(url):
    assert _render(url) == (f'<a href="{url}" rel="noopener noreferrer" target="_blank">{url}</a>')


@pytest.mark.parametrize(
    ("url", "text"),
    [
        ("javascript:alert(1)", "javascript:alert(1)"),
        ("http://youtu.be/dQw4w9WgXcQ", "http://youtu.be/dQw4w9WgXcQ"),
        ("https://vimeo.com/12345", "https://vimeo.com/12345"),
        ('https://youtu.be/x"><script>', "https://youtu.be/x&quot;&gt;&lt;script&gt;"),
    ],
)
def test_video_link_prints_anything_else_as_text(url, text):
    assert _render(url) == text


def test_javascript_video_link_is_text_on_the_organisers_proposal_page(
    client, competition, agency_a, organiser
):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
        complete=True,
        video_url="javascript:alert(1)",
    )
    client.force_login(organiser)

    html = client.get(
        reverse("competition:organiser_entry_detail", args=[entry.pk])
    ).content.decode()

    assert 'href="javascript:' not in html
    assert "javascript:alert(1)" in html


def test_proposal_editor_refuses_a_non_youtube_video_address(
    client, competition, agency_a, staff_a
):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
        complete=True,
    )
    client.force_login(staff_a)
    data = editor_post(entry)
    data["video_url"] = "javascript:alert(1)"

    response = client.post(reverse("competition:entry_edit", args=[entry.pk]), data)

    entry.refresh_from_db()
    assert entry.video_url == ""
    assert "Tautan video harus alamat YouTube" in response.content.decode()


def test_proposal_editor_keeps_a_youtube_address_as_https(client, competition, agency_a, staff_a):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
        complete=True,
    )
    client.force_login(staff_a)
    data = editor_post(entry)
    data["video_url"] = "http://youtu.be/dQw4w9WgXcQ"

    client.post(reverse("competition:entry_edit", args=[entry.pk]), data)

    entry.refresh_from_db()
    assert entry.video_url == "https://youtu.be/dQw4w9WgXcQ"
