"""OPD lists run a fixed number of queries however many rows they show."""

import pytest
from django.urls import reverse

from competition.models import EntryStatus
from tests import factories as f

INNOVATION_LIST_QUERIES = 5
DASHBOARD_QUERIES = 6  # the sixth: is the user a coach (pembina) of the year


@pytest.fixture
def competition(db):
    return f.CompetitionFactory(open=True)


def innovations_with_entries(agency, competition, n):
    for i in range(n):
        innovation = f.InnovationFactory(agency=agency)
        f.AwardFactory(innovation=innovation)
        if i % 2:
            f.EntryFactory(
                competition=competition,
                category=competition.categories.first(),
                innovation=innovation,
            )


@pytest.mark.parametrize("rows", [1, 30])
def test_innovation_list_queries_do_not_grow_with_rows(
    client_a, agency_a, competition, django_assert_num_queries, rows
):
    innovations_with_entries(agency_a, competition, rows)

    with django_assert_num_queries(INNOVATION_LIST_QUERIES):
        response = client_a.get(reverse("competition:innovation_list"))

    assert len(response.context["page"].object_list) == min(rows, 25)
    text = response.content.decode()
    titles = agency_a.innovations.values_list("title", flat=True)
    assert sum(title in text for title in titles) == min(rows, 25)


@pytest.mark.parametrize("rows", [1, 12])
def test_dashboard_queries_do_not_grow_with_rows(
    client_a, agency_a, competition, django_assert_num_queries, rows
):
    entries = [
        f.EntryFactory(
            competition=competition,
            innovation__agency=agency_a,
            category=competition.categories.first(),
            complete=True,
            status=EntryStatus.SUBMITTED if i % 2 else "draft",
        )
        for i in range(rows)
    ]

    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client_a.get(reverse("competition:opd_dashboard"))

    assert len(response.context["entries"]) == rows
    text = response.content.decode()
    assert all(entry.innovation.title in text for entry in entries)
