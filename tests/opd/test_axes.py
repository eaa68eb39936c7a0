"""Failed logins lock one account on one address, never a whole office behind one NAT."""

import datetime as dt

import pytest
import time_machine

from tests import factories as f

LOGIN = "/akun/masuk/"
OFFICE_IP = "10.20.30.40"
HOME_IP = "192.0.2.7"
PASSWORD = "kata-sandi-uji-123"


def attempt(client, email, password, ip):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=ip)


@pytest.fixture
def locked_user(agency_a, client, settings):
    settings.AXES_FAILURE_LIMIT = 5
    user = f.UserFactory(agency=agency_a, email="ani@example.go.id")
    for _ in range(5):
        attempt(client, user.email, "tebakan-salah", OFFICE_IP)
    return user


def test_five_failures_lock_account_on_that_address(client, locked_user):
    response = attempt(client, locked_user.email, PASSWORD, OFFICE_IP)

    page = response.content.decode()
    assert response.status_code == 429
    assert "Terlalu banyak percobaan masuk" in page
    assert "Silakan coba lagi dalam 30 menit" in page
    assert "_auth_user_id" not in client.session


def test_four_failures_do_not_lock(client, agency_a, settings):
    settings.AXES_FAILURE_LIMIT = 5
    user = f.UserFactory(agency=agency_a)
    for _ in range(4):
        attempt(client, user.email, "tebakan-salah", OFFICE_IP)

    response = attempt(client, user.email, PASSWORD, OFFICE_IP)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_same_account_from_another_address_still_logs_in(client, locked_user):
    response = attempt(client, locked_user.email, PASSWORD, HOME_IP)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(locked_user.pk)


def test_colleague_on_same_address_still_logs_in(client, locked_user, agency_a):
    colleague = f.UserFactory(agency=agency_a, email="citra@example.go.id")

    response = attempt(client, colleague.email, PASSWORD, OFFICE_IP)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(colleague.pk)


def test_lockout_page_says_when_to_retry_in_jakarta_time(client, agency_a, settings):
    settings.AXES_FAILURE_LIMIT = 5
    user = f.UserFactory(agency=agency_a)
    with time_machine.travel(dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC), tick=False):
        for _ in range(5):
            attempt(client, user.email, "tebakan-salah", OFFICE_IP)

        response = attempt(client, user.email, PASSWORD, OFFICE_IP)

    assert "sekitar pukul 09:30 WIB" in response.content.decode()
