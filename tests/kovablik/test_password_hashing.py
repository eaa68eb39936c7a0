"""Passwords are stored as Argon2id; hashes made before still sign in and are upgraded."""

import pytest
from django.contrib.auth.hashers import check_password, make_password

from kovablik import settings as production_settings
from tests import factories as f

LOGIN = "/akun/masuk/"
PASSWORD = "kata-sandi-uji-123"


@pytest.fixture(autouse=True)
def production_hashers(settings):
    """The test settings hash with MD5 for speed; these tests need the real list."""
    settings.PASSWORD_HASHERS = production_settings.PASSWORD_HASHERS


def test_new_password_is_argon2id_at_owasp_setting():
    encoded = make_password(PASSWORD)

    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert check_password(PASSWORD, encoded)
    assert not check_password("kata-sandi-lain", encoded)


def test_pbkdf2_password_signs_in_and_is_rehashed(client, agency_a):
    user = f.UserFactory(agency=agency_a, email="ani@example.go.id")
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])

    response = client.post(LOGIN, {"username": user.email, "password": PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


def test_wrong_password_against_pbkdf2_hash_keeps_it(client, agency_a):
    user = f.UserFactory(agency=agency_a, email="ani@example.go.id")
    old_hash = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.password = old_hash
    user.save(update_fields=["password"])

    response = client.post(LOGIN, {"username": user.email, "password": "tebakan-salah"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    user.refresh_from_db()
    assert user.password == old_hash
