import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from competition.models import ComplianceReminder, EntryStatus
from competition.selectors.compliance import compliance_report
from competition.services.compliance import compliance_send_reminders, days_left
from opd.models import AgencyKind, Role
from tests import factories as f

# Every test here touches the database, some only through request.getfixturevalue,
# which pytest-django cannot see when it orders database tests before committing ones.
pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
NOW = dt.datetime(2026, 4, 20, 9, 0, tzinfo=WIB)
CLOSES = dt.datetime(2026, 4, 30, 23, 59, tzinfo=WIB)


@pytest.fixture
def competition(db):
    return f.CompetitionFactory(
        year=2026,
        submission_opens_at=dt.datetime(2026, 3, 1, 8, 0, tzinfo=WIB),
        submission_closes_at=CLOSES,
    )


@pytest.fixture
def city(competition):
    """Five active agencies and one inactive, with entries at every status."""
    dinkes = f.AgencyFactory(name="Dinas Kesehatan PPKB", kind=AgencyKind.DINAS)
    dlh = f.AgencyFactory(name="Dinas Lingkungan Hidup", kind=AgencyKind.DINAS)
    wates = f.AgencyFactory(name="UPT Puskesmas Wates", kind=AgencyKind.PUSKESMAS, parent=dinkes)
    gedongan = f.AgencyFactory(
        name="UPT Puskesmas Gedongan", kind=AgencyKind.PUSKESMAS, parent=dinkes
    )
    kranggan = f.AgencyFactory(name="Kecamatan Kranggan", kind=AgencyKind.KECAMATAN)
    closed = f.AgencyFactory(name="Kantor Lama", kind=AgencyKind.DINAS, is_active=False)
    for status in (EntryStatus.SUBMITTED, EntryStatus.PASSED):
        f.EntryFactory(competition=competition, innovation__agency=dinkes, status=status)
    f.EntryFactory(competition=competition, innovation__agency=wates, status=EntryStatus.FAILED)
    f.EntryFactory(competition=competition, innovation__agency=dlh, status=EntryStatus.RETURNED)
    f.EntryFactory(competition=competition, innovation__agency=gedongan, status=EntryStatus.DRAFT)
    # Other years and inactive agencies do not count.
    f.EntryFactory(competition__year=2025, innovation__agency=kranggan, status="passed")
    f.EntryFactory(competition=competition, innovation__agency=closed, status="submitted")
    return {
        "dinkes": dinkes,
        "dlh": dlh,
        "wates": wates,
        "gedongan": gedongan,
        "kranggan": kranggan,
    }


def test_compliance_report_counts_entries_past_draft(competition, city):
    report = compliance_report(competition=competition)

    counts = {a.name: (a.entered, a.drafts) for a in report.agencies}
    assert counts == {
        "Dinas Kesehatan PPKB": (2, 0),
        "Dinas Lingkungan Hidup": (1, 0),
        "UPT Puskesmas Wates": (1, 0),
        "UPT Puskesmas Gedongan": (0, 1),
        "Kecamatan Kranggan": (0, 0),
    }
    assert (report.total_agencies, report.entered_agencies, report.missing_agencies) == (5, 3, 2)
    assert report.total_entries == 4
    assert {a.name for a in report.missing} == {"UPT Puskesmas Gedongan", "Kecamatan Kranggan"}
    by_kind = {k.kind: (k.agencies, k.entered, k.missing, k.entries) for k in report.by_kind}
    assert by_kind == {
        AgencyKind.DINAS: (2, 2, 0, 3),
        AgencyKind.PUSKESMAS: (2, 1, 1, 1),
        AgencyKind.KECAMATAN: (1, 0, 1, 0),
    }


def test_compliance_page_shows_the_numbers(client, organiser, competition, city):
    client.force_login(organiser)

    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("competition:organiser_compliance"), {"tahun": 2026})

    page = response.content.decode()
    assert '<div class="fs-3" id="total-agencies">5</div>' in page
    assert 'id="entered-agencies">3</div>' in page
    assert 'id="missing-agencies">2</div>' in page
    assert f'<tr class="table-warning" data-agency="{city["kranggan"].pk}">' in page
    assert f'<tr class="" data-agency="{city["dinkes"].pk}">' in page
    assert "Kantor Lama" not in page
    assert "Kirim pengingat ke OPD yang belum mengirim" in page
    assert "11 hari lagi" in page


@pytest.mark.parametrize("agencies", [1, 30])
def test_compliance_page_query_count_is_fixed(
    client, organiser, competition, agencies, django_assert_num_queries
):
    listed = []
    for _ in range(agencies):
        agency = f.AgencyFactory()
        f.EntryFactory(competition=competition, innovation__agency=agency, status="submitted")
        listed.append(agency)
    client.force_login(organiser)

    with django_assert_num_queries(5):
        response = client.get(reverse("competition:organiser_compliance"), {"tahun": 2026})

    assert response.context["report"].total_agencies == agencies
    page = response.content.decode()
    assert all(f'data-agency="{agency.pk}"' in page for agency in listed)


@pytest.mark.parametrize("persona", ["staff_a", "judge"])
def test_compliance_page_is_404_for_others(client, competition, persona, request):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("competition:organiser_compliance"))

    assert response.status_code == 404


def test_compliance_page_sends_anonymous_to_login(client, competition):
    response = client.get(reverse("competition:organiser_compliance"))

    assert response["Location"].startswith(reverse("login"))


# Reminders


def test_reminders_go_to_active_staff_of_agencies_without_entry(
    competition, city, django_capture_on_commit_callbacks
):
    gedongan_staff = f.UserFactory(
        agency=city["gedongan"], email="gedongan@example.go.id", full_name="Rina Gedongan"
    )
    kranggan_staff = f.UserFactory(agency=city["kranggan"], email="kranggan@example.go.id")
    f.UserFactory(agency=city["kranggan"], email="nonaktif@example.go.id", is_active=False)
    f.UserFactory(agency=city["dinkes"], email="dinkes@example.go.id")
    f.UserFactory(agency=city["kranggan"], role=Role.JUDGE, email="juri-asn@example.go.id")

    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        sent = compliance_send_reminders(competition=competition)

    assert sent == 2
    assert sorted(m.to[0] for m in mail.outbox) == [gedongan_staff.email, kranggan_staff.email]
    message = next(m for m in mail.outbox if m.to == [gedongan_staff.email])
    assert "UPT Puskesmas Gedongan" in message.subject
    assert "Rina Gedongan" in message.body
    assert "30 April 2026 23:59" in message.body
    assert "11 hari lagi" in message.body
    assert reverse("competition:opd_dashboard") in message.body


def test_reminders_are_refused_after_the_deadline(competition, city):
    with (
        time_machine.travel(CLOSES + dt.timedelta(minutes=1), tick=False),
        pytest.raises(ValidationError),
    ):
        compliance_send_reminders(competition=competition)

    assert mail.outbox == []


def test_days_left_rounds_up_and_stops_at_zero(competition):
    assert days_left(competition, CLOSES - dt.timedelta(days=2, hours=1)) == 3
    assert days_left(competition, CLOSES + dt.timedelta(seconds=1)) == 0


def test_remind_button_sends_and_reports(
    client, organiser, competition, city, django_capture_on_commit_callbacks
):
    f.UserFactory(agency=city["kranggan"], email="kranggan@example.go.id")
    client.force_login(organiser)

    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("competition:organiser_compliance_remind"), {"tahun": "2026"}, follow=True
        )

    assert "1 e-mail pengingat dikirim" in response.content.decode()
    assert [m.to for m in mail.outbox] == [["kranggan@example.go.id"]]


def test_remind_button_is_404_for_opd_staff(client, staff_a, competition, city):
    f.UserFactory(agency=city["kranggan"], email="kranggan@example.go.id")
    client.force_login(staff_a)

    with time_machine.travel(NOW, tick=False):
        response = client.post(
            reverse("competition:organiser_compliance_remind"), {"tahun": "2026"}
        )

    assert response.status_code == 404
    assert mail.outbox == []


def run_command(*args):
    out = StringIO()
    call_command("remind_missing_entries", *args, stdout=out)
    return out.getvalue()


def test_command_sends_when_the_deadline_is_near(
    competition, city, django_capture_on_commit_callbacks
):
    f.UserFactory(agency=city["kranggan"], email="kranggan@example.go.id")

    with (
        time_machine.travel(CLOSES - dt.timedelta(days=3), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        output = run_command("--days", "7", "--year", "2026")

    assert "1 reminder(s) sent" in output
    assert [m.to for m in mail.outbox] == [["kranggan@example.go.id"]]


def test_command_waits_until_n_days_before(competition, city, django_capture_on_commit_callbacks):
    f.UserFactory(agency=city["kranggan"], email="kranggan@example.go.id")

    with (
        time_machine.travel(CLOSES - dt.timedelta(days=20), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        output = run_command("--days", "7")

    assert "reminders start 7 days before" in output
    assert mail.outbox == []


def test_command_sends_nothing_after_the_deadline(
    competition, city, django_capture_on_commit_callbacks
):
    f.UserFactory(agency=city["kranggan"], email="kranggan@example.go.id")

    with (
        time_machine.travel(CLOSES + dt.timedelta(hours=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        output = run_command("--days", "7", "--year", "2026")

    assert "not open" in output
    assert mail.outbox == []


def test_reminders_go_once_a_day_per_person(competition, city, django_capture_on_commit_callbacks):
    f.UserFactory(agency=city["kranggan"], email="kranggan@example.go.id")

    with django_capture_on_commit_callbacks(execute=True):
        with time_machine.travel(NOW, tick=False):
            first = compliance_send_reminders(competition=competition)
            again = compliance_send_reminders(competition=competition)
        with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
            next_day = compliance_send_reminders(competition=competition)

    assert (first, again, next_day) == (1, 0, 1)
    assert len(mail.outbox) == 2
    assert ComplianceReminder.objects.filter(agency=city["kranggan"]).count() == 2


def test_compliance_page_shows_when_an_agency_was_reminded(
    client, organiser, competition, city, django_capture_on_commit_callbacks
):
    f.UserFactory(agency=city["kranggan"], email="kranggan@example.go.id")
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        compliance_send_reminders(competition=competition, actor=organiser)
    client.force_login(organiser)

    response = client.get(reverse("competition:organiser_compliance"), {"tahun": 2026})

    assert "diingatkan 20 April 2026" in response.content.decode()
    assert ComplianceReminder.objects.get().sent_by == organiser


def test_reminder_log_is_read_only_in_the_admin(client, organiser, competition, city):
    reminder = ComplianceReminder.objects.create(
        competition=competition,
        agency=city["kranggan"],
        recipient=f.UserFactory(agency=city["kranggan"], full_name="Camat Kranggan"),
        sent_on=NOW.date(),
    )
    client.force_login(organiser)

    listing = client.get(reverse("admin:competition_compliancereminder_changelist"))
    add = client.get(reverse("admin:competition_compliancereminder_add"))

    assert "Camat Kranggan" in listing.content.decode()
    assert add.status_code == 403
    assert ComplianceReminder.objects.get() == reminder
