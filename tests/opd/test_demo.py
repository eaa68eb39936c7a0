"""The demo seeder: the city's agencies, one account per role, safe to run twice."""

import pytest
from django.core.management import CommandError, call_command

from opd.demo import DEMO_PASSWORD, seed
from opd.models import Agency, AgencyKind, Role, User


@pytest.mark.django_db
def test_seed_creates_city_agencies_with_units_under_their_parents():
    seed()

    kelurahan = Agency.objects.filter(kind=AgencyKind.KELURAHAN)
    assert kelurahan.count() == 18
    assert Agency.objects.filter(kind=AgencyKind.KECAMATAN).count() == 3
    assert set(
        Agency.objects.get(name="Kecamatan Kranggan").children.values_list("name", flat=True)
    ) == {
        "Kelurahan Jagalan",
        "Kelurahan Kranggan",
        "Kelurahan Meri",
        "Kelurahan Miji",
        "Kelurahan Purwotengah",
        "Kelurahan Sentanan",
    }
    dinkes = Agency.objects.get(short_name="Dinkesppkb")
    assert dinkes.children.filter(kind=AgencyKind.PUSKESMAS).count() == 6
    assert Agency.objects.get(name="UPT Puskesmas Wates").parent == dinkes
    assert Agency.objects.get(name="Bagian Organisasi").parent.name == "Sekretariat Daerah"
    assert Agency.objects.filter(kind=AgencyKind.BADAN).count() == 5
    assert Agency.objects.filter(kind=AgencyKind.UPT, parent__isnull=True).count() == 0


@pytest.mark.django_db
def test_seed_accounts_one_per_role_and_login_works(client):
    seed()

    roles = dict(User.objects.values_list("email", "role"))
    assert roles == {
        "admin@demo.kovablik.id": Role.ORGANISER,
        "organisasi@demo.kovablik.id": Role.ORGANISER,
        "dinkes@demo.kovablik.id": Role.OPD_STAFF,
        "dlh@demo.kovablik.id": Role.OPD_STAFF,
        "juri@demo.kovablik.id": Role.JUDGE,
        "juri2@demo.kovablik.id": Role.JUDGE,
        "juri3@demo.kovablik.id": Role.JUDGE,
        "juri4@demo.kovablik.id": Role.JUDGE,
    }
    outside = User.objects.filter(role=Role.JUDGE, agency__isnull=True).exclude(institution="")
    assert outside.count() == 4
    assert User.objects.get(email="admin@demo.kovablik.id").is_superuser
    assert User.objects.get(email="dinkes@demo.kovablik.id").agency.short_name == "Dinkesppkb"
    assert User.objects.get(email="dlh@demo.kovablik.id").agency.short_name == "DLH"
    response = client.post(
        "/akun/masuk/",
        {"username": "dlh@demo.kovablik.id", "password": DEMO_PASSWORD},
        follow=True,
    )
    assert "Dewi Lestari, S.T." in response.content.decode()


@pytest.mark.django_db
def test_seed_twice_changes_nothing_and_restores_password():
    seed()
    agencies, users = Agency.objects.count(), User.objects.count()
    user = User.objects.get(email="juri@demo.kovablik.id")
    user.set_password("diganti-orang-lain")
    user.save()

    seed()

    assert (Agency.objects.count(), User.objects.count()) == (agencies, users)
    user.refresh_from_db()
    assert user.check_password(DEMO_PASSWORD)


@pytest.mark.django_db
def test_seed_demo_command_prints_accounts(settings, capsys):
    settings.DEBUG = True

    call_command("seed_demo")

    out = capsys.readouterr().out
    assert "organisasi@demo.kovablik.id" in out
    assert "kovablik-demo" in out
    assert User.objects.filter(email="juri@demo.kovablik.id").exists()


@pytest.mark.django_db
def test_seed_demo_refuses_without_debug_unless_forced(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo")
    assert not User.objects.exists()

    call_command("seed_demo", "--force")
    assert User.objects.filter(email="admin@demo.kovablik.id").exists()
