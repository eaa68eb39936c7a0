"""QA: every organiser page's browser tab ends with the portal's name, like the others."""

import pytest
from django.urls import reverse

from tests import factories as f


@pytest.mark.parametrize(
    "url_name",
    [
        "competition:exports",
        "competition:organiser_entries",
        "competition:organiser_compliance",
        "competition:dashboard",
    ],
)
def test_organiser_pages_titles_end_with_kovablik(client, organiser, url_name):
    f.CompetitionFactory()
    client.force_login(organiser)

    page = client.get(reverse(url_name)).content.decode()

    title = page[page.index("<title>") + 7 : page.index("</title>")]
    assert title.endswith(" · Kovablik")


def test_organiser_entry_page_title_ends_with_kovablik(client, organiser):
    entry = f.EntryFactory()
    client.force_login(organiser)

    page = client.get(
        reverse("competition:organiser_entry_detail", args=[entry.pk])
    ).content.decode()

    title = page[page.index("<title>") + 7 : page.index("</title>")]
    assert title == f"{entry.innovation.title} · Kovablik"
