import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from competition.models import (
    AttachmentKind,
    Competition,
    CompetitionGroup,
    Criterion,
    GroupCode,
    SectionSpec,
    Stage,
)
from competition.services.setup import (
    competition_copy,
    competition_create_default,
    shift_years,
)
from tests import factories as f

WIB = ZoneInfo("Asia/Jakarta")


def wib(*args):
    return dt.datetime(*args, tzinfo=WIB)


def make_default(year=2028, **kwargs):
    organiser = kwargs.pop("actor", None) or f.OrganiserFactory()
    return competition_create_default(
        year=year,
        name="Kompetisi Inovasi Pelayanan Publik",
        submission_opens_at=wib(year, 3, 1, 8, 0),
        submission_closes_at=wib(year, 4, 30, 23, 59),
        actor=organiser,
        **kwargs,
    )


@pytest.mark.django_db
def test_create_default_builds_the_kipp_format():
    competition = make_default(categories=["Kesehatan", "Lingkungan Hidup"])

    assert competition.min_age_months == 12
    assert competition.forward_quota == 3
    assert competition.stages.filter(criteria__isnull=False).exists()
    groups = {g.code: g for g in competition.groups.all()}
    assert set(groups) == {GroupCode.UMUM, GroupCode.REPLIKASI, GroupCode.KHUSUS}
    assert groups[GroupCode.KHUSUS].invitation_only is True
    assert groups[GroupCode.UMUM].invitation_only is False
    limits = {s.label: s.word_limit for s in competition.sections.all()}
    assert limits == {
        "Ringkasan": 200,
        "Latar Belakang dan Tujuan": 300,
        "Kebaruan / Nilai Tambah": 200,
        "Implementasi Inovasi": 200,
        "Signifikansi": 600,
        "Adaptabilitas: Sudah Direplikasi": 100,
        "Adaptabilitas: Potensi Replikasi": 200,
        "Sumber Daya": 200,
        "Strategi Keberlanjutan": 500,
        "Inspirasi": 100,
        "Proses Replikasi": 200,
        "Faktor Pembeda": 100,
    }
    assert competition.sections.first().label == "Ringkasan"
    inspirasi = competition.sections.get(key="inspirasi")
    assert list(inspirasi.groups.all()) == [groups[GroupCode.REPLIKASI]]
    assert not competition.sections.get(key="ringkasan").groups.exists()
    assert all(s.guidance for s in competition.sections.all())
    required = set(competition.attachment_kinds.filter(required=True).values_list("key", flat=True))
    assert required == {
        "sk-inovator",
        "pernyataan-implementasi",
        "pernyataan-identitas",
        "kesediaan-replikasi",
    }
    photos = competition.attachment_kinds.get(key="foto-sebelum-sesudah")
    assert (photos.required, photos.allowed_types, photos.max_files > 1) == (
        False,
        ["image"],
        True,
    )
    assert list(competition.categories.values_list("name", flat=True)) == [
        "Kesehatan",
        "Lingkungan Hidup",
    ]


@pytest.mark.django_db
def test_create_default_writes_indonesian_labels_whatever_the_language():
    from django.utils import translation

    with translation.override("en"):
        competition = make_default()

    assert competition.sections.filter(label="Latar Belakang dan Tujuan").exists()


@pytest.mark.django_db
def test_create_default_refuses_a_second_competition_for_the_year():
    make_default(year=2028)

    with pytest.raises(ValidationError) as excinfo:
        make_default(year=2028)

    assert "Kompetisi tahun 2028 sudah ada" in excinfo.value.messages[0]
    assert Competition.objects.filter(year=2028).count() == 1


@pytest.mark.django_db
def test_create_default_refuses_a_timeline_out_of_order():
    organiser = f.OrganiserFactory()

    with pytest.raises(ValidationError) as excinfo:
        competition_create_default(
            year=2028,
            name="KIPP",
            submission_opens_at=wib(2028, 5, 1),
            submission_closes_at=wib(2028, 4, 1),
            actor=organiser,
        )

    assert "submission_closes_at" in excinfo.value.message_dict
    assert not Competition.objects.exists()


@pytest.mark.django_db
def test_competition_copy_creates_everything_with_dates_a_year_later(organiser):
    source = make_default(year=2027, categories=["Kesehatan", "Transformasi Digital"])
    source.screening_opens_at = wib(2027, 5, 2, 8, 0)
    source.announcement_at = wib(2027, 8, 17, 9, 0)
    source.prize_first = 15_000_000
    source.min_age_months = 24
    source.max_entries_per_agency = 2
    source.save()
    stage = source.stages.get(order=1)
    Stage.objects.filter(pk=stage.pk).update(
        opens_at=wib(2027, 6, 1, 8, 0),
        closes_at=wib(2027, 6, 20, 16, 0),
        closed_at=wib(2027, 6, 20, 17, 0),
    )
    criteria = list(stage.criteria.values_list("label", "weight"))

    copy = competition_copy(source=source, year=2028, actor=organiser)

    assert copy.year == 2028
    assert copy.pk != source.pk
    assert copy.submission_opens_at == wib(2028, 3, 1, 8, 0)
    assert copy.submission_closes_at == wib(2028, 4, 30, 23, 59)
    assert copy.screening_opens_at == wib(2028, 5, 2, 8, 0)
    assert copy.announcement_at == wib(2028, 8, 17, 9, 0)
    assert (copy.prize_first, copy.min_age_months, copy.max_entries_per_agency) == (
        15_000_000,
        24,
        2,
    )
    assert list(copy.categories.values_list("name", flat=True)) == [
        "Kesehatan",
        "Transformasi Digital",
    ]
    assert copy.groups.count() == 3
    assert copy.sections.count() == source.sections.count() == 12
    inspirasi = copy.sections.get(key="inspirasi")
    assert list(inspirasi.groups.values_list("competition__year", "code")) == [
        (2028, GroupCode.REPLIKASI)
    ]
    assert (
        copy.attachment_kinds.count() == AttachmentKind.objects.filter(competition=source).count()
    )
    assert copy.stages.count() == source.stages.count() >= 2
    new_stage = copy.stages.get(order=1)
    assert (new_stage.opens_at, new_stage.closes_at, new_stage.closed_at) == (
        wib(2028, 6, 1, 8, 0),
        wib(2028, 6, 20, 16, 0),
        None,
    )
    assert criteria
    assert list(new_stage.criteria.values_list("label", "weight")) == criteria
    # The source year is untouched.
    assert Criterion.objects.filter(stage=stage).count() == len(criteria)
    assert SectionSpec.objects.filter(competition=source).count() == 12
    assert copy.history.first().history_user == organiser


@pytest.mark.django_db
def test_competition_copy_refuses_a_year_that_exists(organiser):
    source = make_default(year=2027)
    make_default(year=2028)

    with pytest.raises(ValidationError) as excinfo:
        competition_copy(source=source, year=2028, actor=organiser)

    assert "sudah ada" in excinfo.value.messages[0]
    assert CompetitionGroup.objects.filter(competition__year=2028).count() == 3


def test_shift_years_moves_29_february_to_28_february():
    assert shift_years(wib(2024, 2, 29, 10, 0), 1) == wib(2025, 2, 28, 10, 0)
    assert shift_years(None, 1) is None


# The admin


def competition_post_data(**overrides):
    data = {
        "year": "2029",
        "name": "Kompetisi Inovasi Pelayanan Publik",
        "theme": "",
        "description": "",
        "submission_opens_at_0": "2029-03-01",
        "submission_opens_at_1": "08:00",
        "submission_closes_at_0": "2029-04-30",
        "submission_closes_at_1": "23:59",
        "screening_opens_at_0": "",
        "screening_opens_at_1": "",
        "screening_closes_at_0": "",
        "screening_closes_at_1": "",
        "announcement_at_0": "",
        "announcement_at_1": "",
        "min_age_months": "12",
        "max_entries_per_agency": "",
        "forward_quota": "3",
        "reference_prefix": "KIPP",
        "tie_break_ladder": '["top_criterion", "first_places"]',
        "disagreement_threshold": "15",
        "prize_first": "15000000",
        "prize_second": "10000000",
        "prize_third": "7500000",
        "certificate_template": "",
    }
    for prefix in ("groups", "categories", "sections", "attachment_kinds", "coaches"):
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_admin_add_competition_saves_a_valid_year(client, organiser):
    client.force_login(organiser)

    response = client.post(reverse("admin:competition_competition_add"), competition_post_data())

    assert response.status_code == 302
    competition = Competition.objects.get(year=2029)
    assert competition.submission_opens_at == wib(2029, 3, 1, 8, 0)
    assert competition.tie_break_ladder == ["top_criterion", "first_places"]


@pytest.mark.django_db
def test_admin_refuses_a_second_competition_for_the_year_with_a_clear_message(client, organiser):
    f.CompetitionFactory(year=2029)
    client.force_login(organiser)

    response = client.post(reverse("admin:competition_competition_add"), competition_post_data())

    assert response.status_code == 200
    assert "Kompetisi untuk tahun ini sudah ada" in response.content.decode()
    assert Competition.objects.filter(year=2029).count() == 1


@pytest.mark.django_db
def test_admin_refuses_a_timeline_out_of_order(client, organiser):
    client.force_login(organiser)
    data = competition_post_data(
        screening_opens_at_0="2029-04-01",
        screening_opens_at_1="08:00",
        announcement_at_0="2029-03-15",
        announcement_at_1="08:00",
    )

    response = client.post(reverse("admin:competition_competition_add"), data)

    page = response.content.decode()
    assert "Seleksi administrasi baru dapat dimulai sesudah pendaftaran ditutup." in page
    assert "Pengumuman harus sesudah pendaftaran ditutup" in page
    assert not Competition.objects.exists()


@pytest.mark.django_db
def test_admin_refuses_a_word_limit_of_zero(client, organiser):
    client.force_login(organiser)
    data = competition_post_data(
        **{
            "sections-TOTAL_FORMS": "1",
            "sections-0-order": "1",
            "sections-0-key": "ringkasan",
            "sections-0-label": "Ringkasan",
            "sections-0-guidance": "",
            "sections-0-word_limit": "0",
            "sections-0-required": "on",
        }
    )

    response = client.post(reverse("admin:competition_competition_add"), data)

    assert "Batas kata harus lebih dari nol." in response.content.decode()
    assert not Competition.objects.exists()


@pytest.mark.django_db
def test_admin_attachment_kind_needs_pdf_or_image(client, organiser):
    client.force_login(organiser)
    kind = {
        "attachment_kinds-TOTAL_FORMS": "1",
        "attachment_kinds-0-order": "1",
        "attachment_kinds-0-key": "sk",
        "attachment_kinds-0-label": "SK inovator",
        "attachment_kinds-0-guidance": "",
        "attachment_kinds-0-required": "on",
        "attachment_kinds-0-max_size_mb": "2",
        "attachment_kinds-0-max_files": "1",
    }

    refused = client.post(
        reverse("admin:competition_competition_add"),
        competition_post_data(**kind, **{"attachment_kinds-0-allowed_types": "exe"}),
    )
    accepted = client.post(
        reverse("admin:competition_competition_add"),
        competition_post_data(**kind, **{"attachment_kinds-0-allowed_types": ["pdf", "image"]}),
    )

    assert refused.status_code == 200
    assert "exe" in refused.content.decode()
    assert accepted.status_code == 302
    assert AttachmentKind.objects.get().allowed_types == ["pdf", "image"]


@pytest.mark.django_db
def test_admin_change_form_shows_prizes_in_rupiah_and_copy_button(client, organiser):
    competition = f.CompetitionFactory(year=2028, prize_first=15_000_000)
    client.force_login(organiser)

    response = client.get(reverse("admin:competition_competition_change", args=[competition.pk]))

    page = response.content.decode()
    assert "Rp 15.000.000" in page
    assert "Salin ke tahun 2029" in page


@pytest.mark.django_db
def test_admin_copy_button_creates_next_year(client, organiser):
    source = make_default(year=2028, actor=organiser)
    client.force_login(organiser)

    response = client.post(reverse("admin:competition_competition_copy", args=[source.pk]))

    copy = Competition.objects.get(year=2029)
    assert response["Location"] == reverse("admin:competition_competition_change", args=[copy.pk])
    assert copy.sections.count() == 12


@pytest.mark.django_db
def test_admin_copy_action_reports_a_year_that_exists(client, organiser):
    source = make_default(year=2028, actor=organiser)
    f.CompetitionFactory(year=2029)
    client.force_login(organiser)

    response = client.post(
        reverse("admin:competition_competition_changelist"),
        {"action": "copy_to_next_year", "_selected_action": [source.pk]},
        follow=True,
    )

    assert "Kompetisi tahun 2029 sudah ada" in response.content.decode()
    assert not SectionSpec.objects.filter(competition__year=2029).exists()


@pytest.mark.django_db
def test_admin_create_default_view_builds_a_kipp_competition(client, organiser):
    client.force_login(organiser)
    page = client.get(reverse("admin:competition_competition_create_default"))

    response = client.post(
        reverse("admin:competition_competition_create_default"),
        {
            "year": "2030",
            "name": "Kompetisi Inovasi Pelayanan Publik 2030",
            "theme": "",
            "submission_opens_at": "2030-03-01T08:00",
            "submission_closes_at": "2030-04-30T23:59",
            "categories": "Kesehatan\nLingkungan Hidup\n\nKesehatan",
        },
    )

    assert "format proposal KIPP" in page.content.decode()
    competition = Competition.objects.get(year=2030)
    assert response.status_code == 302
    assert competition.sections.count() == 12
    assert list(competition.categories.values_list("name", flat=True)) == [
        "Kesehatan",
        "Lingkungan Hidup",
    ]


@pytest.mark.django_db
def test_admin_competition_pages_are_closed_to_opd_staff(client, staff_a):
    client.force_login(staff_a)

    response = client.get(reverse("admin:competition_competition_create_default"))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_create_default_for_a_past_year_skips_the_judging_stages(organiser):
    competition = competition_create_default(
        year=2024,
        name="Kompetisi Inovasi Pelayanan Publik",
        submission_opens_at=wib(2024, 3, 1, 8, 0),
        submission_closes_at=wib(2024, 4, 30, 23, 59),
        actor=organiser,
    )

    assert competition.sections.count() == 12
    assert not competition.stages.exists()


@pytest.mark.django_db
def test_admin_list_offers_to_copy_the_latest_year(client, organiser):
    f.CompetitionFactory(year=2027)
    latest = f.CompetitionFactory(year=2028)
    client.force_login(organiser)

    response = client.get(reverse("admin:competition_competition_changelist"))

    page = response.content.decode()
    assert "Salin dari tahun lalu (2028 → 2029)" in page
    assert reverse("admin:competition_competition_copy", args=[latest.pk]) in page
    assert "Buat kompetisi baru dengan format KIPP" in page
