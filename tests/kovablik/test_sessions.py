"""Signed in, signed out and kept signed in, with the session and its user read by plain SQL."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone

from kovablik.sessions import FORMER_USER_BACKEND, USER_BACKEND, SessionStore, UserBackend
from opd.models import User
from tests import factories as f

pytestmark = pytest.mark.django_db

PASSWORD = "kata-sandi-uji-123"


def signed_in_session(user, backend=USER_BACKEND) -> str:
    """A session saved as Django's login saves it, its key set as the browser's cookie."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = backend
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


def use_session(client, key: str) -> None:
    client.cookies[settings.SESSION_COOKIE_NAME] = key


def test_session_signed_in_before_the_plain_reads_stays_signed_in(client, staff_a):
    use_session(client, signed_in_session(staff_a, backend=FORMER_USER_BACKEND))

    response = client.get("/akun/profil/")

    assert response.status_code == 200
    assert response.context["user"] == staff_a
    assert "Staf Dinkes" in response.content.decode()


def test_login_remembers_the_plain_reading_backend(client, staff_a):
    client.post("/akun/masuk/", {"username": staff_a.email, "password": PASSWORD})

    assert client.session[BACKEND_SESSION_KEY] == USER_BACKEND
    assert client.get("/akun/profil/").context["user"] == staff_a


def test_login_rotates_the_session_key(client, staff_a):
    client.get("/akun/masuk/")
    client.session.save()
    before = client.cookies[settings.SESSION_COOKIE_NAME].value

    client.post("/akun/masuk/", {"username": staff_a.email, "password": PASSWORD})

    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert Session.objects.filter(session_key=after).exists()


def test_logout_deletes_the_session(client, staff_a):
    key = signed_in_session(staff_a)
    use_session(client, key)

    client.post("/akun/keluar/")

    assert not Session.objects.filter(session_key=key).exists()
    use_session(client, key)
    assert client.get("/akun/profil/").status_code == 302


def test_expired_session_is_signed_out_and_never_saved_again(client, staff_a):
    key = signed_in_session(staff_a)
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(1))
    use_session(client, key)

    response = client.get("/akun/profil/")

    assert response.status_code == 302
    assert response["Location"].startswith("/akun/masuk/")
    store = SessionStore(key)
    assert store.load() == {}
    assert store.session_key is None


def test_unknown_session_key_is_anonymous(client):
    use_session(client, "x" * 32)

    assert client.get("/akun/profil/").status_code == 302


def test_password_changed_elsewhere_signs_the_session_out(client, staff_a):
    use_session(client, signed_in_session(staff_a))
    staff_a.set_password("kata-sandi-baru-456")
    staff_a.save()

    assert client.get("/akun/profil/").status_code == 302


def test_user_read_is_the_orm_row(staff_a):
    staff_a.last_login = timezone.now()
    staff_a.save()

    read = UserBackend().get_user(staff_a.pk)

    expected = User.objects.get(pk=staff_a.pk)
    assert {k: v for k, v in vars(read).items() if k != "_state"} == {
        k: v for k, v in vars(expected).items() if k != "_state"
    }
    assert read._state.adding is False
    assert read._state.db == "default"


def test_user_read_of_a_deleted_user_is_nobody(agency_a):
    assert UserBackend().get_user(10**9) is None


def test_inactive_user_is_read_as_django_reads_it(agency_a):
    pending = f.UserFactory(agency=agency_a, is_active=False)

    assert UserBackend().get_user(pending.pk) == pending


def test_signed_in_request_reads_session_and_user_once_each(
    client, staff_a, django_assert_num_queries
):
    use_session(client, signed_in_session(staff_a))

    with django_assert_num_queries(2):
        response = client.get("/")

    assert response.status_code == 302
