"""The public catalogue shows what the OPD consents to and the organiser stands behind."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from competition.models import SDG, AwardLevel, EntryStatus, Innovation, innovation_facts
from competition.services.innovations import (
    innovation_catalogue_approve,
    innovation_catalogue_withdraw,
)
from tests import factories as f
from tests.competition.test_opd_views import innovation_post

CATALOGUE = "competition:public_catalogue"


def _vetted(**kwargs):
    """A consenting innovation with an entry that passed screening, approved."""
    innovation = f.InnovationFactory(in_catalogue=True, **kwargs)
    f.EntryFactory(innovation=innovation, status=EntryStatus.PASSED)
    return innovation


def test_new_innovation_does_not_consent_to_the_catalogue_by_default(client, staff_a, agency_a):
    f.CompetitionFactory(open=True)
    client.force_login(staff_a)
    data = innovation_post(agency_a)
    del data["is_published"]

    client.post(reverse("competition:innovation_create"), data)

    assert Innovation.objects.get(title="Posko Pelayanan Aman").is_published is False
    assert f.InnovationFactory().is_published is False


def test_catalogue_hides_unapproved_and_unconsented_innovations(client, db):
    shown = _vetted(title="Posko Paman")
    f.InnovationFactory(title="Belum Disetujui", is_published=True)
    f.InnovationFactory(title="OPD Tidak Setuju", in_catalogue=True, is_published=False)

    text = client.get(reverse(CATALOGUE)).content.decode()

    assert "Posko Paman" in text
    assert reverse("competition:public_catalogue_detail", args=[shown.pk]) in text
    assert "Belum Disetujui" not in text and "OPD Tidak Setuju" not in text


def test_catalogue_page_of_an_unapproved_innovation_is_not_found(client, db):
    hidden = f.InnovationFactory(is_published=True)

    response = client.get(reverse("competition:public_catalogue_detail", args=[hidden.pk]))

    assert response.status_code == 404


def test_catalogue_page_shows_summary_opd_years_awards_and_video(client, db):
    innovation = f.InnovationFactory(in_catalogue=True, title="Posko Paman")
    earlier = f.EntryFactory(
        innovation=innovation,
        competition=f.CompetitionFactory(year=2024),
        status=EntryStatus.FAILED,
    )
    latest = f.EntryFactory(
        innovation=innovation,
        competition=f.CompetitionFactory(year=2025),
        status=EntryStatus.FINALIST,
        video_url="https://youtu.be/dQw4w9WgXcQ",
    )
    section = f.SectionSpecFactory(competition=latest.competition, key="ringkasan")
    f.EntryAnswerFactory(entry=latest, section=section, text="Pos kesehatan keliling kelurahan.")
    f.AwardFactory(innovation=innovation, label="Top 30 Kovablik", year=2025)

    text = client.get(
        reverse("competition:public_catalogue_detail", args=[innovation.pk])
    ).content.decode()

    assert "Posko Paman" in text and innovation.agency.name in text
    assert "Pos kesehatan keliling kelurahan." in text
    assert "2025, 2024" in text
    assert "Top 30 Kovablik" in text
    assert 'href="https://youtu.be/dQw4w9WgXcQ"' in text
    assert earlier.competition.year == 2024


def test_catalogue_page_prints_a_javascript_video_link_as_text(client, db):
    innovation = f.InnovationFactory(in_catalogue=True)
    f.EntryFactory(
        innovation=innovation, status=EntryStatus.PASSED, video_url="javascript:alert(1)"
    )

    text = client.get(
        reverse("competition:public_catalogue_detail", args=[innovation.pk])
    ).content.decode()

    assert 'href="javascript:' not in text
    assert "javascript:alert(1)" in text


@pytest.mark.parametrize("param", ["tahun", "opd", "kategori", "sdg"])
def test_catalogue_filters(client, db, param):
    wanted = f.InnovationFactory(in_catalogue=True, title="Yang Dicari")
    other = f.InnovationFactory(in_catalogue=True, title="Yang Lain")
    wanted_entry = f.EntryFactory(
        innovation=wanted,
        competition=f.CompetitionFactory(year=2025),
        status=EntryStatus.PASSED,
        category__name="Kesehatan",
    )
    f.EntryFactory(
        innovation=other,
        competition=f.CompetitionFactory(year=2024),
        status=EntryStatus.PASSED,
        category__name="Lingkungan",
    )
    wanted.sdgs.add(SDG.objects.get(number=3))
    other.sdgs.add(SDG.objects.get(number=13))
    value = {
        "tahun": 2025,
        "opd": wanted.agency_id,
        "kategori": wanted_entry.category.name,
        "sdg": 3,
    }[param]

    text = client.get(reverse(CATALOGUE), {param: value}).content.decode()

    assert "Yang Dicari" in text
    assert "Yang Lain" not in text


def test_catalogue_empty_state_when_filters_match_nothing(client, db):
    _vetted(title="Posko Paman")

    text = client.get(reverse(CATALOGUE), {"sdg": 17}).content.decode()

    assert "Tidak ada inovasi yang cocok" in text
    assert "Posko Paman" not in text


def test_approval_needs_an_entry_that_passed_screening_or_an_award(organiser, db):
    drafted = f.InnovationFactory()
    f.EntryFactory(innovation=drafted, status=EntryStatus.DRAFT)
    failed = f.InnovationFactory()
    f.EntryFactory(innovation=failed, status=EntryStatus.FAILED)
    awarded = f.InnovationFactory()
    f.AwardFactory(innovation=awarded, level=AwardLevel.PROVINCE)

    for innovation in (drafted, failed):
        with pytest.raises(ValidationError, match="lolos seleksi administrasi"):
            innovation_catalogue_approve(innovation=innovation, actor=organiser)
    approved = innovation_catalogue_approve(innovation=awarded, actor=organiser)

    assert approved.catalogue_approved_by == organiser
    assert drafted.catalogue_approved_at is None


def test_approval_and_withdrawal_are_audited(organiser, db):
    innovation = f.InnovationFactory(is_published=True)
    f.EntryFactory(innovation=innovation, status=EntryStatus.PASSED)

    innovation_catalogue_approve(innovation=innovation, actor=organiser)
    innovation_catalogue_withdraw(innovation=innovation, actor=organiser)

    records = list(innovation.history.order_by("history_date", "history_id"))
    assert [(r.history_user, r.history_change_reason) for r in records[-2:]] == [
        (organiser, "Disetujui untuk katalog publik"),
        (organiser, "Ditarik dari katalog publik"),
    ]
    assert records[-2].catalogue_approved_at is not None
    assert not Innovation.objects.in_catalogue().exists()


def test_organiser_approves_from_the_proposal_page(client, organiser, db):
    innovation = f.InnovationFactory(is_published=True, title="Posko Paman")
    entry = f.EntryFactory(innovation=innovation, status=EntryStatus.PASSED)
    client.force_login(organiser)

    response = client.post(
        reverse("competition:organiser_innovation_catalogue", args=[innovation.pk]),
        {"action": "approve", "entry": entry.pk},
        follow=True,
    )

    text = response.content.decode()
    assert "Inovasi disetujui untuk katalog publik." in text
    assert "Tarik dari katalog" in text
    assert "Posko Paman" in client.get(reverse(CATALOGUE)).content.decode()


def test_opd_staff_cannot_approve_their_own_innovation(client, staff_a, agency_a):
    innovation = f.InnovationFactory(agency=agency_a, is_published=True)
    f.EntryFactory(innovation=innovation, status=EntryStatus.PASSED)
    client.force_login(staff_a)

    response = client.post(
        reverse("competition:organiser_innovation_catalogue", args=[innovation.pk]),
        {"action": "approve"},
    )

    assert response.status_code == 404
    innovation.refresh_from_db()
    assert innovation.catalogue_approved_at is None


def test_opd_sees_that_its_consented_innovation_waits_for_approval(client, staff_a, agency_a):
    innovation = f.InnovationFactory(agency=agency_a, is_published=True)
    client.force_login(staff_a)

    text = client.get(
        reverse("competition:innovation_detail", args=[innovation.pk])
    ).content.decode()

    assert "menunggu persetujuan Bagian Organisasi" in text


def _approved_after_screening(agency):
    """An innovation whose entry passed screening with its facts frozen, approved."""
    innovation = f.InnovationFactory(
        agency=agency,
        in_catalogue=True,
        title="Posko Pelayanan Aman",
        brand_name="",
        brand_long_form="",
        description="Deskripsi lama.",
    )
    entry = f.EntryFactory(
        innovation=innovation,
        status=EntryStatus.PASSED,
        facts=innovation_facts(innovation),
    )
    f.EntryAnswerFactory(entry=entry, section__key="ringkasan", text="Ringkasan yang diperiksa.")
    return innovation, entry


def _edit_innovation(client, staff, innovation):
    client.force_login(staff)
    response = client.post(
        reverse("competition:innovation_update", args=[innovation.pk]),
        innovation_post(
            innovation.agency,
            title="Judul Baru Belum Diperiksa",
            brand_name="",
            brand_long_form="",
            description="Deskripsi baru yang belum diperiksa.",
            started_on="2025-06-01",
        ),
    )
    assert response.status_code == 302
    innovation.refresh_from_db()
    assert innovation.title == "Judul Baru Belum Diperiksa"
    client.logout()


def test_catalogue_keeps_the_vetted_copy_after_the_opd_edits(client, staff_a, agency_a):
    innovation, _entry = _approved_after_screening(agency_a)

    _edit_innovation(client, staff_a, innovation)
    listing = client.get(reverse(CATALOGUE)).content.decode()
    page = client.get(
        reverse("competition:public_catalogue_detail", args=[innovation.pk])
    ).content.decode()

    for text in (listing, page):
        assert "Posko Pelayanan Aman" in text
        assert "Ringkasan yang diperiksa." in text
        assert "Judul Baru Belum Diperiksa" not in text
        assert "belum diperiksa" not in text
    assert "Juni 2025" not in page


def test_catalogue_of_an_award_only_innovation_shows_it_as_approved(
    client, staff_a, agency_a, organiser
):
    innovation = f.InnovationFactory(
        agency=agency_a, is_published=True, title="Posko Pelayanan Aman", brand_name=""
    )
    f.AwardFactory(innovation=innovation, level=AwardLevel.PROVINCE)
    innovation_catalogue_approve(innovation=innovation, actor=organiser)

    _edit_innovation(client, staff_a, innovation)
    text = client.get(reverse(CATALOGUE)).content.decode()

    assert "Posko Pelayanan Aman" in text
    assert "Judul Baru Belum Diperiksa" not in text and "belum diperiksa" not in text


def test_organiser_sees_that_an_approved_innovation_changed(client, staff_a, agency_a, organiser):
    innovation, entry = _approved_after_screening(agency_a)
    detail = reverse("competition:organiser_entry_detail", args=[entry.pk])
    client.force_login(organiser)
    before = client.get(detail).content.decode()

    _edit_innovation(client, staff_a, innovation)
    client.force_login(organiser)
    after = client.get(detail).content.decode()

    assert "diubah sejak disetujui untuk katalog" not in before
    assert "diubah sejak disetujui untuk katalog" in after


def test_catalogue_search_finds_the_vetted_copy_not_the_edit(client, staff_a, agency_a):
    innovation, _entry = _approved_after_screening(agency_a)

    _edit_innovation(client, staff_a, innovation)
    by_new = client.get(reverse(CATALOGUE), {"cari": "Judul Baru"}).content.decode()
    by_vetted = client.get(reverse(CATALOGUE), {"cari": "Pelayanan Aman"}).content.decode()
    by_summary = client.get(reverse(CATALOGUE), {"cari": "yang diperiksa"}).content.decode()

    assert "Tidak ada inovasi yang cocok" in by_new
    assert "Posko Pelayanan Aman" in by_vetted and "Posko Pelayanan Aman" in by_summary
