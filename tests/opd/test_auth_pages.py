"""Login, logout, password change and reset, in Indonesian."""

import re

import pytest
from django.core import mail

from opd.models import Approval
from tests import factories as f

# Every test here touches the database, some only through request.getfixturevalue,
# which pytest-django cannot see when it orders database tests before committing ones.
pytestmark = pytest.mark.django_db

LOGIN = "/akun/masuk/"
PASSWORD = "kata-sandi-uji-123"


def login(client, email, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": email, "password": password}, **extra)


@pytest.mark.django_db
def test_login_page_in_indonesian(client):
    page = client.get(LOGIN).content.decode()

    assert "Masuk ke Kovablik" in page
    assert "Lupa kata sandi?" in page


@pytest.mark.django_db
def test_login_with_email_in_any_case_shows_name(client, staff_a):
    response = login(client, staff_a.email.upper(), follow=True)

    assert response.context["user"] == staff_a
    assert "Staf Dinkes" in response.content.decode()


@pytest.mark.django_db
def test_login_wrong_password_says_so(client, staff_a):
    response = login(client, staff_a.email, "salah-sandi")

    assert "E-mail atau kata sandi salah" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_pending_account_told_to_wait(client, agency_a):
    user = f.UserFactory(agency=agency_a, approval=Approval.PENDING, is_active=False)

    response = login(client, user.email)

    assert "Akun Anda masih menunggu persetujuan Bagian Organisasi." in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_rejected_account_sees_reason(client, agency_a):
    user = f.UserFactory(
        agency=agency_a,
        approval=Approval.REJECTED,
        is_active=False,
        rejection_reason="Bukan pegawai OPD ini",
    )

    response = login(client, user.email)

    page = response.content.decode()
    assert "Pendaftaran akun Anda ditolak: Bukan pegawai OPD ini" in page
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_deactivated_account_refused(client, agency_a):
    user = f.UserFactory(agency=agency_a, is_active=False)

    response = login(client, user.email)

    assert "Akun ini dinonaktifkan" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_logout_by_post_says_goodbye(client, staff_a):
    client.force_login(staff_a)

    response = client.post("/akun/keluar/", follow=True)

    assert "Anda telah keluar dari Kovablik." in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_password_change_requires_login(client):
    response = client.get("/akun/kata-sandi/")

    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


@pytest.mark.parametrize("persona", ["staff_a", "judge", "organiser"])
@pytest.mark.django_db
def test_password_change_for_every_role(client, request, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)

    page = client.get("/akun/kata-sandi/").content.decode()
    response = client.post(
        "/akun/kata-sandi/",
        {
            "old_password": PASSWORD,
            "new_password1": "inovasi-baru-2026",
            "new_password2": "inovasi-baru-2026",
        },
        follow=True,
    )

    assert "Ganti kata sandi" in page
    assert "Kata sandi Anda sudah diganti." in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("inovasi-baru-2026")


@pytest.mark.django_db
def test_password_reset_by_email_end_to_end(client, staff_a, django_capture_on_commit_callbacks):
    form = client.get("/akun/lupa-sandi/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post("/akun/lupa-sandi/", {"email": staff_a.email.upper()}, follow=True)

    assert "Lupa kata sandi" in form
    assert "Periksa e-mail Anda" in sent.content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Buat kata sandi baru untuk akun Kovablik Anda"
    assert "Yth. Staf Dinkes," in message.body
    path = re.search(r"http://testserver(/akun/lupa-sandi/\S+/)", message.body).group(1)

    confirm = client.get(path, follow=True)
    assert "Buat kata sandi baru" in confirm.content.decode()
    done = client.post(
        confirm.redirect_chain[-1][0],
        {"new_password1": "inovasi-baru-2026", "new_password2": "inovasi-baru-2026"},
        follow=True,
    )

    assert "Kata sandi baru Anda sudah tersimpan." in done.content.decode()
    staff_a.refresh_from_db()
    assert staff_a.check_password("inovasi-baru-2026")
    again = client.get(path, follow=True)
    assert "Tautan tidak berlaku" in again.content.decode()


@pytest.mark.django_db
def test_password_reset_unknown_email_sends_nothing_and_reveals_nothing(client):
    response = client.post("/akun/lupa-sandi/", {"email": "tidak.ada@example.go.id"}, follow=True)

    assert "Periksa e-mail Anda" in response.content.decode()
    assert mail.outbox == []


@pytest.mark.django_db
def test_password_reset_not_for_pending_account(client, agency_a):
    user = f.UserFactory(agency=agency_a, approval=Approval.PENDING, is_active=False)

    client.post("/akun/lupa-sandi/", {"email": user.email})

    assert mail.outbox == []
