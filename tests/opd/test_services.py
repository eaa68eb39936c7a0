"""Approval, rejection and judge invitations: the database changes and the e-mails."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from opd import services
from opd.models import Approval, Role, User
from tests import factories as f

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def pending(agency_a):
    return f.UserFactory(
        agency=agency_a,
        email="budi@example.go.id",
        full_name="Budi Santoso",
        approval=Approval.PENDING,
        is_active=False,
    )


def test_user_register_refuses_inactive_agency(db):
    agency = f.AgencyFactory(is_active=False, name="Kantor Lama")

    with pytest.raises(ValidationError, match="Kantor Lama tidak aktif"):
        services.user_register(
            full_name="Budi",
            nip="198001012005011001",
            email="budi@example.go.id",
            phone="0321 123456",
            agency=agency,
            password="pelayanan-prima-2026",
        )
    assert not User.objects.exists()


def test_user_register_refuses_duplicate_email(agency_a):
    f.UserFactory(email="budi@example.go.id")

    with pytest.raises(ValidationError, match="sudah terdaftar"):
        services.user_register(
            full_name="Budi",
            nip="198001012005011001",
            email="Budi@Example.go.id",
            phone="0321 123456",
            agency=agency_a,
            password="pelayanan-prima-2026",
        )


def test_user_approve_activates_and_mails_login_link(
    pending, organiser, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://kovablik.mojokertokota.go.id"

    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        services.user_approve(user=pending, actor=organiser)

    pending.refresh_from_db()
    assert pending.is_active is True
    assert pending.approval == Approval.APPROVED
    assert pending.decided_at == NOW
    assert pending.decided_by == organiser
    assert pending.is_staff is False
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["budi@example.go.id"]
    assert mail.outbox[0].subject == "Akun Kovablik Anda telah disetujui"
    assert "https://kovablik.mojokertokota.go.id/akun/masuk/" in mail.outbox[0].body


def test_user_approve_twice_sends_one_email(pending, organiser, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.user_approve(user=pending, actor=organiser)
        services.user_approve(user=pending, actor=organiser)

    assert len(mail.outbox) == 1


def test_user_reject_deactivates_and_mails_reason(
    pending, organiser, django_capture_on_commit_callbacks
):
    reason = "NIP tidak tercatat di BKPSDM; periksa kembali NIP Anda."

    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        services.user_reject(user=pending, actor=organiser, reason=reason)

    pending.refresh_from_db()
    assert pending.is_active is False
    assert pending.approval == Approval.REJECTED
    assert pending.rejection_reason == reason
    assert pending.decided_at == NOW
    assert pending.decided_by == organiser
    assert mail.outbox[0].subject == "Pendaftaran akun Kovablik Anda ditolak"
    assert reason in mail.outbox[0].body


def test_user_reject_requires_reason(pending, organiser):
    with pytest.raises(ValidationError, match="alasan penolakan"):
        services.user_reject(user=pending, actor=organiser, reason="  ")

    pending.refresh_from_db()
    assert pending.approval == Approval.PENDING


def test_user_approve_after_rejection_clears_reason(pending, organiser):
    services.user_reject(user=pending, actor=organiser, reason="Salah OPD")

    services.user_approve(user=pending, actor=organiser)

    pending.refresh_from_db()
    assert pending.approval == Approval.APPROVED
    assert pending.rejection_reason == ""


def test_no_email_when_transaction_rolls_back(pending, organiser):
    # Without executing on_commit callbacks nothing is sent: the mail waits for the commit.
    services.user_approve(user=pending, actor=organiser)

    assert mail.outbox == []


def test_judge_create_mails_working_set_password_link(
    client, organiser, agency_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        judge = services.judge_create(
            full_name="Prof. Dr. Ratna Dewi",
            email="Ratna@Unair.ac.id",
            institution="Universitas Airlangga",
            agency=agency_a,
            actor=organiser,
        )

    assert judge.role == Role.JUDGE
    assert judge.email == "ratna@unair.ac.id"
    assert judge.is_active and judge.approval == Approval.APPROVED
    assert judge.agency == agency_a
    assert judge.is_staff is False
    body = mail.outbox[0].body
    link = re.search(r"https?://\S+/akun/lupa-sandi/\S+/", body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    form_page = client.get("/" + path, follow=True)
    assert "Buat kata sandi baru" in form_page.content.decode()
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "juri-kovablik-2026", "new_password2": "juri-kovablik-2026"},
    )
    judge.refresh_from_db()
    assert judge.check_password("juri-kovablik-2026")


def test_judge_create_refuses_taken_email(organiser):
    f.UserFactory(email="ratna@unair.ac.id")

    with pytest.raises(ValidationError, match="sudah terdaftar"):
        services.judge_create(
            full_name="Ratna", email="ratna@unair.ac.id", institution="Unair", actor=organiser
        )


def test_agency_set_active_counts_only_changes_and_keeps_history(db):
    active = f.AgencyFactory()
    inactive = f.AgencyFactory(is_active=False)

    changed = services.agency_set_active(agencies=[active, inactive], active=False)

    active.refresh_from_db()
    assert changed == 1
    assert active.is_active is False
    assert active.history.first().is_active is False
