"""The organiser's screens on a 1366 x 768 laptop: the presentation leaderboard with eight
criteria keeps its flag and moderation columns in view, and the user list its "Status akun"."""

import datetime as dt
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import timezone

from competition.models import StageKind
from tests import factories as f
from tests.e2e.test_accessibility import published_year

PASSWORD = "kata-sandi-uji-123"
LAPTOP = {"width": 1366, "height": 768}


def blocking_violations(page):
    results = Axe().run(page)
    return [
        f"{page.url} [{v['impact']}] {v['id']}: {node['target']}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
        for node in v["nodes"]
    ]


def right_edge(page, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    return box["x"] + box["width"]


@pytest.mark.e2e
def test_presentation_leaderboard_fits_a_laptop(page, log_in):
    f.OrganiserFactory(email="organisasi@example.go.id")
    stage = f.StageFactory(kind=StageKind.PRESENTATION, closed_at=None)
    labels = [
        "Substansi: kebaruan",
        "Substansi: efektivitas",
        "Substansi: kemanfaatan",
        "Substansi: keberlanjutan",
        "Substansi: replikasi",
        "Presentasi: penguasaan materi",
        "Presentasi: kejelasan",
        "Presentasi: tanya jawab",
    ]
    for i, label in enumerate(labels):
        f.CriterionFactory(stage=stage, order=i, label=label, weight=Decimal("12.5"))
    judges = [f.JudgeFactory(), f.JudgeFactory()]
    for n in range(3):
        entry = f.EntryFactory(
            competition=stage.competition,
            reference=f"KIPP-2026-000{n}",
            innovation__title="Gerbang Layanan Terpadu dan Terintegrasi Kesehatan Ibu dan Anak",
            screened_in=True,
        )
        for judge, value in zip(judges, (90, 40), strict=True):
            f.ScoreSheetFactory(
                stage=stage,
                entry=entry,
                judge=judge,
                submitted=True,
                assigned=True,
                scores=[value] * 8,
            )
    page.set_viewport_size(LAPTOP)

    log_in("organisasi@example.go.id", PASSWORD)
    page.goto(reverse("competition:results_stage", args=[stage.pk]))

    header = page.inner_text("#leaderboard thead")
    assert "…" not in header
    assert "K8" in header
    assert page.get_attribute("#leaderboard thead abbr >> nth=1", "title") == (
        "Substansi: efektivitas (12,50%)"
    )
    assert "K2 = Substansi: efektivitas" in page.inner_text("#criteria-legend")
    # The flag ("beda jauh") and the moderation column are on screen without scrolling.
    assert right_edge(page, "#leaderboard thead th:last-child") <= LAPTOP["width"]
    assert right_edge(page, "#leaderboard .badge.text-bg-warning") <= LAPTOP["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= LAPTOP["width"]
    assert blocking_violations(page) == []


@pytest.mark.e2e
def test_user_list_shows_account_status_on_a_laptop(page, log_in):
    f.OrganiserFactory(email="organisasi@example.go.id")
    agency = f.AgencyFactory(
        name="Dinas Kesehatan, Pengendalian Penduduk dan Keluarga Berencana", short_name="Dinkes"
    )
    f.UserFactory(
        agency=agency,
        full_name="Budi Santoso Wicaksono",
        approval="pending",
        is_active=False,
        email="budi.santoso.wicaksono@dinkesppkb.mojokertokota.go.id",
    )
    page.set_viewport_size(LAPTOP)

    log_in("organisasi@example.go.id", PASSWORD)
    page.goto(reverse("admin:opd_user_changelist"))

    assert "Status akun" in page.text_content("#result_list thead")
    assert right_edge(page, "#result_list thead th.column-account_status") <= LAPTOP["width"]
    assert right_edge(page, "#result_list tbody td.field-account_status") <= LAPTOP["width"]
    assert "Menunggu persetujuan" in page.inner_text("#result_list")


@pytest.mark.e2e
def test_compliance_page_lists_who_gets_no_reminder(page, log_in):
    f.OrganiserFactory(email="organisasi@example.go.id")
    now = timezone.now()
    competition = f.CompetitionFactory(
        year=now.year,
        submission_opens_at=now - dt.timedelta(days=10),
        submission_closes_at=now + dt.timedelta(days=10),
    )
    f.AgencyFactory(name="Kelurahan Balongsari")
    magersari = f.AgencyFactory(name="Kecamatan Magersari")
    f.UserFactory(agency=magersari, approval="pending", is_active=False)
    dishub = f.AgencyFactory(name="Dinas Perhubungan")
    f.UserFactory(agency=dishub, email="dishub@example.go.id")
    page.set_viewport_size(LAPTOP)

    log_in("organisasi@example.go.id", PASSWORD)
    page.goto(reverse("competition:organiser_compliance") + f"?tahun={competition.year}")

    assert "Pengingat sekarang sampai ke 1 staf di 1 OPD." in page.inner_text("#reminder-reach")
    table = page.inner_text("#unreachable-table")
    assert "Kelurahan Balongsari" in table and "Belum ada akun staf OPD." in table
    assert "Kecamatan Magersari" in table and "menunggu persetujuan" in table
    assert "Dinas Perhubungan" not in table
    assert blocking_violations(page) == []


ADMIN_LISTS = [
    "opd_user",
    "opd_agency",
    "competition_competition",
    "competition_stage",
    "competition_assignment",
    "competition_scoresheet",
    "competition_resultsnapshot",
    "competition_award",
]


@pytest.mark.e2e
def test_organiser_admin_lists_fit_a_laptop(page, log_in):
    organiser = f.OrganiserFactory(email="organisasi@example.go.id")
    published_year(organiser)
    page.set_viewport_size(LAPTOP)

    log_in("organisasi@example.go.id", PASSWORD)
    too_wide = {}
    for name in ADMIN_LISTS:
        page.goto(reverse(f"admin:{name}_changelist"))
        wrapper = page.evaluate(
            "() => { const p = document.querySelector('#result_list').parentElement;"
            " return [p.scrollWidth, p.clientWidth]; }"
        )
        if wrapper[0] > wrapper[1]:
            too_wide[name] = wrapper

    assert too_wide == {}
