"""OPD staff register themselves and wait for Bagian Organisasi."""

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse

from opd.models import Approval, Role, User
from tests import factories as f

# Every test here touches the database, some only through request.getfixturevalue,
# which pytest-django cannot see when it orders database tests before committing ones.
pytestmark = pytest.mark.django_db

URL = "/opd/daftar/"


def form_data(agency, **overrides):
    data = {
        "full_name": "Siti Rahmawati, S.Kep.",
        "nip": "198703152010012004",
        "email": "Siti.Rahma@Example.go.id",
        "phone": "0812-3456-7890",
        "agency": agency.pk,
        "password1": "pelayanan-prima-2026",
        "password2": "pelayanan-prima-2026",
    }
    data.update(overrides)
    return data


def errors_of(response):
    return response.context["form"].errors


@pytest.mark.django_db
def test_register_url_name_resolves():
    assert reverse("opd:register") == URL


@pytest.mark.django_db
def test_register_page_offers_only_active_agencies(client):
    active = f.AgencyFactory(name="Dinas Lingkungan Hidup")
    f.AgencyFactory(name="Kantor Lama yang Dibubarkan", is_active=False)

    response = client.get(URL)

    page = response.content.decode()
    assert "Daftar sebagai staf OPD" in page
    assert active.name in page
    assert "Kantor Lama yang Dibubarkan" not in page


@pytest.mark.django_db(transaction=True)
def test_register_creates_pending_inactive_account_and_mails_receipt(client):
    agency = f.AgencyFactory(name="Dinas Lingkungan Hidup")

    response = client.post(URL, form_data(agency), follow=True)

    user = User.objects.get()
    assert user.email == "siti.rahma@example.go.id"
    assert user.full_name == "Siti Rahmawati, S.Kep."
    assert user.nip == "198703152010012004"
    assert user.agency == agency
    assert user.role == Role.OPD_STAFF
    assert user.approval == Approval.PENDING
    assert user.is_active is False
    assert user.check_password("pelayanan-prima-2026")
    page = response.content.decode()
    assert "menunggu persetujuan Bagian Organisasi" in page
    assert "siti.rahma@example.go.id" in page
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["siti.rahma@example.go.id"]
    assert mail.outbox[0].subject == "Pendaftaran akun Kovablik diterima"
    assert "Dinas Lingkungan Hidup" in mail.outbox[0].body


@pytest.mark.django_db
def test_register_with_a_taken_email_whatever_the_case_creates_nothing_and_says_so_to_no_one(
    client,
):
    agency = f.AgencyFactory()
    f.UserFactory(email="siti.rahma@example.go.id")

    response = client.post(URL, form_data(agency, email="SITI.RAHMA@example.go.id"), follow=True)

    assert "sudah terdaftar" not in response.content.decode()
    assert "menunggu persetujuan Bagian Organisasi" in response.content.decode()
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    "nip", ["12345", "1987031520100120041", "19870315 201001 2 004", "19870315201001200A"]
)
@pytest.mark.django_db
def test_register_refuses_malformed_nip(client, nip):
    agency = f.AgencyFactory()

    response = client.post(URL, form_data(agency, nip=nip))

    assert errors_of(response)["nip"] == [
        "NIP harus terdiri dari tepat 18 angka, tanpa spasi atau tanda baca."
    ]
    assert not User.objects.exists()


@pytest.mark.django_db
def test_register_refuses_inactive_agency(client):
    agency = f.AgencyFactory(is_active=False)

    response = client.post(URL, form_data(agency))

    assert "agency" in errors_of(response)
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("password", "Kata sandi ini terlalu umum."),
        ("abc12", "Kata sandi terlalu pendek"),
        ("83749261058", "seluruhnya terdiri dari angka"),
    ],
)
@pytest.mark.django_db
def test_register_refuses_weak_password_in_indonesian(client, password, message):
    agency = f.AgencyFactory()

    response = client.post(URL, form_data(agency, password1=password, password2=password))

    assert any(message in error for error in errors_of(response)["password1"])
    assert not User.objects.exists()


@pytest.mark.django_db
def test_register_refuses_mismatched_passwords(client):
    agency = f.AgencyFactory()

    response = client.post(URL, form_data(agency, password2="pelayanan-prima-2027"))

    assert errors_of(response)["password2"] == [
        "Kedua kata sandi tidak sama. Ketik ulang dengan teliti."
    ]
    assert not User.objects.exists()


@pytest.mark.django_db
def test_register_refuses_malformed_phone(client):
    agency = f.AgencyFactory()

    response = client.post(URL, form_data(agency, phone="hubungi saya"))

    assert "phone" in errors_of(response)
    assert not User.objects.exists()


@pytest.mark.parametrize("persona", ["staff_a", "staff_b", "judge", "organiser"])
@pytest.mark.django_db
def test_register_sends_signed_in_users_home(client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(URL)

    assert response.status_code == 302
    assert response.url == "/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Anda sudah masuk; tidak perlu mendaftar lagi."
    ]


@pytest.mark.django_db
def test_register_done_without_registration_goes_back_to_form(client):
    response = client.get("/opd/daftar/terkirim/")

    assert response.status_code == 302
    assert response.url == URL


@pytest.mark.django_db
def test_anonymous_navbar_and_home_link_to_registration(client):
    page = client.get("/").content.decode()

    assert page.count('href="/opd/daftar/"') == 2
