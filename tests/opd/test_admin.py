"""Bagian Organisasi's admin for agencies and accounts, and who may not enter it."""

import io
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from opd.models import Agency, Approval, Role, User
from tests import factories as f

# Every test here touches the database, some only through request.getfixturevalue,
# which pytest-django cannot see when it orders database tests before committing ones.
pytestmark = pytest.mark.django_db

AGENCIES = "/admin/opd/agency/"
USERS = "/admin/opd/user/"


@pytest.fixture
def admin_client(client, organiser):
    client.force_login(organiser)
    return client


def pending_user(agency, **kwargs):
    return f.UserFactory(agency=agency, approval=Approval.PENDING, is_active=False, **kwargs)


# --- who reaches /admin/ ---------------------------------------------------------------


@pytest.mark.parametrize("persona", ["staff_a", "staff_b", "judge"])
@pytest.mark.parametrize(
    "url", ["/admin/", AGENCIES, USERS, AGENCIES + "impor/", USERS + "tambah-juri/"]
)
@pytest.mark.django_db
def test_judges_and_opd_staff_never_reach_admin(client, request, persona, url):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


@pytest.mark.django_db
def test_anonymous_sent_to_admin_login(client):
    response = client.get(USERS)

    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


@pytest.mark.django_db
def test_organiser_reaches_admin_index(admin_client):
    page = admin_client.get("/admin/").content.decode()

    assert "/admin/opd/agency/" in page
    assert "/admin/opd/user/" in page


# --- agencies ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_agency_changelist_lists_with_fixed_queries(admin_client, django_assert_num_queries):
    parent = f.AgencyFactory(name="Dinas Kesehatan, PPKB")
    f.AgencyFactory(name="UPT Puskesmas Wates", parent=parent)
    with django_assert_num_queries(7):
        one = admin_client.get(AGENCIES + "?q=Wates")
    for n in range(40):
        f.AgencyFactory(name=f"UPT Contoh {n}", parent=parent)
    with django_assert_num_queries(7):
        many = admin_client.get(AGENCIES)

    assert "UPT Puskesmas Wates" in one.content.decode()
    assert all(f"UPT Contoh {n}" in many.content.decode() for n in range(40))
    assert "Impor dari XLSX/CSV" in many.content.decode()


@pytest.mark.django_db
def test_agency_bulk_deactivate_and_activate(admin_client, agency_a, agency_b):
    admin_client.post(
        AGENCIES, {"action": "deactivate", "_selected_action": [agency_a.pk, agency_b.pk]}
    )
    agency_a.refresh_from_db()
    assert agency_a.is_active is False
    assert agency_a.history.first().history_user is not None

    admin_client.post(AGENCIES, {"action": "activate", "_selected_action": [agency_a.pk]})

    agency_a.refresh_from_db()
    agency_b.refresh_from_db()
    assert agency_a.is_active is True
    assert agency_b.is_active is False


@pytest.mark.django_db
def test_agency_with_members_cannot_be_deleted(admin_client, staff_a, agency_a):
    response = admin_client.post(f"{AGENCIES}{agency_a.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert Agency.objects.filter(pk=agency_a.pk).exists()


@pytest.mark.django_db
def test_agency_with_innovation_or_entry_cannot_be_deleted(admin_client):
    innovation = f.InnovationFactory()
    entry = f.EntryFactory()

    for agency in (innovation.agency, entry.agency):
        response = admin_client.post(f"{AGENCIES}{agency.pk}/delete/", {"post": "yes"})
        assert response.status_code == 403
        assert Agency.objects.filter(pk=agency.pk).exists()


@pytest.mark.django_db
def test_agency_without_history_can_be_deleted(admin_client):
    agency = f.AgencyFactory(name="Salah Ketik")

    admin_client.post(f"{AGENCIES}{agency.pk}/delete/", {"post": "yes"})

    assert not Agency.objects.filter(pk=agency.pk).exists()


@pytest.mark.django_db
def test_agency_bulk_delete_action_not_offered(admin_client):
    f.AgencyFactory()

    page = admin_client.get(AGENCIES).content.decode()

    assert "delete_selected" not in page


@pytest.mark.django_db
def test_agency_history_page(admin_client, agency_a):
    agency_a.head_name = "dr. Baru"
    agency_a.save()

    response = admin_client.get(f"{AGENCIES}{agency_a.pk}/history/")

    assert response.status_code == 200
    assert "Dinas Kesehatan" in response.content.decode()


def workbook_bytes(rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["nama", "singkatan", "jenis", "induk"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
def test_agency_import_page_imports_good_file(admin_client):
    upload = SimpleUploadedFile(
        "opd.xlsx", workbook_bytes([["Dinas Perhubungan", "Dishub", "dinas", ""]])
    )

    response = admin_client.post(AGENCIES + "impor/", {"file": upload}, follow=True)

    assert "Impor selesai: 1 OPD baru, 0 diperbarui." in response.content.decode()
    assert Agency.objects.get(name="Dinas Perhubungan").short_name == "Dishub"


@pytest.mark.django_db
def test_agency_import_page_reports_errors_and_saves_nothing(admin_client):
    upload = SimpleUploadedFile(
        "opd.xlsx",
        workbook_bytes([["Dinas Perhubungan", "Dishub", "dinas", ""], ["UPT X", "", "upt", "Y"]]),
    )

    response = admin_client.post(AGENCIES + "impor/", {"file": upload})

    page = response.content.decode()
    assert "Berkas tidak diimpor: ada 1 kesalahan." in page
    assert "Induk &#x27;Y&#x27; tidak ditemukan" in page
    assert not Agency.objects.exists()


@pytest.mark.django_db
def test_agency_import_refuses_other_file_types(admin_client):
    upload = SimpleUploadedFile("opd.pdf", b"%PDF-1.4")

    response = admin_client.post(AGENCIES + "impor/", {"file": upload})

    assert "Unggah berkas berakhiran .xlsx atau .csv." in response.content.decode()


# --- accounts ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_user_changelist_lists_pending_first(admin_client, agency_a):
    f.UserFactory(agency=agency_a, full_name="Aa Sudah Disetujui")
    pending_user(agency_a, full_name="Zz Menunggu")

    page = admin_client.get(USERS).content.decode()

    assert page.index("Zz Menunggu") < page.index("Aa Sudah Disetujui")


@pytest.mark.django_db
def test_user_changelist_query_count_fixed(admin_client, agency_a, django_assert_num_queries):
    pending = [pending_user(agency_a)]
    with django_assert_num_queries(7):
        admin_client.get(USERS + "?approval=pending")
    pending += [pending_user(f.AgencyFactory()) for _ in range(30)]
    with django_assert_num_queries(7):
        response = admin_client.get(USERS + "?approval=pending")

    assert response.context["cl"].result_count == 31
    assert all(user.email in response.content.decode() for user in pending)


@pytest.mark.django_db(transaction=True)
def test_user_bulk_approve_activates_and_mails(client, organiser, agency_a):
    client.force_login(organiser)
    users = [pending_user(agency_a, email=f"p{n}@example.go.id") for n in range(2)]

    response = client.post(
        USERS, {"action": "approve", "_selected_action": [u.pk for u in users]}, follow=True
    )

    assert "2 akun disetujui" in response.content.decode()
    for user in users:
        user.refresh_from_db()
        assert user.is_active and user.approval == Approval.APPROVED
        assert user.decided_by == organiser
    assert sorted(m.to[0] for m in mail.outbox) == ["p0@example.go.id", "p1@example.go.id"]


@pytest.mark.django_db(transaction=True)
def test_user_bulk_reject_asks_reason_then_rejects(client, organiser, agency_a):
    client.force_login(organiser)
    # An id past a thousand: the confirmation form must not post it as "1.500".
    user = pending_user(agency_a, id=1500, email="ditolak@example.go.id", full_name="Calon Ditolak")
    data = {"action": "reject", "_selected_action": [user.pk]}

    asked = client.post(USERS, data)
    empty = client.post(USERS, {**data, "apply": "1", "reason": ""})
    done = client.post(
        USERS, {**data, "apply": "1", "reason": "Bukan pegawai OPD tersebut."}, follow=True
    )

    assert "Alasan penolakan" in asked.content.decode()
    assert "Calon Ditolak" in asked.content.decode()
    assert 'name="_selected_action" value="1500"' in asked.content.decode()
    assert empty.status_code == 200 and "reason" in empty.context["form"].errors
    assert "1 akun ditolak" in done.content.decode()
    user.refresh_from_db()
    assert user.approval == Approval.REJECTED
    assert user.rejection_reason == "Bukan pegawai OPD tersebut."
    assert len(mail.outbox) == 1
    assert "Bukan pegawai OPD tersebut." in mail.outbox[0].body


@pytest.mark.django_db(transaction=True)
def test_add_judge_creates_account_and_mails_link(client, organiser, agency_a):
    client.force_login(organiser)
    form = client.get(USERS + "tambah-juri/")

    response = client.post(
        USERS + "tambah-juri/",
        {
            "full_name": "Dr. Bambang Wicaksono",
            "institution": "Bapperida Kota Mojokerto",
            "email": "bambang@mojokertokota.go.id",
            "agency": agency_a.pk,
        },
        follow=True,
    )

    assert "Tambah juri" in form.content.decode()
    assert "Akun juri Dr. Bambang Wicaksono dibuat" in response.content.decode()
    judge = User.objects.get(email="bambang@mojokertokota.go.id")
    assert judge.role == Role.JUDGE
    assert judge.agency == agency_a
    assert judge.institution == "Bapperida Kota Mojokerto"
    assert judge.is_staff is False
    assert re.search(r"/akun/lupa-sandi/[^/]+/[^/]+/", mail.outbox[0].body)


@pytest.mark.django_db
def test_add_judge_refuses_duplicate_email(admin_client, staff_a):
    response = admin_client.post(
        USERS + "tambah-juri/",
        {"full_name": "X", "institution": "Y", "email": staff_a.email.upper()},
    )

    assert "Alamat e-mail ini sudah dipakai akun lain." in response.content.decode()
    assert User.objects.filter(role=Role.JUDGE).count() == 0


@pytest.mark.django_db
def test_organiser_cannot_see_or_set_superuser_fields(admin_client, staff_a):
    page = admin_client.get(f"{USERS}{staff_a.pk}/change/").content.decode()
    admin_client.post(
        f"{USERS}{staff_a.pk}/change/",
        {
            "email": staff_a.email,
            "full_name": staff_a.full_name,
            "role": Role.OPD_STAFF,
            "agency": staff_a.agency_id,
            "nip": staff_a.nip,
            "is_active": "on",
            "is_superuser": "on",
        },
    )

    assert 'name="is_superuser"' not in page
    assert 'name="user_permissions"' not in page
    staff_a.refresh_from_db()
    assert staff_a.is_superuser is False


@pytest.mark.django_db
def test_organiser_cannot_edit_superuser(admin_client):
    boss = User.objects.create_superuser("boss@example.go.id", "x", full_name="Boss")

    response = admin_client.post(
        f"{USERS}{boss.pk}/change/", {"email": "pencuri@example.go.id", "full_name": "Boss"}
    )

    boss.refresh_from_db()
    assert response.status_code == 403
    assert boss.email == "boss@example.go.id"


@pytest.mark.django_db
def test_superuser_sees_superuser_fields(client, staff_a):
    boss = User.objects.create_superuser("boss@example.go.id", "x", full_name="Boss")
    client.force_login(boss)

    page = client.get(f"{USERS}{staff_a.pk}/change/").content.decode()

    assert 'name="is_superuser"' in page
    # Permission rows and groups grant nothing (every permission is a rule): not offered.
    assert 'name="user_permissions"' not in page
    assert 'name="groups"' not in page


@pytest.mark.django_db
def test_admin_add_user_requires_agency_for_staff(admin_client):
    response = admin_client.post(
        USERS + "add/",
        {
            "email": "baru@example.go.id",
            "full_name": "Baru",
            "role": Role.OPD_STAFF,
            "password1": "pelayanan-prima-2026",
            "password2": "pelayanan-prima-2026",
        },
    )

    assert "Staf OPD wajib terikat pada satu OPD." in response.content.decode()
    assert not User.objects.filter(email="baru@example.go.id").exists()


@pytest.mark.django_db
def test_admin_add_user_is_approved_and_active(admin_client, organiser, agency_a):
    admin_client.post(
        USERS + "add/",
        {
            "email": "Baru@Example.go.id",
            "full_name": "Baru",
            "role": Role.OPD_STAFF,
            "agency": agency_a.pk,
            "password1": "pelayanan-prima-2026",
            "password2": "pelayanan-prima-2026",
        },
    )

    user = User.objects.get(email="baru@example.go.id")
    assert user.is_active and user.approval == Approval.APPROVED
    assert user.decided_by == organiser


@pytest.mark.django_db
def test_user_cannot_be_deleted_by_organiser(admin_client, staff_a):
    response = admin_client.post(f"{USERS}{staff_a.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert User.objects.filter(pk=staff_a.pk).exists()
