"""Query-count guards for the list pages that had none: one row and many rows, same bound.

Each test builds ``n`` rows of what the page lists, then asserts that the page runs no
more queries than with one row and still shows every row.
"""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from competition.models import EntryStatus, OutcomeStep, StageKind
from competition.services.snapshot import result_finalise, result_publish
from tests import factories as f
from tests.competition.results_data import make_entry, make_stage, score

pytestmark = pytest.mark.django_db

DECREE = {"decree_number": "188.45/9/417.101/2026", "decree_date": dt.date(2026, 11, 20)}
MANY = 12


def _published(n, judge, organiser, agency=None):
    """``n`` scored entries of one competition, finalised and published."""
    stage, criteria = make_stage(weights=(60, 40))
    summary = f.SectionSpecFactory(competition=stage.competition, key="ringkasan")
    photo_kind = f.AttachmentKindFactory(competition=stage.competition, allowed_types=["image"])
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "navy").save(buffer, "PNG")
    for i in range(n):
        entry = make_entry(stage.competition, reference=f"KIPP-{i:03d}", agency=agency)
        f.EntryAnswerFactory(entry=entry, section=summary, text=f"Ringkasan {i}.")
        f.AttachmentFactory(
            entry=entry,
            kind=photo_kind,
            file=SimpleUploadedFile("foto.png", buffer.getvalue()),
            original_name="foto.png",
            content_type="image/png",
        )
        score(stage, criteria, entry, judge, [90 - i, 80 - i])
    snapshot = result_finalise(competition=stage.competition, actor=organiser, **DECREE)
    return result_publish(snapshot=snapshot, actor=organiser)


@pytest.mark.parametrize("n", [1, MANY])
def test_results_index_query_count_does_not_grow(
    n, client, organiser, django_assert_max_num_queries
):
    for year in range(2010, 2010 + n):
        stage, _criteria = make_stage(f.CompetitionFactory(year=year))
        f.ResultSnapshotFactory(competition=stage.competition)
    client.force_login(organiser)

    with django_assert_max_num_queries(5):
        response = client.get(reverse("competition:results_index"))

    assert response.content.decode().count("201") >= n


@pytest.mark.parametrize("n", [1, MANY])
def test_schedule_query_count_does_not_grow(n, client, organiser, django_assert_max_num_queries):
    stage, _criteria = make_stage(kind=StageKind.PRESENTATION, closed=False)
    start = timezone.now() + dt.timedelta(days=10)
    for i in range(n):
        entry = make_entry(
            stage.competition, reference=f"KIPP-{i:03d}", status=EntryStatus.FINALIST
        )
        f.PresentationSlotFactory(
            stage=stage, entry=entry, starts_at=start + dt.timedelta(hours=i), room="Ruang Sabha"
        )
    client.force_login(organiser)

    # One of them asks whether the year is finalised (its actions are then hidden).
    with django_assert_max_num_queries(6):
        response = client.get(reverse("competition:results_schedule", args=[stage.pk]))

    assert response.content.decode().count("KIPP-0") >= n


@pytest.mark.parametrize("n", [1, MANY])
def test_pipeline_query_count_does_not_grow(n, client, organiser, django_assert_max_num_queries):
    competition = f.CompetitionFactory()
    for i in range(n):
        entry = make_entry(competition, reference=f"KIPP-{i:03d}")
        forwarding = f.ForwardingFactory(entry=entry)
        f.OutcomeFactory(forwarding=forwarding, step=OutcomeStep.REGISTERED)
        f.OutcomeFactory(forwarding=forwarding, step=OutcomeStep.AWARDED, label="Top 45")
    client.force_login(organiser)

    with django_assert_max_num_queries(7):
        response = client.get(reverse("competition:results_pipeline", args=[competition.year]))

    assert response.content.decode().count("KIPP-0") >= n


@pytest.mark.parametrize("n", [1, MANY])
def test_snapshot_page_query_count_does_not_grow(
    n, client, judge, organiser, django_assert_max_num_queries
):
    snapshot = _published(n, judge, organiser)
    client.force_login(organiser)
    url = reverse(
        "competition:results_snapshot", args=[snapshot.competition.year, snapshot.version]
    )

    # Verifying the snapshot recomputes it: sheets, their scores and criterion means
    # are one query each, however many entries; so are the tie-break ladder's criterion means.
    with django_assert_max_num_queries(19):
        response = client.get(url)

    # The snapshot lists its placements: Juara I-III and the Harapan.
    assert response.content.decode().count("KIPP-0") >= min(n, 3)


@pytest.mark.parametrize("n", [1, MANY])
def test_public_announcements_query_count_does_not_grow(n, client, django_assert_max_num_queries):
    for year in range(2010, 2010 + n):
        f.ResultSnapshotFactory(
            competition=f.CompetitionFactory(year=year), published_at=timezone.now()
        )

    with django_assert_max_num_queries(1):
        response = client.get(reverse("competition:public_announcements"))

    assert response.content.decode().count("201") >= n


@pytest.mark.parametrize("n", [1, MANY])
def test_public_announcement_query_count_does_not_grow(
    n, client, judge, organiser, django_assert_max_num_queries
):
    snapshot = _published(n, judge, organiser)

    with django_assert_max_num_queries(6):
        response = client.get(
            reverse("competition:public_announcement", args=[snapshot.competition.year])
        )

    assert response.content.decode().count("Ringkasan ") >= min(n, 3)


@pytest.mark.parametrize("n", [1, MANY])
def test_judging_stages_query_count_does_not_grow(
    n, client, organiser, django_assert_max_num_queries
):
    competition = f.CompetitionFactory()
    for i in range(n):
        f.StageFactory(competition=competition, order=i + 1, name=f"Tahap uji {i:02d}")
    client.force_login(organiser)

    with django_assert_max_num_queries(4):
        response = client.get(reverse("competition:judging_stages"))

    assert response.content.decode().count("Tahap uji") >= n


@pytest.mark.parametrize("n", [1, MANY])
def test_opd_results_query_count_does_not_grow(
    n, client, staff_a, agency_a, judge, organiser, django_assert_max_num_queries
):
    snapshot = _published(n, judge, organiser, agency=agency_a)
    client.force_login(staff_a)

    with django_assert_max_num_queries(7):
        response = client.get(reverse("competition:opd_results", args=[snapshot.competition.year]))

    assert response.content.decode().count("KIPP-0") >= n
