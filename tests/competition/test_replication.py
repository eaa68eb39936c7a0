"""A Replikasi innovation names what it replicates; the original lists its replications
(issue 13, part 6b)."""

import jsonschema
from django.urls import reverse

from competition.eligibility import entry_problems
from competition.exchange import manifest_schema
from competition.exchange.importer import package_import
from competition.models import GroupCode, Innovation
from tests import factories as f
from tests.competition.test_exchange import (
    become_the_province,
    city_forwards_two_entries,
    export,
    manifest_of,
)
from tests.competition.test_opd_views import innovation_post


def test_a_replication_names_an_innovation_of_the_registry_and_both_pages_show_it(
    client, agency_a, staff_a
):
    origin_agency = f.AgencyFactory(name="Dinas Kependudukan")
    origin = f.InnovationFactory(agency=origin_agency, title="Si Cantik", brand_name="")
    f.AwardFactory(innovation=origin, level="province", year=2025, label="Top 45")
    client.force_login(staff_a)

    response = client.post(
        reverse("competition:innovation_create"),
        innovation_post(agency_a, replicates=origin.pk),
    )
    copy = Innovation.objects.get(title="Posko Pelayanan Aman")
    mine = client.get(reverse("competition:innovation_detail", args=[copy.pk])).content.decode()
    client.force_login(f.UserFactory(agency=origin_agency))
    theirs = client.get(reverse("competition:innovation_detail", args=[origin.pk])).content.decode()

    assert response.status_code == 302
    assert copy.replicates == origin
    assert "Si Cantik (Dinas Kependudukan)" in mine
    assert "Direplikasi di" in theirs
    assert f"{copy} &middot; {agency_a}" in theirs


def test_an_external_original_needs_its_region_and_year(client, agency_a, staff_a):
    client.force_login(staff_a)

    refused = client.post(
        reverse("competition:innovation_create"),
        innovation_post(agency_a, replicates_name="Lapor Pak Bupati"),
    )
    saved = client.post(
        reverse("competition:innovation_create"),
        innovation_post(
            agency_a,
            replicates_name="Lapor Pak Bupati",
            replicates_region="Kabupaten Banyuwangi",
            replicates_year="2021",
            replicates_award="Top 45 KIPP 2021",
        ),
    )
    copy = Innovation.objects.get()

    assert refused.status_code == 200
    assert "Tulis daerah asal inovasi yang direplikasi." in refused.content.decode()
    assert "Tulis tahun inovasi asal." in refused.content.decode()
    assert saved.status_code == 302
    assert copy.replicates_label == (
        "Lapor Pak Bupati (Kabupaten Banyuwangi, 2021, Top 45 KIPP 2021)"
    )


def test_another_opds_unpublished_innovation_is_not_offered_as_an_original(
    client, agency_a, staff_a
):
    hidden = f.InnovationFactory(title="Rahasia Dinas Lain")
    awarded = f.InnovationFactory(title="Si Cantik")
    f.AwardFactory(innovation=awarded, level="city", year=2025, label="Juara I")
    f.InnovationFactory(agency=agency_a, title="Milik Sendiri")
    client.force_login(staff_a)

    page = client.get(reverse("competition:innovation_create")).content.decode()
    response = client.post(
        reverse("competition:innovation_create"), innovation_post(agency_a, replicates=hidden.pk)
    )

    assert "Si Cantik" in page and "Milik Sendiri" in page
    assert "Rahasia Dinas Lain" not in page
    assert response.status_code == 200
    assert not Innovation.objects.filter(replicates=hidden).exists()


def test_a_replication_names_one_original_not_two(client, agency_a, staff_a):
    origin = f.InnovationFactory(agency=agency_a, title="Si Cantik")
    client.force_login(staff_a)

    response = client.post(
        reverse("competition:innovation_create"),
        innovation_post(
            agency_a,
            replicates=origin.pk,
            replicates_name="Lapor Pak Bupati",
            replicates_region="Kabupaten Banyuwangi",
            replicates_year="2021",
        ),
    )

    assert response.status_code == 200
    assert "bukan keduanya" in response.content.decode()
    assert not Innovation.objects.filter(title="Posko Pelayanan Aman").exists()


def test_a_replikasi_entry_cannot_be_submitted_until_its_innovation_names_the_original(
    agency_a,
):
    competition = f.CompetitionFactory(open=True)
    replikasi = f.CompetitionGroupFactory(competition=competition, code=GroupCode.REPLIKASI)
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
        complete=True,
    )
    entry.group = replikasi
    entry.save()
    umum_entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
        complete=True,
    )

    before = [p.message for p in entry_problems(entry)]
    entry.innovation.replicates_name = "Lapor Pak Bupati"
    entry.innovation.replicates_region = "Kabupaten Banyuwangi"
    entry.innovation.replicates_year = 2021
    entry.innovation.save()
    after = [p.message for p in entry_problems(entry)]

    assert any("Kelompok Replikasi: sebutkan inovasi yang direplikasi" in m for m in before)
    assert not any("Kelompok Replikasi" in m for m in after)
    assert not any(
        "Kelompok Replikasi" in m for m in (p.message for p in entry_problems(umum_entry))
    )


def test_the_exchange_package_says_what_a_replication_replicates(organiser, tmp_path):
    target, entries = city_forwards_two_entries(organiser)
    first, second = (e.innovation for e in entries)
    second.replicates = first
    second.save()
    first.replicates_name = "Lapor Pak Bupati"
    first.replicates_region = "Kabupaten Banyuwangi"
    first.replicates_year = 2021
    first.replicates_award = "Top 45 KIPP 2021"
    first.save()
    path = export(target, tmp_path)
    manifest = manifest_of(path)

    become_the_province()
    package_import(source=path)

    jsonschema.validate(manifest, manifest_schema())
    by_title = {
        e["innovation"]["title"]: e["innovation"]["replicates"] for e in manifest["entries"]
    }
    assert by_title["Posko Paman"] == {
        "name": str(first),
        "region": "Kota Mojokerto",
        "year": 2023,
        "award": "Juara I",
    }
    imported = Innovation.objects.get(title="Gayatri: Gerbang Layanan Terpadu")
    assert imported.replicates_label == (
        "Lapor Pak Bupati (Kabupaten Banyuwangi, 2021, Top 45 KIPP 2021)"
    )
    assert Innovation.objects.get(title="Posko Paman").replicates_name == str(first)


def test_the_public_page_lists_only_public_replications(client, db):
    origin = f.InnovationFactory(title="Si Cantik", brand_name="", in_catalogue=True)
    shown = f.InnovationFactory(
        title="Si Cantik Desa", brand_name="", in_catalogue=True, replicates=origin
    )
    f.InnovationFactory(title="Tiruan Rahasia", replicates=origin)

    page = client.get(
        reverse("competition:public_catalogue_detail", args=[origin.pk])
    ).content.decode()

    assert "Direplikasi di" in page
    assert reverse("competition:public_catalogue_detail", args=[shown.pk]) in page
    assert "Tiruan Rahasia" not in page
