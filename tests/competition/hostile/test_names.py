"""Invisible characters in names and titles: cleaned on the way in, never a way around
the duplicate-title check, never printed back (issue 17)."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from competition.models import EntryStatus, Innovation, Innovator
from competition.services.entries import entry_submit
from kovablik.text import clean_name, title_key
from opd.importers import agencies_import
from opd.models import Agency, User
from tests import factories as f
from tests.competition.hostile.test_form_strings import innovation_post

RLO = "\u202e"
PDF = "\u202c"
clean_titles = importlib.import_module("competition.migrations.0012_clean_titles_and_names")
clean_opd_names = importlib.import_module("opd.migrations.0003_clean_names")


def test_clean_name_drops_direction_and_zero_width_characters_and_collapses_spaces():
    raw = f"\ufeff Inovasi  {RLO}KLAPAT{PDF}\u200b\u2066 la\u200dyanan\u061c\u200e\t\n "

    assert clean_name(raw) == "Inovasi KLAPAT layanan"
    assert clean_name("Cafe\u0301") == "Caf\u00e9"  # NFC


@pytest.mark.parametrize(
    "variant",
    [
        "\u200bGayatri Layanan Terpadu",
        "Gay\u00adatri Layanan Terpadu",
        "GAYATRI\u00a0Layanan  Terpadu\u2060",
        "\ufeffGayatri Layanan\u200c Terpadu",
        "\uff27ayatri Layanan Terpadu",  # a full-width G
    ],
)
def test_title_key_sees_through_invisible_and_lookalike_characters(variant):
    assert title_key(variant) == title_key("Gayatri Layanan Terpadu") == "gayatri layanan terpadu"


@pytest.mark.parametrize(
    "variant", ["\u200bGayatri Layanan Terpadu", "Gay\u00adatri Layanan Terpadu"]
)
def test_submission_with_a_zero_width_or_soft_hyphen_duplicate_title_is_refused(
    variant, agency_a, agency_b, staff_a
):
    competition = f.CompetitionFactory(open=True)
    first = f.EntryFactory(
        competition=competition,
        category=competition.categories.first(),
        complete=True,
        innovation=f.InnovationFactory(agency=agency_b, title="Gayatri Layanan Terpadu"),
    )
    first.status = EntryStatus.SUBMITTED
    first.submitted_at = timezone.now()
    first.save()
    copy = f.EntryFactory(
        competition=competition,
        category=competition.categories.first(),
        complete=True,
        innovation=f.InnovationFactory(agency=agency_a, title=variant),
    )

    with pytest.raises(ValidationError) as refused:
        entry_submit(entry=copy, user=staff_a)

    assert any("sudah dipakai proposal lain" in m for m in refused.value.messages)
    copy.refresh_from_db()
    assert copy.status == EntryStatus.DRAFT


def test_innovation_form_stores_title_acronym_and_innovator_cleaned(client_a, agency_a):
    data = innovation_post(agency_a, "x")
    data.update(
        {
            "title": f"\u200b Layanan  {RLO}KLAPAT{PDF}   Cepat ",
            "brand_name": f"{RLO}LAYAN",
            "brand_long_form": "Layanan\u200d Antar",
            "innovators-0-name": f"Siti {RLO}Rahayu\u2069",
            "innovators-0-role": "Ketua\u200b",
        }
    )

    response = client_a.post(reverse("competition:innovation_create"), data)

    assert response.status_code == 302
    innovation = Innovation.objects.get()
    assert innovation.title == "Layanan KLAPAT Cepat"
    assert (innovation.brand_name, innovation.brand_long_form) == ("LAYAN", "Layanan Antar")
    assert Innovator.objects.get().name == "Siti Rahayu"
    assert Innovator.objects.get().role == "Ketua"


def test_innovation_form_refuses_a_title_of_invisible_characters_only(client_a, agency_a):
    data = innovation_post(agency_a, "\u200b\u200c\u200d\ufeff")
    data["innovators-0-name"] = "Inovator"

    response = client_a.post(reverse("competition:innovation_create"), data)

    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    assert not Innovation.objects.exists()


def test_right_to_left_override_never_reaches_a_page_after_input(client_a, agency_a, organiser):
    """Typed into an innovation title, an innovator, an agency (import) and a user name
    (sign-up); then the OPD's, the organiser's and the admin's pages are read."""
    # An agency through the import, as the organiser loads the city's list.
    imported = agencies_import(
        data=f"nama,jenis\nDinas {RLO}Pariwisata{PDF},dinas\n".encode(), filename="opd.csv"
    )
    assert imported.created == 1, imported.errors
    # An OPD user through the sign-up page.
    client = Client()
    signed_up = client.post(
        reverse("opd:register"),
        {
            "full_name": f"Budi {RLO}Santoso",
            "nip": "198703152010012004",
            "email": "budi@example.go.id",
            "phone": "0812-3456-7890",
            "agency": agency_a.pk,
            "password1": "pelayanan-prima-2026",
            "password2": "pelayanan-prima-2026",
        },
    )
    assert signed_up.status_code == 302, signed_up.context["form"].errors
    # An innovation and its innovator through the OPD's form.
    data = innovation_post(agency_a, f"Inovasi {RLO}KLAPAT{PDF} layanan")
    data["innovators-0-name"] = f"Siti {RLO}Rahayu"
    data["description"] = "Deskripsi singkat."  # long text, not a name: kept as typed
    assert client_a.post(reverse("competition:innovation_create"), data).status_code == 302
    innovation = Innovation.objects.get()
    competition = f.CompetitionFactory(open=True)
    entry = f.EntryFactory(
        competition=competition,
        category=competition.categories.first(),
        complete=True,
        innovation=innovation,
    )

    assert RLO not in Agency.objects.get(name__contains="Pariwisata").name
    assert RLO not in User.objects.get(email="budi@example.go.id").full_name
    client.force_login(organiser)
    pages = [
        client_a.get(reverse("competition:innovation_detail", args=[innovation.pk])),
        client_a.get(reverse("competition:innovation_list")),
        client_a.get(reverse("competition:entry_detail", args=[entry.pk])),
        client.get("/admin/opd/agency/"),
        client.get("/admin/opd/user/"),
        client.get(reverse("competition:organiser_entries")),
    ]
    for page in pages:
        assert page.status_code == 200
        assert RLO not in page.content.decode()
    assert "Inovasi KLAPAT layanan" in pages[0].content.decode()
    assert "Siti Rahayu" in pages[0].content.decode()


def test_model_save_cleans_names_from_the_admin_or_a_script(db):
    agency = f.AgencyFactory(name=f"Kelurahan {RLO}Wates", short_name="\u200bWts")
    user = f.UserFactory(full_name=f"Ani\u200b {RLO}Lestari", agency=agency)

    agency.refresh_from_db()
    user.refresh_from_db()
    assert (agency.name, agency.short_name) == ("Kelurahan Wates", "Wts")
    assert user.full_name == "Ani Lestari"


def test_data_migrations_clean_stored_names_and_report_them(agency_a, capsys):
    innovation = f.InnovationFactory(agency=agency_a)
    innovator = f.InnovatorFactory(innovation=innovation)
    Innovation.objects.filter(pk=innovation.pk).update(
        title=f"\u200bGay\u00adatri {RLO}Terpadu", title_key="\u200bgay\u00adatri terpadu"
    )
    Innovator.objects.filter(pk=innovator.pk).update(name=f"Siti  {RLO}Rahayu")
    Agency.objects.filter(pk=agency_a.pk).update(name=f"Dinas\u200b {RLO}Kesehatan")
    other = f.AgencyFactory(name="Dinas Pendidikan")
    Agency.objects.filter(pk=other.pk).update(name="Dinas Kesehatan\u200b")  # collides

    clean_titles.clean_titles_and_names(apps, None)
    clean_opd_names.clean_names(apps, None)

    innovation.refresh_from_db()
    assert innovation.title == "Gay\u00adatri Terpadu"
    assert innovation.title_key == "gayatri terpadu"
    assert Innovator.objects.get().name == "Siti Rahayu"
    assert Agency.objects.get(pk=agency_a.pk).name == "Dinas Kesehatan"
    assert Agency.objects.get(pk=other.pk).name == "Dinas Kesehatan\u200b"
    report = capsys.readouterr().out
    assert "2 value(s) cleaned, 1 duplicate-title key(s) recomputed" in report
    assert f"Innovation {innovation.pk} title" in report
    assert "left as is" in report and f"Agency {other.pk}" in report


def test_agency_import_matches_an_existing_agency_despite_invisible_characters(db):
    agency = f.AgencyFactory(name="Dinas Kesehatan")

    result = agencies_import(
        data="nama,jenis,singkatan\n\u200bDinas  Kesehatan,dinas,Dinkes\n".encode(),
        filename="opd.csv",
    )

    assert (result.created, result.updated) == (0, 1)
    agency.refresh_from_db()
    assert agency.short_name == "Dinkes"
