"""Coaching before the deadline (pembinaan): a request, comments per section, marked done,
versions of each section with a readable diff; judges never see any of it."""

# The shared fixtures are imported by name, which pyflakes reads as redefinitions.
# ruff: noqa: F811

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from competition.models import AnswerVersion, CoachingComment, ReviewRequest
from competition.selectors.coaching import text_diff
from competition.services import coaching as services
from competition.services.entries import entry_save_draft
from tests import factories as f
from tests.competition.judging_fixtures import (  # noqa: F401
    assignment,
    criteria,
    declared,
    entry,
    stage,
)

# Every test here touches the database, some only through request.getfixturevalue,
# which pytest-django cannot see when it orders database tests before committing ones.
pytestmark = pytest.mark.django_db


@pytest.fixture
def competition(db):
    return f.CompetitionFactory(open=True)


@pytest.fixture
def draft(competition, agency_a):
    return f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
    )


def ringkasan(competition):
    return competition.sections.get(key="ringkasan")


def coaching_url(entry):
    return reverse("competition:entry_coaching", args=[entry.pk])


def test_coaching_round_trip_request_comment_see_mark_done(
    client, draft, competition, staff_a, organiser
):
    section = ringkasan(competition)
    client.force_login(staff_a)
    client.post(coaching_url(draft), {"action": "request", "message": "Mohon dicek ringkasan"})
    client.force_login(organiser)
    queue = client.get(reverse("competition:organiser_reviews")).content.decode()
    client.post(
        coaching_url(draft),
        {"action": "comment", "section": section.pk, "text": "Sebutkan angka sebelum dan sesudah."},
    )
    client.force_login(staff_a)
    seen = client.get(coaching_url(draft)).content.decode()
    comment = CoachingComment.objects.get()
    client.post(coaching_url(draft), {"action": "done", "comment": comment.pk})

    assert draft.innovation.title in queue and "menunggu tinjauan" in queue
    assert "Sebutkan angka sebelum dan sesudah." in seen
    assert seen.index("Ringkasan") < seen.index("Sebutkan angka sebelum dan sesudah.")
    assert "Tandai selesai" in seen
    comment.refresh_from_db()
    assert comment.section == section and comment.author == organiser
    assert comment.request == ReviewRequest.objects.get()
    assert comment.done_by == staff_a and comment.done_at is not None


def test_asking_twice_while_a_request_is_open_is_refused(draft, staff_a):
    services.review_request_open(entry=draft, user=staff_a)

    with pytest.raises(ValidationError) as excinfo:
        services.review_request_open(entry=draft, user=staff_a)

    assert excinfo.value.code == "open"


def test_coaching_is_refused_once_the_deadline_passed(draft, competition, staff_a, organiser):
    competition.submission_closes_at = timezone.now() - dt.timedelta(minutes=1)
    competition.save(update_fields=["submission_closes_at"])

    with pytest.raises(ValidationError):
        services.review_request_open(entry=draft, user=staff_a)
    with pytest.raises(ValidationError):
        services.coaching_comment_add(entry=draft, section=None, text="Telat", author=organiser)


def test_organiser_closes_the_review(client, draft, staff_a, organiser):
    review = services.review_request_open(entry=draft, user=staff_a)
    client.force_login(organiser)

    client.post(coaching_url(draft), {"action": "close"})

    review.refresh_from_db()
    assert review.closed_by == organiser and not review.is_open


def test_opd_cannot_comment_and_organiser_cannot_mark_done(
    client, draft, competition, staff_a, organiser
):
    comment = services.coaching_comment_add(
        entry=draft, section=None, text="Umum", author=organiser
    )
    client.force_login(staff_a)
    by_opd = client.post(coaching_url(draft), {"action": "comment", "text": "Saya sendiri"})
    client.force_login(organiser)
    by_organiser = client.post(coaching_url(draft), {"action": "done", "comment": comment.pk})

    assert by_opd.status_code == 404 and by_organiser.status_code == 404
    assert CoachingComment.objects.get().done_at is None


@pytest.mark.parametrize("persona", ["staff_b", "judge"])
def test_another_opd_or_a_judge_cannot_reach_coaching_by_url(
    client, request, persona, draft, competition, staff_a
):
    client.force_login(request.getfixturevalue(persona))
    section = ringkasan(competition)

    pages = [
        client.get(coaching_url(draft)),
        client.post(coaching_url(draft), {"action": "request"}),
        client.get(reverse("competition:entry_section_versions", args=[draft.pk, section.pk])),
    ]

    assert [p.status_code for p in pages] == [404, 404, 404]
    assert not ReviewRequest.objects.exists()


def test_judge_never_sees_coaching_comments_on_the_desk(client, declared, organiser):
    CoachingComment.objects.create(entry=declared.entry, text="RAHASIA PEMBINAAN", author=organiser)
    client.force_login(declared.judge)

    desk = client.get(reverse("judge_desk:competition_assignment_change", args=[declared.pk]))

    page = desk.content.decode()
    assert "Warga menabung sampah." in page  # the proposal is there
    assert "RAHASIA PEMBINAAN" not in page
    assert client.get(coaching_url(declared.entry)).status_code == 404


def save(entry, user, section, text, now=None):
    entry.refresh_from_db()
    entry_save_draft(entry=entry, user=user, version=entry.version, answers={section.pk: text})


def test_saves_close_together_make_one_version_and_later_ones_another(
    draft, competition, staff_a, monkeypatch
):
    section = ringkasan(competition)
    save(draft, staff_a, section, "Versi awal")
    save(draft, staff_a, section, "Versi awal diketik terus")
    later = timezone.now() + services.VERSION_WINDOW + dt.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    save(draft, staff_a, section, "Versi kedua")

    versions = list(AnswerVersion.objects.filter(entry=draft).values_list("number", "text"))
    assert versions == [(1, "Versi awal diketik terus"), (2, "Versi kedua")]


def test_another_person_saving_starts_a_new_version(draft, competition, staff_a, agency_a):
    colleague = f.UserFactory(agency=agency_a)
    section = ringkasan(competition)

    save(draft, staff_a, section, "Dari staf A")
    save(draft, colleague, section, "Dari rekan")

    assert AnswerVersion.objects.filter(entry=draft).count() == 2


def test_version_page_shows_an_escaped_word_diff(client, draft, competition, staff_a):
    section = ringkasan(competition)
    AnswerVersion.objects.create(
        entry=draft,
        section=section,
        number=1,
        text="Layanan <b>lama</b> lambat",
        saved_by=staff_a,
        saved_at=timezone.now(),
    )
    AnswerVersion.objects.create(
        entry=draft,
        section=section,
        number=2,
        text="Layanan <script>x</script> cepat",
        saved_by=staff_a,
        saved_at=timezone.now(),
    )
    client.force_login(staff_a)

    page = client.get(
        reverse("competition:entry_section_versions", args=[draft.pk, section.pk])
    ).content.decode()

    assert "<del>&lt;b&gt;lama&lt;/b&gt;</del>" in page
    assert "<ins>&lt;script&gt;x&lt;/script&gt;</ins>" in page
    assert "<del>lambat</del>" in page and "<ins>cepat</ins>" in page
    assert "<script>x" not in page
    assert "Perubahan dari versi 1 ke versi 2" in page


def test_text_diff_keeps_line_breaks_and_unchanged_words():
    html = text_diff("satu dua\ntiga", "satu empat\ntiga")

    assert html == "satu <del>dua</del><ins>empat</ins>\ntiga"


def test_coaching_page_shows_how_many_versions_a_section_has(client, draft, competition, staff_a):
    section = ringkasan(competition)
    save(draft, staff_a, section, "Isi")
    client.force_login(staff_a)

    page = client.get(coaching_url(draft)).content.decode()

    assert "1 versi: lihat perubahan" in page
    assert reverse("competition:entry_section_versions", args=[draft.pk, section.pk]) in page


@pytest.mark.parametrize("n", [1, 6])
def test_organiser_review_list_query_count_is_fixed(
    client, organiser, competition, n, django_assert_num_queries
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
    client.force_login(organiser)

    # session, user, current competition, the requests, the year's coaches
    with django_assert_num_queries(5):
        page = client.get(reverse("competition:organiser_reviews")).content.decode()

    for entry in drafts:
        assert entry.innovation.title in page
    assert page.count("1 catatan, 1 belum selesai") == n


@pytest.mark.parametrize("n", [1, 5])
def test_coaching_page_query_count_is_fixed(
    client, draft, competition, staff_a, organiser, n, django_assert_num_queries
):
    section = ringkasan(competition)
    for i in range(n):
        services.coaching_comment_add(
            entry=draft, section=section, text=f"Catatan {i}", author=organiser
        )
    client.force_login(staff_a)

    with django_assert_num_queries(8):
        page = client.get(coaching_url(draft)).content.decode()

    for i in range(n):
        assert f"Catatan {i}" in page


def test_an_empty_section_saved_for_the_first_time_has_no_version(draft, competition, staff_a):
    latar = competition.sections.get(key="latar-belakang")
    draft.refresh_from_db()

    entry_save_draft(
        entry=draft,
        user=staff_a,
        version=draft.version,
        answers={ringkasan(competition).pk: "Isi", latar.pk: ""},
    )

    assert list(AnswerVersion.objects.values_list("section__key", flat=True)) == ["ringkasan"]


def test_editor_shows_open_comments_above_their_section(
    client, draft, competition, staff_a, organiser
):
    section = ringkasan(competition)
    done = services.coaching_comment_add(
        entry=draft, section=section, text="Sudah dikerjakan", author=organiser
    )
    services.coaching_comment_mark_done(comment=done, user=staff_a)
    services.coaching_comment_add(
        entry=draft, section=section, text="Sebutkan angka antrean.", author=organiser
    )
    client.force_login(staff_a)

    page = client.get(reverse("competition:entry_edit", args=[draft.pk])).content.decode()

    assert "Sebutkan angka antrean." in page
    assert page.index('id="bagian-ringkasan"') < page.index("Sebutkan angka antrean.")
    assert page.index("Sebutkan angka antrean.") < page.index('id="bagian-latar-belakang"')
    assert "Sudah dikerjakan" not in page
