"""Feedback after the result: once a year's result is published and the organiser released
feedback, each OPD reads the judges' criterion scores and comments on its own entries, with
the judges numbered, never named. Another OPD's feedback does not exist for it (404)."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from competition.models import Score
from competition.services.assignment import assignment_create
from competition.services.setup import competition_copy
from competition.services.snapshot import result_finalise, result_publish
from tests import factories as f

# Every test here touches the database, some only through request.getfixturevalue,
# which pytest-django cannot see when it orders database tests before committing ones.
pytestmark = pytest.mark.django_db

DECREE = {"decree_number": "188.45/9/417.101/2026", "decree_date": dt.date(2026, 11, 20)}


@pytest.fixture
def scored(agency_a, agency_b):
    """A closed stage: OPD A's entry scored by two judges with comments, OPD B's by two."""
    stage = f.StageFactory(closed=True, rubric=(60, 40))
    criteria = list(stage.criteria.order_by("order"))
    competition = stage.competition
    entry_a = f.EntryFactory(
        competition=competition,
        reference="KOV-A",
        titled_by_reference=True,
        innovation__agency=agency_a,
        screened_in=True,
    )
    entry_b = f.EntryFactory(
        competition=competition,
        reference="KOV-B",
        titled_by_reference=True,
        innovation__agency=agency_b,
        screened_in=True,
    )
    judges = [
        f.JudgeFactory(full_name="Prof. Rahasia Satu"),
        f.JudgeFactory(full_name="Dr. Rahasia Dua"),
    ]
    for entry, values in ((entry_a, (90, 80)), (entry_b, (70, 60))):
        for i, (judge, value) in enumerate(zip(judges, values, strict=True)):
            sheet = f.ScoreSheetFactory(
                stage=stage,
                entry=entry,
                judge=judge,
                submitted=True,
                assigned=True,
                scores=[value, value],
            )
            sheet.general_comment = f"Umum {entry.reference} nomor {i}"
            sheet.save(update_fields=["general_comment"])
    Score.objects.filter(sheet__entry=entry_a, criterion=criteria[0]).update(
        comment="Ukur dampak sebelum dan sesudah."
    )
    Score.objects.filter(sheet__entry=entry_b, criterion=criteria[0]).update(
        comment="Catatan untuk DLH saja."
    )
    return competition, criteria, entry_a, entry_b


def publish(competition, organiser):
    snapshot = result_finalise(competition=competition, actor=organiser, **DECREE)
    return result_publish(snapshot=snapshot, actor=organiser)


def release(competition):
    competition.feedback_released = True
    competition.save(update_fields=["feedback_released"])


def feedback_url(entry):
    return reverse("competition:entry_feedback", args=[entry.pk])


def test_feedback_is_off_by_default(db):
    assert f.CompetitionFactory().feedback_released is False


def test_feedback_is_404_before_publication_even_when_released(client_a, scored, organiser):
    competition, _criteria, entry_a, _entry_b = scored
    release(competition)
    result_finalise(competition=competition, actor=organiser, **DECREE)

    assert client_a.get(feedback_url(entry_a)).status_code == 404


def test_feedback_is_404_after_publication_when_not_released(client_a, scored, organiser):
    competition, _criteria, entry_a, _entry_b = scored
    publish(competition, organiser)

    response = client_a.get(feedback_url(entry_a))
    results = client_a.get(reverse("competition:opd_results", args=[competition.year]))

    assert response.status_code == 404
    assert "Umpan balik juri" not in results.content.decode()


def test_feedback_shows_scores_and_comments_without_judges_names(client_a, scored, organiser):
    competition, criteria, entry_a, _entry_b = scored
    publish(competition, organiser)
    release(competition)

    results = client_a.get(reverse("competition:opd_results", args=[competition.year]))
    page = client_a.get(feedback_url(entry_a)).content.decode()

    assert feedback_url(entry_a) in results.content.decode()
    assert "Juri 1" in page and "Juri 2" in page
    assert criteria[0].label in page and criteria[1].label in page
    assert "90,00 / 100" in page and "80,00 / 100" in page
    assert page.count("Ukur dampak sebelum dan sesudah.") == 2
    assert "Umum KOV-A nomor 0" in page and "Umum KOV-A nomor 1" in page
    assert "Rahasia" not in page
    assert "Catatan untuk DLH saja." not in page and "Umum KOV-B" not in page


def test_another_opds_feedback_is_404(client, scored, organiser, staff_b):
    competition, _criteria, entry_a, _entry_b = scored
    publish(competition, organiser)
    release(competition)
    client.force_login(staff_b)

    assert client.get(feedback_url(entry_a)).status_code == 404


@pytest.mark.parametrize("persona", ["judge", "organiser"])
def test_feedback_page_is_only_for_opd_staff(client, request, persona, scored, organiser):
    competition, _criteria, entry_a, _entry_b = scored
    publish(competition, organiser)
    release(competition)
    client.force_login(request.getfixturevalue(persona))

    assert client.get(feedback_url(entry_a)).status_code == 404


@pytest.mark.parametrize("n_judges", [1, 4])
def test_feedback_query_count_is_fixed(
    client_a, agency_a, organiser, n_judges, django_assert_num_queries
):
    stage = f.StageFactory(closed=True, rubric=(50, 30, 20))
    entry = f.EntryFactory(
        competition=stage.competition,
        reference="KOV-A",
        titled_by_reference=True,
        innovation__agency=agency_a,
        screened_in=True,
    )
    for _ in range(n_judges):
        f.ScoreSheetFactory(
            stage=stage,
            entry=entry,
            judge=f.JudgeFactory(),
            submitted=True,
            assigned=True,
            scores=[70, 80, 90],
        )
    publish(stage.competition, organiser)
    release(stage.competition)

    # session, user, entry, published?, the snapshot, sheets, scores, criteria
    with django_assert_num_queries(8):
        page = client_a.get(feedback_url(entry)).content.decode()

    assert page.count("Juri ") == n_judges


@pytest.mark.parametrize(("released", "expected"), [(True, "tanpa nama Anda"), (False, "tidak")])
def test_assignment_email_states_whether_feedback_goes_to_opds(
    released, expected, agency_a, organiser, django_capture_on_commit_callbacks
):
    stage = f.StageFactory(competition__feedback_released=released)
    entry = f.EntryFactory(
        competition=stage.competition,
        reference="KOV-1",
        titled_by_reference=True,
        innovation__agency=agency_a,
        screened_in=True,
    )

    with django_capture_on_commit_callbacks(execute=True):
        assignment_create(stage=stage, entry=entry, judge=f.JudgeFactory(), actor=organiser)

    body = mail.outbox[0].body
    assert "Umpan balik:" in body
    assert expected in body.split("Umpan balik:")[1]


def test_organiser_switches_feedback_on_in_the_competition_admin(client, organiser, db):
    competition = f.CompetitionFactory()
    client.force_login(organiser)

    page = client.get(
        reverse("admin:competition_competition_change", args=[competition.pk])
    ).content.decode()

    assert 'name="feedback_released"' in page
    assert "Umpan balik juri dibuka untuk OPD" in page
    assert "Disebutkan dalam e-mail penugasan kepada juri." in page


def test_copying_a_year_leaves_feedback_unreleased(organiser, db):
    source = f.CompetitionFactory(year=2031, feedback_released=True)

    copy = competition_copy(source=source, year=2032, actor=organiser)

    assert copy.feedback_released is False
