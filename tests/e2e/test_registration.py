"""The whole sign-up journey in a real browser: register, wait, get approved, log in."""

import pytest
from django.core import mail

from opd.models import Approval, User
from tests import factories as f

PASSWORD = "kata-sandi-uji-123"


@pytest.mark.e2e
def test_staff_registers_is_approved_in_admin_and_logs_in(page, log_in):
    agency = f.AgencyFactory(name="Dinas Lingkungan Hidup", short_name="DLH")
    f.AgencyFactory(name="Kantor Lama", is_active=False)
    f.OrganiserFactory(email="organisasi@example.go.id", full_name="Petugas Organisasi")

    # An anonymous visitor finds the registration from the landing page.
    page.goto("/")
    page.click("main >> text=Daftar sebagai staf OPD")
    assert "Kantor Lama" not in page.inner_text("select[name=agency]")
    page.fill("input[name=full_name]", "Dewi Anggraini, S.T.")
    page.fill("input[name=nip]", "199203142019032011")
    page.fill("input[name=email]", "dewi.anggraini@example.go.id")
    page.fill("input[name=phone]", "0813 3000 1234")
    page.select_option("select[name=agency]", value=str(agency.pk))
    page.fill("input[name=password1]", "lingkungan-bersih-2026")
    page.fill("input[name=password2]", "lingkungan-bersih-2026")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "Pendaftaran diterima" in page.inner_text("h1")
    assert "menunggu persetujuan Bagian Organisasi" in page.inner_text("main")
    user = User.objects.get(email="dewi.anggraini@example.go.id")
    assert user.approval == Approval.PENDING

    # Before approval the login form says why it refuses.
    log_in("dewi.anggraini@example.go.id", "lingkungan-bersih-2026")
    assert "masih menunggu persetujuan" in page.inner_text("main")

    # The organiser approves the account in the admin.
    log_in("organisasi@example.go.id", PASSWORD)
    page.goto("/admin/opd/user/?approval=pending")
    assert "Dewi Anggraini, S.T." in page.inner_text("#result_list")
    page.check(f"input[name=_selected_action][value='{user.pk}']")
    page.select_option("select[name=action]", "approve")
    with page.expect_navigation():
        page.click("button[name=index]")
    assert "1 akun disetujui" in page.inner_text(".messagelist")
    assert mail.outbox[-1].to == ["dewi.anggraini@example.go.id"]
    page.context.clear_cookies()

    # The new member of staff logs in and is greeted by name.
    log_in("dewi.anggraini@example.go.id", "lingkungan-bersih-2026")
    assert "/akun/masuk/" not in page.url
    assert "Dewi Anggraini, S.T." in page.inner_text("nav")
