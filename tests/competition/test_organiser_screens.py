"""The organiser's screens: short leaderboard headers with a legend, "Status akun" in the user
list, "Berikutnya" in screening, and a compliance reminder that says who gets nothing and why."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from competition.models import ComplianceReminder, EntryStatus
from opd.models import Approval, Role
from tests import factories as f

WIB = ZoneInfo("Asia/Jakarta")
NOW = dt.datetime(2026, 4, 20, 9, 0, tzinfo=WIB)

# --- leaderboard ---


def test_leaderboard_headers_are_short_and_explained(client, organiser):
    stage = f.StageFactory(closed_at=None)
    labels = ["Substansi: kebaruan", "Substansi: keberlanjutan", "Presentasi"]
    for i, (label, w) in enumerate(zip(labels, (40, 30, 30), strict=True)):
        f.CriterionFactory(stage=stage, order=i, label=label, weight=Decimal(w))
    entry = f.EntryFactory(
        competition=stage.competition,
        reference="KIPP-2026-0001",
        titled_by_reference=True,
        screened_in=True,
    )
    f.ScoreSheetFactory(
        stage=stage,
        entry=entry,
        judge=f.JudgeFactory(),
        submitted=True,
        assigned=True,
        scores=[80, 70, 90],
    )
    client.force_login(organiser)

    page = client.get(reverse("competition:results_stage", args=[stage.pk])).content.decode()

    assert "Substansi: ke…" not in page
    assert '<abbr title="Substansi: kebaruan (40%)">K1</abbr>' in page
    assert '<abbr title="Substansi: keberlanjutan (30%)">K2</abbr>' in page
    legend = page[page.index('id="criteria-legend"') :]
    assert "<strong>K2</strong> = Substansi: keberlanjutan (30%)" in legend
    assert "table-sticky-start" in page
    assert "Moderasi" in page


# --- user list ---


def test_user_list_shows_account_status_beside_the_name(client, organiser, agency_a):
    f.UserFactory(
        agency=agency_a, full_name="Budi Menunggu", approval=Approval.PENDING, is_active=False
    )
    f.UserFactory(agency=agency_a, full_name="Sari Aktif")
    f.UserFactory(agency=agency_a, full_name="Tono Nonaktif", is_active=False)
    client.force_login(organiser)

    page = client.get(reverse("admin:opd_user_changelist")).content.decode()

    header = page[page.index("<thead>") : page.index("<tbody")]
    assert "Status akun" in header
    assert (
        header.index("column-full_name")
        < header.index("column-account_status")
        < header.index("column-email")
    )
    row = page[page.index("Budi Menunggu") :]
    assert "Menunggu persetujuan" in row[: row.index("</tr>")]
    row = page[page.index("Sari Aktif") :]
    assert ">Aktif<" in row[: row.index("</tr>")]
    row = page[page.index("Tono Nonaktif") :]
    assert ">Nonaktif<" in row[: row.index("</tr>")]


# --- screening: the next proposal waiting ---


@pytest.fixture
def waiting(db):
    competition = f.CompetitionFactory()
    entries = {}
    for name in ("Bapperida", "Dinas Kesehatan", "Kecamatan Kranggan"):
        entries[name] = f.EntryFactory(
            competition=competition,
            innovation__agency__name=name,
            status=EntryStatus.SUBMITTED,
            reference=f"KIPP-{name[:3]}",
        )
    entries["lolos"] = f.EntryFactory(
        competition=competition, innovation__agency__name="Dinas Lingkungan", status="passed"
    )
    return entries


def next_link(client, entry):
    page = client.get(reverse("competition:organiser_entry_detail", args=[entry.pk])).content
    block = page.decode().split('id="screening-next"')[1].split("</div>\n  </div>")[0]
    return block


def test_screening_next_goes_to_the_next_waiting_in_list_order(client, organiser, waiting):
    client.force_login(organiser)

    first = next_link(client, waiting["Bapperida"])
    last = next_link(client, waiting["Kecamatan Kranggan"])
    decided = next_link(client, waiting["lolos"])

    url = "/organisasi/proposal/{}/"
    assert url.format(waiting["Dinas Kesehatan"].pk) in first
    assert "2 proposal lain menunggu seleksi" in first
    assert url.format(waiting["Bapperida"].pk) in last  # wraps round
    # A decided proposal ("Dinas Lingkungan") leads to the waiting one after it.
    assert url.format(waiting["Kecamatan Kranggan"].pk) in decided
    assert url.format(waiting["lolos"].pk) not in decided


def test_screening_next_says_when_nothing_else_waits(client, organiser):
    entry = f.EntryFactory(status=EntryStatus.SUBMITTED)
    client.force_login(organiser)

    block = next_link(client, entry)

    assert "Tidak ada proposal lain yang menunggu seleksi." in block


# --- compliance reminder ---


@pytest.fixture
def year(db):
    return f.CompetitionFactory(
        year=2026,
        submission_opens_at=dt.datetime(2026, 3, 1, 8, 0, tzinfo=WIB),
        submission_closes_at=dt.datetime(2026, 4, 30, 23, 59, tzinfo=WIB),
    )


@pytest.fixture
def missing(year):
    """Four agencies without an entry, each reached differently."""
    agencies = {
        "reached": f.AgencyFactory(name="Dinas Perhubungan"),
        "no_account": f.AgencyFactory(name="Kelurahan Balongsari"),
        "pending": f.AgencyFactory(name="Kecamatan Magersari"),
        "reminded": f.AgencyFactory(name="Dinas Sosial"),
    }
    f.UserFactory(agency=agencies["reached"], email="dishub@example.go.id")
    f.UserFactory(
        agency=agencies["pending"],
        email="magersari@example.go.id",
        approval=Approval.PENDING,
        is_active=False,
    )
    f.UserFactory(agency=agencies["no_account"], role=Role.JUDGE, email="juri@example.go.id")
    dinsos = f.UserFactory(agency=agencies["reminded"], email="dinsos@example.go.id")
    ComplianceReminder.objects.create(
        competition=year, agency=agencies["reminded"], recipient=dinsos, sent_on=NOW.date()
    )
    return agencies


def test_compliance_page_says_who_gets_no_reminder_and_why(client, organiser, year, missing):
    client.force_login(organiser)

    with time_machine.travel(NOW, tick=False):
        page = client.get(reverse("competition:organiser_compliance"), {"tahun": 2026})

    html = page.content.decode()
    assert "Pengingat sekarang sampai ke 1 staf di 1 OPD." in html
    assert "Kirim e-mail pengingat ke 1 staf di 1 OPD yang belum mengirim proposal?" in html
    table = html[html.index('id="unreachable-table"') :]
    table = table[: table.index("</table>")]
    assert "Dinas Perhubungan" not in table
    for key, reason in [
        ("no_account", "Belum ada akun staf OPD."),
        ("pending", "Akun staf masih menunggu persetujuan."),
        ("reminded", "Semua stafnya sudah diingatkan hari ini."),
    ]:
        row = table[table.index(f'data-agency="{missing[key].pk}"') :]
        assert reason in row[: row.index("</tr>")]


def test_remind_reports_the_agencies_that_got_nothing(
    client, organiser, year, missing, django_capture_on_commit_callbacks
):
    client.force_login(organiser)

    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("competition:organiser_compliance_remind"), {"tahun": "2026"}, follow=True
        )

    page = response.content.decode()
    assert [m.to for m in mail.outbox] == [["dishub@example.go.id"]]
    assert "1 e-mail pengingat dikirim" in page
    assert "3 OPD yang belum mengirim tidak menerima e-mail" in page
    assert "Kelurahan Balongsari" in page and "Kecamatan Magersari" in page


def test_remind_button_is_disabled_when_nobody_would_get_it(client, organiser, year):
    f.AgencyFactory(name="Kelurahan Kedundung")
    client.force_login(organiser)

    with time_machine.travel(NOW, tick=False):
        html = client.get(reverse("competition:organiser_compliance"), {"tahun": 2026}).content

    html = html.decode()
    assert "Pengingat sekarang sampai ke 0 staf di 0 OPD." in html
    button = html[html.index('class="btn btn-warning"') :]
    assert " disabled>" in button[: button.index("</button>")]
    assert "Belum ada akun staf OPD." in html
