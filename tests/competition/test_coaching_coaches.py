"""Coaches (pembina) the organiser designates per year: they read the requested drafts and
comment per section, never on their own agency's drafts, and reach nothing else of the
organiser's. Designations and their removal are kept in the history."""

import pytest
from django.urls import reverse

from competition.models import Coach, CoachingComment, ReviewRequest
from competition.services import coaching as services
from tests import factories as f
from tests.competition.test_setup import competition_post_data

REVIEWS = reverse("competition:organiser_reviews")


@pytest.fixture
def competition(db):
    return f.CompetitionFactory(open=True)


@pytest.fixture
def draft(competition, agency_a, staff_a):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
    )
    services.review_request_open(entry=entry, user=staff_a, message="Mohon dicek")
    return entry


@pytest.fixture
def coach(competition, agency_b):
    user = f.UserFactory(agency=agency_b, full_name="Pembina DLH")
    Coach.objects.create(competition=competition, user=user)
    return user


def coaching_url(entry):
    return reverse("competition:entry_coaching", args=[entry.pk])


def test_designated_coach_comments_and_the_opd_sees_it(client, draft, coach, staff_a):
    section = draft.competition.sections.get(key="ringkasan")
    client.force_login(coach)

    queue = client.get(REVIEWS).content.decode()
    page = client.get(coaching_url(draft)).content.decode()
    client.post(
        coaching_url(draft),
        {"action": "comment", "section": section.pk, "text": "Ringkasan perlu angka capaian"},
    )
    client.post(coaching_url(draft), {"action": "close"})

    assert draft.innovation.title in queue
    assert 'name="action" value="comment"' in page
    comment = CoachingComment.objects.get(entry=draft)
    assert comment.author == coach and comment.section == section
    assert not ReviewRequest.objects.get(entry=draft).is_open
    client.force_login(staff_a)
    seen = client.get(coaching_url(draft)).content.decode()
    assert "Ringkasan perlu angka capaian" in seen


def test_undesignated_opd_user_gets_404_on_the_list_and_the_page(client, draft, staff_b):
    client.force_login(staff_b)

    assert client.get(REVIEWS).status_code == 404
    assert client.get(coaching_url(draft)).status_code == 404
    response = client.post(coaching_url(draft), {"action": "comment", "text": "x"})
    assert response.status_code == 404
    assert not CoachingComment.objects.exists()


def test_coach_of_another_year_gets_404(client, draft, agency_b):
    other_year = f.CompetitionFactory(year=draft.competition.year - 1)
    user = f.UserFactory(agency=agency_b)
    Coach.objects.create(competition=other_year, user=user)
    client.force_login(user)

    assert client.get(REVIEWS).status_code == 404
    assert client.get(coaching_url(draft)).status_code == 404


def test_coach_never_sees_a_draft_nobody_asked_to_review(client, competition, coach, agency_a):
    quiet = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
    )
    client.force_login(coach)

    assert client.get(coaching_url(quiet)).status_code == 404


def test_coach_from_the_entrys_agency_circle_gets_404_for_that_entry(
    client, competition, agency_a, staff_a
):
    # A coach from a unit (puskesmas) of the entry's agency: the circle a judge stays out of.
    unit = f.AgencyFactory(parent=agency_a)
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
    )
    services.review_request_open(entry=entry, user=staff_a)
    user = f.UserFactory(agency=unit)
    Coach.objects.create(competition=competition, user=user)
    client.force_login(user)

    queue = client.get(REVIEWS)
    page = client.get(coaching_url(entry))
    post = client.post(coaching_url(entry), {"action": "comment", "text": "Milik sendiri"})

    assert queue.status_code == 200
    assert entry.innovation.title not in queue.content.decode()
    assert page.status_code == 404 and post.status_code == 404
    assert not CoachingComment.objects.exists()


def test_coach_of_the_entrys_own_agency_cannot_comment_on_it(client, draft, competition, staff_a):
    # The coach is the entry's OPD here: the OPD's view (request, mark done), no comment.
    Coach.objects.create(competition=competition, user=staff_a)
    client.force_login(staff_a)

    queue = client.get(REVIEWS).content.decode()
    page = client.get(coaching_url(draft)).content.decode()
    post = client.post(coaching_url(draft), {"action": "comment", "text": "Milik sendiri"})
    close = client.post(coaching_url(draft), {"action": "close"})

    assert draft.innovation.title not in queue
    assert 'name="action" value="comment"' not in page
    assert post.status_code == 404 and close.status_code == 404
    assert not CoachingComment.objects.exists()
    assert ReviewRequest.objects.get(entry=draft).is_open


@pytest.mark.parametrize(
    "url",
    [
        reverse("competition:organiser_entries"),
        reverse("competition:organiser_compliance"),
        reverse("competition:results_index"),
    ],
)
def test_coach_gets_404_on_organiser_pages(client, draft, coach, url):
    client.force_login(coach)

    assert client.get(url).status_code == 404


def test_coach_cannot_open_the_admin_or_screen(client, draft, coach):
    client.force_login(coach)

    admin = client.get(reverse("admin:index"))
    screen = client.get(reverse("competition:organiser_entry_screen", args=[draft.pk]))

    assert admin.status_code == 302 and "/login/" in admin["Location"]
    assert screen.status_code == 404


def test_judge_never_sees_comments_of_a_coach(client, draft, coach, judge):
    services.coaching_comment_add(entry=draft, section=None, text="Rahasia pembina", author=coach)
    client.force_login(judge)

    assert client.get(coaching_url(draft)).status_code == 404
    assert client.get(REVIEWS).status_code == 404


@pytest.mark.django_db
def test_admin_designates_and_removes_a_coach_and_both_are_audited(client, organiser, agency_b):
    user = f.UserFactory(agency=agency_b, full_name="Calon Pembina")
    client.force_login(organiser)

    added = client.post(
        reverse("admin:competition_competition_add"),
        competition_post_data(**{"coaches-TOTAL_FORMS": "1", "coaches-0-user": str(user.pk)}),
    )
    coach = Coach.objects.get(user=user)
    removed = client.post(
        reverse("admin:competition_competition_change", args=[coach.competition_id]),
        competition_post_data(
            **{
                "coaches-TOTAL_FORMS": "1",
                "coaches-INITIAL_FORMS": "1",
                "coaches-0-id": str(coach.pk),
                "coaches-0-competition": str(coach.competition_id),
                "coaches-0-user": str(user.pk),
                "coaches-0-DELETE": "on",
            }
        ),
    )

    assert added.status_code == 302 and removed.status_code == 302
    assert not Coach.objects.exists()
    history = list(Coach.history.order_by("history_date").values_list("history_type", "user_id"))
    assert history == [("+", user.pk), ("-", user.pk)]
    assert all(h.history_user == organiser for h in Coach.history.all())
    assert Coach.history.earliest("history_date").designated_by_id == organiser.pk


@pytest.mark.django_db
def test_admin_refuses_a_judge_as_coach(client, organiser, judge):
    client.force_login(organiser)

    response = client.post(
        reverse("admin:competition_competition_add"),
        competition_post_data(**{"coaches-TOTAL_FORMS": "1", "coaches-0-user": str(judge.pk)}),
    )

    assert response.status_code == 200
    assert not Coach.objects.exists()


def test_organiser_list_names_the_years_coaches(client, draft, coach, organiser):
    client.force_login(organiser)

    page = client.get(REVIEWS).content.decode()

    assert "Pembina tahun ini" in page and "Pembina DLH" in page


@pytest.mark.parametrize("n", [1, 5])
def test_coach_review_list_query_count_is_fixed(
    client, competition, coach, organiser, n, django_assert_num_queries
):
    drafts = []
    for _ in range(n):
        entry = f.EntryFactory(
            competition=competition,
            innovation__agency=f.AgencyFactory(),
            category=competition.categories.first(),
        )
        review = ReviewRequest.objects.create(entry=entry)
        CoachingComment.objects.create(entry=entry, request=review, text="x", author=organiser)
        drafts.append(entry)
    client.force_login(coach)

    # session, user, current competition, the designation, the requests
    with django_assert_num_queries(5):
        page = client.get(REVIEWS).content.decode()

    for entry in drafts:
        assert entry.innovation.title in page
    assert page.count("1 catatan, 1 belum selesai") == n


def test_coach_finds_the_requests_from_the_opd_dashboard(client, draft, coach, staff_b):
    client.force_login(coach)
    as_coach = client.get(reverse("competition:opd_dashboard")).content.decode()
    client.force_login(staff_b)
    as_opd = client.get(reverse("competition:opd_dashboard")).content.decode()

    assert f'href="{REVIEWS}"' in as_coach
    assert f'href="{REVIEWS}"' not in as_opd


@pytest.mark.parametrize("n", [1, 5])
def test_coaching_page_of_a_coach_query_count_is_fixed(
    client, draft, coach, n, django_assert_num_queries
):
    section = draft.competition.sections.get(key="ringkasan")
    for i in range(n):
        services.coaching_comment_add(
            entry=draft, section=section, text=f"Catatan {i}", author=coach
        )
    client.force_login(coach)

    # the owner's 8, and the designation read once to see and once to comment
    with django_assert_num_queries(10):
        page = client.get(coaching_url(draft)).content.decode()

    for i in range(n):
        assert f"Catatan {i}" in page


def test_coach_reads_section_versions_only_outside_his_or_her_agency_circle(
    client, draft, coach, competition
):
    section = competition.sections.get(key="ringkasan")
    versions = reverse("competition:entry_section_versions", args=[draft.pk, section.pk])
    unit_coach = f.UserFactory(agency=f.AgencyFactory(parent=draft.agency))
    Coach.objects.create(competition=competition, user=unit_coach)

    client.force_login(coach)
    assert client.get(versions).status_code == 200
    client.force_login(unit_coach)
    assert client.get(versions).status_code == 404
