"""The organiser's dashboard: its numbers, its access and its query count."""

import datetime as dt
import json

import pytest
from django.urls import reverse

from competition.models import AwardLevel, EntryStatus, PlacementTitle, SheetStatus
from competition.selectors.dashboard import competition_dashboard, histogram
from opd.models import AgencyKind
from tests import factories as f

# Every test here touches the database, some only through request.getfixturevalue,
# which pytest-django cannot see when it orders database tests before committing ones.
pytestmark = pytest.mark.django_db

URL = reverse("competition:dashboard")


def _year(n_finalists=2, **stage):
    """2026 with one entry at each early status and ``n_finalists`` scored finalists."""
    competition = f.CompetitionFactory(year=2026, name="Kompetisi Inovasi Pelayanan Publik")
    health = f.CategoryFactory(competition=competition, name="Kesehatan")
    kecamatan = f.AgencyFactory(name="Kecamatan Prajurit Kulon", kind=AgencyKind.KECAMATAN)
    f.EntryFactory(
        competition=competition,
        reference=None,
        innovation__title="Inovasi None",
        status=EntryStatus.DRAFT,
        category=health,
    )
    f.EntryFactory(
        competition=competition,
        reference="KIPP-2026-0101",
        titled_by_reference=True,
        status=EntryStatus.SUBMITTED,
    )
    f.EntryFactory(
        competition=competition,
        reference="KIPP-2026-0102",
        titled_by_reference=True,
        innovation__agency=kecamatan,
        status=EntryStatus.PASSED,
    )
    stage = f.StageFactory(
        competition=competition, closed=True, rubric=(50, 50), name="Penilaian proposal", **stage
    )
    judge = f.JudgeFactory()
    finalists = []
    for i in range(n_finalists):
        entry = f.EntryFactory(
            competition=competition,
            reference=f"KIPP-2026-{i + 1:04d}",
            titled_by_reference=True,
            status=EntryStatus.FINALIST,
            category=health,
        )
        f.ScoreSheetFactory(
            stage=stage,
            entry=entry,
            judge=judge,
            submitted=True,
            assigned=True,
            scores=[95 - i, 85],
        )
        finalists.append(entry)
    extra = f.EntryFactory(
        competition=competition,
        reference="KIPP-2026-0103",
        titled_by_reference=True,
        status=EntryStatus.PASSED,
    )
    f.AssignmentFactory(stage=stage, entry=extra, judge=judge)
    f.ScoreSheetFactory(stage=stage, entry=extra, judge=judge, status=SheetStatus.DRAFT)
    snapshot = f.ResultSnapshotFactory(competition=competition)
    f.PlacementFactory(snapshot=snapshot, entry=finalists[0], title=PlacementTitle.JUARA_1)
    f.ForwardingFactory(entry=finalists[0])
    return competition, stage


def test_dashboard_selector_counts_the_pipeline(staff_a, staff_b):
    competition, _stage = _year()

    board = competition_dashboard(competition)

    assert {bar.label: bar.value for bar in board.funnel} == {
        "Staf OPD terdaftar": 2,
        "Draf": 1,
        "Dikirim": 5,
        "Lolos seleksi administrasi": 4,
        "Sudah dinilai": 2,
        "Finalis": 2,
        "Juara": 1,
        "Diteruskan": 1,
    }
    kinds = {bar.label: bar.value for bar in board.by_agency_kind}
    assert kinds == {"Dinas": 4, "Kecamatan": 1}
    assert {bar.label: bar.value for bar in board.by_category}["Kesehatan"] == 2
    progress = board.judging[0]
    assert (progress.assigned, progress.submitted, progress.drafts, progress.percent) == (
        3,
        2,
        1,
        67,
    )
    # Sheet totals 95 x .5 + 85 x .5 = 90 and 94 x .5 + 85 x .5 = 89.5.
    assert {bar.label: bar.value for bar in board.histograms[0].bars}["90-100"] == 1
    assert {bar.label: bar.value for bar in board.histograms[0].bars}["80-90"] == 1


def test_dashboard_years_show_participation_and_awards_above_the_city(db):
    older = f.CompetitionFactory(year=2025)
    f.EntryFactory(
        competition=older,
        reference="KIPP-2025-0001",
        titled_by_reference=True,
        status=EntryStatus.PASSED,
    )
    f.EntryFactory(
        competition=older,
        reference="KIPP-2025-0002",
        titled_by_reference=True,
        status=EntryStatus.FAILED,
    )
    current = f.CompetitionFactory(year=2026)
    f.AwardFactory(year=2025, level=AwardLevel.PROVINCE, label="Top 45 Kovablik")
    f.AwardFactory(year=2025, level=AwardLevel.NATIONAL, label="Top 99")
    f.AwardFactory(year=2025, level=AwardLevel.CITY, label="Juara I")

    board = competition_dashboard(current)

    row = next(r for r in board.years if r.year == 2025)
    assert (row.entries, row.agencies, row.province_awards, row.national_awards) == (2, 2, 1, 1)


def test_histogram_puts_a_full_score_in_the_last_bucket():
    bars = histogram([0, 9.99, 10, 55, 100])

    assert [b.value for b in bars] == [2, 1, 0, 0, 0, 1, 0, 0, 0, 1]
    assert bars[0].label == "0-10" and bars[-1].label == "90-100"


def test_dashboard_page_shows_every_chart_with_its_table(client, organiser, staff_a):
    _year()
    client.force_login(organiser)

    response = client.get(URL, {"tahun": 2026})

    html = response.content.decode()
    assert "Kompetisi Inovasi Pelayanan Publik 2026" in html
    data = json.loads(
        html.split('id="dashboard-data" type="application/json">')[1].split("</script>")[0]
    )
    assert data["funnel"]["values"] == [1, 1, 5, 4, 2, 2, 1, 1]
    assert html.count("<canvas") == 6
    assert html.count("<table") >= 6
    assert "Kecamatan Prajurit Kulon" not in html  # agencies are counted, not named
    assert "static/vendor/chartjs/chart.umd.min.js" in html
    assert "static/js/dashboard.js" in html
    assert '<td class="text-end">67</td>' in html


def test_dashboard_histogram_canvas_names_its_stage_as_the_chart_data_does(client, organiser):
    _year(id=1234)  # past a thousand: no thousand separator may creep into the key
    client.force_login(organiser)

    html = client.get(URL, {"tahun": 2026}).content.decode()

    data = json.loads(
        html.split('id="dashboard-data" type="application/json">')[1].split("</script>")[0]
    )
    assert "1234" in data["histograms"]
    assert 'data-key="1234"' in html


def test_dashboard_without_any_competition_says_so(client, organiser):
    client.force_login(organiser)

    response = client.get(URL)

    assert "Belum ada kompetisi" in response.content.decode()


def test_dashboard_unknown_year_is_404(client, organiser):
    f.CompetitionFactory(year=2026)
    client.force_login(organiser)

    assert client.get(URL, {"tahun": 2031}).status_code == 404
    assert client.get(URL, {"tahun": "dua"}).status_code == 404


def test_dashboard_is_the_organisers_landing_page(client, organiser):
    client.force_login(organiser)

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"] == URL


def test_dashboard_sends_anonymous_users_to_login(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["staff_a", "judge"])
def test_dashboard_is_404_for_opd_staff_and_judges(client, db, persona, request):
    f.CompetitionFactory(year=2026)
    client.force_login(request.getfixturevalue(persona))

    assert client.get(URL, {"tahun": 2026}).status_code == 404


@pytest.mark.parametrize("n", [1, 8])
def test_dashboard_queries_do_not_grow_with_entries(
    client, organiser, n, django_assert_num_queries
):
    _year(n_finalists=n)
    f.AwardFactory(year=2024, level=AwardLevel.NATIONAL, decree_date=dt.date(2024, 12, 1))
    client.force_login(organiser)

    # 16 for the year, plus the counts of pending accounts and failed mail.
    with django_assert_num_queries(18):
        response = client.get(URL, {"tahun": 2026})

    assert response.status_code == 200
    # Every finalist's submitted sheet is counted in the stage's score histogram.
    assert f"({n} lembar)" in response.content.decode()
