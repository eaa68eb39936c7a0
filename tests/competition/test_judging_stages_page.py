"""QA: the organiser's list of judging stages shows years as years."""

from django.urls import reverse

from tests import factories as f


def test_stage_list_shows_the_year_without_a_thousands_separator(client, organiser):
    f.StageFactory(competition=f.CompetitionFactory(year=2026), name="Penilaian proposal")
    client.force_login(organiser)

    page = client.get(reverse("competition:judging_stages")).content.decode()

    assert "<td>2026</td>" in page
    assert "2.026" not in page
