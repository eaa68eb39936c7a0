"""Every list a user narrows, through its view: the row asked for and no other; a value that
does not validate narrows nothing, is named on the page in Indonesian, and never fails."""

import pytest
from django.urls import reverse
from django.utils import timezone

from competition.models import EntryStatus, GroupCode
from competition.models.facts import innovation_facts
from opd.models import AgencyKind
from outbox.models import Mail, MailStatus
from tests import factories as f

ENTRIES = reverse("competition:organiser_entries")
EXPORTS = reverse("competition:exports")
INNOVATIONS = reverse("competition:innovation_list")
CATALOGUE = reverse("competition:public_catalogue")
OUTBOX = reverse("competition:outbox")
REFUSED = "Saringan berikut tidak dipakai karena nilainya tidak sah"
TOO_LONG = "x" * 101


@pytest.fixture
def competition(db):
    return f.CompetitionFactory(year=2026)


def submitted(competition, title, **kwargs):
    """A submitted entry whose judged facts were frozen at submission."""
    agency = kwargs.pop("agency", None) or f.AgencyFactory()
    innovation = f.InnovationFactory(agency=agency, title=title, **kwargs)
    return f.EntryFactory(
        competition=competition,
        innovation=innovation,
        status=EntryStatus.SUBMITTED,
        reference=f"KIPP-2026-{innovation.pk:04d}",
        facts=innovation_facts(innovation),
    )


@pytest.fixture
def two_entries(competition):
    """ "Posko Paman" (a puskesmas, category and group of its own) and "Bayar Pajak Sampah"."""
    puskesmas = f.AgencyFactory(name="UPT Puskesmas Wates", short_name="PKM Wates")
    puskesmas.kind = AgencyKind.PUSKESMAS
    puskesmas.save()
    paman = submitted(
        competition, "Posko Paman", agency=puskesmas, brand_long_form="Pos Kesehatan Mandiri"
    )
    sampah = submitted(competition, "Bayar Pajak Sampah")
    sampah.group = f.CompetitionGroupFactory(competition=competition, code=GroupCode.REPLIKASI)
    sampah.status = EntryStatus.PASSED
    sampah.save()
    return paman, sampah


# One entry search for every entry list: what each list prints (the judged facts, frozen at
# submission), the reference number, the brand's long form and the OPD by either name.


@pytest.mark.parametrize("url", [ENTRIES, EXPORTS])
@pytest.mark.parametrize("term", ["reference", "Dikirim", "mandiri", "pkm wates", "wates paman"])
def test_entry_lists_share_one_search(client, organiser, two_entries, url, term):
    paman, _sampah = two_entries
    paman.facts["title"] = "Posko Paman Saat Dikirim"
    paman.save()
    paman.innovation.title = "Judul Sesudah Diubah"
    paman.innovation.save()
    client.force_login(organiser)
    term = paman.reference if term == "reference" else term

    text = client.get(url, {"tahun": 2026, "cari": term}).content.decode()

    assert "Posko Paman Saat Dikirim" in text
    assert "Bayar Pajak Sampah" not in text


def test_entry_search_needs_every_word(client, organiser, two_entries):
    client.force_login(organiser)

    text = client.get(ENTRIES, {"tahun": 2026, "cari": "posko sampah"}).content.decode()

    assert "Posko Paman" not in text and "Bayar Pajak Sampah" not in text


@pytest.mark.parametrize("param", ["opd", "kategori", "kelompok", "jenis", "status"])
def test_organiser_entry_list_filters(client, organiser, two_entries, param):
    paman, sampah = two_entries
    value = {
        "opd": paman.agency_id,
        "kategori": paman.category_id,
        "kelompok": GroupCode.REPLIKASI,
        "jenis": AgencyKind.PUSKESMAS,
        "status": EntryStatus.PASSED,
    }[param]
    wanted, other = (sampah, paman) if param in {"kelompok", "status"} else (paman, sampah)
    client.force_login(organiser)

    text = client.get(ENTRIES, {"tahun": 2026, param: value}).content.decode()

    assert wanted.innovation.title in text
    assert other.innovation.title not in text
    assert REFUSED not in text


@pytest.mark.parametrize(
    "params",
    [
        {"opd": "abc"},
        {"opd": 999999},
        {"kategori": "x"},
        {"kelompok": "lain"},
        {"jenis": "kecamatan-x"},
        {"status": "bogus"},
        {"cari": TOO_LONG},
        {"halaman": "terakhir"},
    ],
)
def test_organiser_entry_list_ignores_a_bad_value(client, organiser, two_entries, params):
    client.force_login(organiser)

    response = client.get(ENTRIES, {"tahun": 2026, **params})

    text = response.content.decode()
    assert response.status_code == 200
    assert "Posko Paman" in text and "Bayar Pajak Sampah" in text
    assert (REFUSED in text) == ("halaman" not in params)


def test_organiser_entry_list_names_the_refused_filter(client, organiser, two_entries):
    client.force_login(organiser)

    text = client.get(ENTRIES, {"tahun": 2026, "status": "bogus"}).content.decode()

    assert (
        "<li>Status: Masukkan pilihan yang valid. bogus bukan salah satu dari pilihan yang "
        "tersedia.</li>"
    ) in text


def test_export_list_ignores_a_too_long_search(client, organiser, two_entries):
    client.force_login(organiser)

    response = client.get(EXPORTS, {"tahun": 2026, "cari": TOO_LONG, "halaman": "x"})

    text = response.content.decode()
    assert response.status_code == 200
    assert REFUSED in text
    assert "Posko Paman" in text and "Bayar Pajak Sampah" in text


# The OPD's own innovations: the innovation search, on the innovation as it is now.


def test_innovation_list_searches_the_brand_long_form(client_a, agency_a):
    f.InnovationFactory(agency=agency_a, title="Posko Paman", brand_long_form="Pos Mandiri")
    f.InnovationFactory(agency=agency_a, title="Bayar Pajak Sampah")

    text = client_a.get(INNOVATIONS, {"cari": "mandiri"}).content.decode()

    assert "Posko Paman" in text
    assert "Bayar Pajak Sampah" not in text


def test_innovation_list_ignores_a_bad_value(client_a, agency_a):
    f.InnovationFactory(agency=agency_a, title="Posko Paman")

    response = client_a.get(INNOVATIONS, {"cari": TOO_LONG, "halaman": "-1"})

    text = response.content.decode()
    assert response.status_code == 200
    assert REFUSED in text
    assert "Posko Paman" in text


# The public catalogue (its filters are tested one by one in test_catalogue.py).


@pytest.mark.parametrize(
    "params",
    [{"tahun": "abc"}, {"tahun": 1990}, {"opd": "abc"}, {"kategori": "Tidak Ada"}, {"sdg": 99}],
)
def test_catalogue_ignores_a_bad_value(client, db, params):
    f.EntryFactory(
        innovation=f.InnovationFactory(in_catalogue=True, title="Posko Paman"),
        competition=f.CompetitionFactory(year=2025),
        status=EntryStatus.PASSED,
    )

    response = client.get(CATALOGUE, params)

    text = response.content.decode()
    assert response.status_code == 200
    assert REFUSED in text
    assert "Posko Paman" in text


def test_catalogue_year_and_category_narrow_the_same_entry(client, db):
    innovation = f.InnovationFactory(in_catalogue=True, title="Posko Paman")
    f.EntryFactory(
        innovation=innovation,
        competition=f.CompetitionFactory(year=2024),
        status=EntryStatus.PASSED,
        category__name="Kesehatan",
    )
    f.EntryFactory(
        innovation=innovation,
        competition=f.CompetitionFactory(year=2025),
        status=EntryStatus.PASSED,
        category__name="Lingkungan",
    )

    both = client.get(CATALOGUE, {"tahun": 2025, "kategori": "Lingkungan"}).content.decode()
    crossed = client.get(CATALOGUE, {"tahun": 2025, "kategori": "Kesehatan"}).content.decode()

    assert "Posko Paman" in both
    assert "Posko Paman" not in crossed


# Kotak keluar: the mail search, and a status that is not one.


def _mail(status, to_email, subject="Proposal diterima"):
    return Mail.objects.create(
        to_email=to_email,
        subject=subject,
        body="Isi",
        language="id",
        status=status,
        next_attempt_at=timezone.now(),
    )


def test_outbox_search_needs_every_word(client, organiser):
    _mail(MailStatus.SENT, "wates@example.go.id", subject="Proposal KIPP-2026-0001 diterima")
    _mail(MailStatus.SENT, "dlh@example.go.id", subject="Proposal KIPP-2026-0002 diterima")
    client.force_login(organiser)

    text = client.get(OUTBOX, {"cari": "wates 0001"}).content.decode()

    assert "wates@example.go.id" in text
    assert "dlh@example.go.id" not in text


@pytest.mark.parametrize("params", [{"status": "hilang"}, {"cari": TOO_LONG}])
def test_outbox_ignores_a_bad_value(client, organiser, params):
    _mail(MailStatus.SENT, "wates@example.go.id")
    _mail(MailStatus.FAILED, "dlh@example.go.id")
    client.force_login(organiser)

    response = client.get(OUTBOX, {**params, "halaman": "x"})

    text = response.content.decode()
    assert response.status_code == 200
    assert REFUSED in text
    assert "wates@example.go.id" in text and "dlh@example.go.id" in text


# Lists that only page: a page number that is not one shows the first page.


def test_paged_list_ignores_a_bad_page_number(client, organiser, competition):
    f.StageFactory(competition=competition, name="Penilaian Proposal")
    client.force_login(organiser)

    response = client.get(reverse("competition:judging_stages"), {"halaman": "akhir"})

    assert response.status_code == 200
    assert "Penilaian Proposal" in response.content.decode()
