"""The judged version is the entry's own: a copy of the innovation's facts at submission."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from competition.exports.certificates import certificate_pages
from competition.exports.documents import forwarding_context
from competition.models import AwardLevel, Entry, EntryStatus, Innovation, innovation_facts
from competition.selectors.screening import screening_checklist
from competition.services import entries as svc
from competition.services.screening import entry_screen
from tests import factories as f
from tests.competition.opd_helpers import complete_entry, open_competition, umum
from tests.competition.test_exports import scored_year
from tests.competition.test_opd_views import innovation_post


@pytest.fixture
def competition(db):
    return open_competition(min_age_months=12)


def _submitted(agency, competition, staff, **innovation_fields):
    innovation = f.InnovationFactory(
        agency=agency,
        title="Posko Pelayanan Aman",
        started_on=timezone.localdate() - dt.timedelta(days=800),
        **innovation_fields,
    )
    f.InnovatorFactory(innovation=innovation, name="dr. Ayu Lestari", phone="08123")
    entry = complete_entry(agency, competition, user=staff, innovation=innovation)
    return svc.entry_submit(entry=entry, user=staff)


def _edit_innovation(client, innovation, **changes):
    data = innovation_post(innovation.agency, **changes)
    return client.post(reverse("competition:innovation_update", args=[innovation.pk]), data)


def test_entry_submit_keeps_a_copy_of_the_judged_facts(competition, agency_a, staff_a):
    entry = _submitted(agency_a, competition, staff_a)

    assert entry.facts["title"] == "Posko Pelayanan Aman"
    assert entry.facts["agency"] == {"id": agency_a.pk, "name": agency_a.name}
    assert entry.facts["innovators"][0]["name"] == "dr. Ayu Lestari"
    assert entry.judged.started_on == entry.innovation.started_on


def test_innovation_edited_after_submission_leaves_the_entry_and_checklist_unchanged(
    client, competition, agency_a, staff_a, organiser
):
    entry = _submitted(agency_a, competition, staff_a)
    started = entry.innovation.started_on
    client.force_login(staff_a)

    # A new title and a start date that fails the 12-month rule.
    response = _edit_innovation(
        client,
        entry.innovation,
        title="Judul Baru Setelah Seleksi",
        started_on=(timezone.localdate() - dt.timedelta(days=30)).isoformat(),
    )

    assert response.status_code == 302
    entry = Entry.objects.get(pk=entry.pk)
    assert entry.innovation.title == "Judul Baru Setelah Seleksi"
    assert entry.judged.title == "Posko Pelayanan Aman"
    assert entry.judged.started_on == started
    items = {item.key: item for item in screening_checklist(entry)}
    assert items["innovation"].ok is True
    assert items["title"].ok is True


def test_organiser_sees_the_submitted_facts_and_what_changed_since(
    client, competition, agency_a, staff_a, organiser
):
    entry = _submitted(agency_a, competition, staff_a)
    client.force_login(staff_a)
    _edit_innovation(client, entry.innovation, title="Judul Baru Setelah Seleksi")
    client.force_login(organiser)

    response = client.get(reverse("competition:organiser_entry_detail", args=[entry.pk]))

    html = response.content.decode()
    assert '<h1 class="h3 mb-1">Posko Pelayanan Aman</h1>' in html
    assert "Data inovasi berubah sejak dikirim" in html
    assert "<del>Posko Pelayanan Aman</del>" in html
    assert "<ins>Judul Baru Setelah Seleksi</ins>" in html


def test_organiser_page_shows_no_diff_when_nothing_changed(
    client, competition, agency_a, staff_a, organiser
):
    entry = _submitted(agency_a, competition, staff_a)
    client.force_login(organiser)

    response = client.get(reverse("competition:organiser_entry_detail", args=[entry.pk]))

    assert "Data inovasi berubah sejak dikirim" not in response.content.decode()


def test_screened_entry_keeps_its_facts_in_the_proposal_package(
    competition, agency_a, staff_a, organiser
):
    entry = _submitted(agency_a, competition, staff_a)
    entry_screen(entry=entry, outcome=EntryStatus.PASSED, actor=organiser)
    innovation = entry.innovation
    innovation.title = "Judul Baru"
    innovation.save()
    innovation.innovators.all().delete()

    html = render_to_string("competition/exports/forwarding.html", forwarding_context(entry))

    assert "<h1>Posko Pelayanan Aman</h1>" in html
    assert "dr. Ayu Lestari" in html
    assert "Judul Baru" not in html


def test_resubmission_after_return_refreshes_the_copy(competition, agency_a, staff_a, organiser):
    entry = _submitted(agency_a, competition, staff_a)
    entry_screen(
        entry=entry,
        outcome=EntryStatus.RETURNED,
        actor=organiser,
        reason="Perbaiki judul.",
        revision_due_at=timezone.now() + dt.timedelta(days=3),
    )
    Innovation.objects.filter(pk=entry.innovation_id).update(title="Judul Yang Diperbaiki")
    entry.refresh_from_db()
    # While returned the OPD's changes show: they are what will be resubmitted.
    assert entry.judged.title == "Judul Yang Diperbaiki"

    entry = svc.entry_submit(entry=entry, user=staff_a)

    assert entry.facts["title"] == "Judul Yang Diperbaiki"


def test_innovation_edit_page_tells_the_opd_that_a_sent_entry_keeps_its_facts(
    client, competition, agency_a, staff_a
):
    entry = _submitted(agency_a, competition, staff_a)
    client.force_login(staff_a)

    response = client.get(reverse("competition:innovation_update", args=[entry.innovation_id]))

    html = response.content.decode()
    assert "Perubahan di halaman ini tidak mengubahnya" in html
    assert entry.reference in html


def test_innovation_edit_page_has_no_notice_for_a_draft(client, competition, agency_a, staff_a):
    entry = complete_entry(agency_a, competition, user=staff_a)
    client.force_login(staff_a)

    response = client.get(reverse("competition:innovation_update", args=[entry.innovation_id]))

    assert "Perubahan di halaman ini tidak mengubahnya" not in response.content.decode()


# --- eligibility at "Ikut kompetisi" ------------------------------------------------


def _open(innovation, competition, user):
    return svc.entry_open(
        innovation=innovation,
        competition=competition,
        group=umum(competition),
        category=competition.categories.first(),
        user=user,
    )


def test_entry_open_refuses_an_innovation_too_young(competition, agency_a, staff_a):
    innovation = f.InnovationFactory(
        agency=agency_a, started_on=timezone.localdate() - dt.timedelta(days=60)
    )

    with pytest.raises(ValidationError, match="minimal 12 bulan"):
        _open(innovation, competition, staff_a)
    assert not Entry.objects.filter(innovation=innovation).exists()


def test_entry_open_refuses_a_title_already_entered_this_year(
    competition, agency_a, agency_b, staff_a, staff_b
):
    _submitted(agency_b, competition, staff_b)
    innovation = f.InnovationFactory(agency=agency_a, title="posko  pelayanan AMAN")

    with pytest.raises(ValidationError, match="sudah dipakai proposal lain"):
        _open(innovation, competition, staff_a)


def test_entry_open_refuses_a_past_city_top_winner(competition, agency_a, staff_a):
    innovation = f.InnovationFactory(agency=agency_a)
    f.AwardFactory(
        innovation=innovation, level=AwardLevel.CITY, year=2024, label="Juara I", is_top_winner=True
    )

    with pytest.raises(ValidationError, match="pemenang utama kompetisi kota"):
        _open(innovation, competition, staff_a)


def test_entry_open_page_names_the_problem_before_the_opd_writes(
    client, competition, agency_a, staff_a
):
    innovation = f.InnovationFactory(
        agency=agency_a, started_on=timezone.localdate() - dt.timedelta(days=60)
    )
    client.force_login(staff_a)

    response = client.get(reverse("competition:entry_open", args=[innovation.pk]))
    posted = client.post(
        reverse("competition:entry_open", args=[innovation.pk]),
        {"group": umum(competition).pk, "category": competition.categories.first().pk},
    )

    assert "Inovasi ini belum dapat ikut kompetisi tahun ini" in response.content.decode()
    assert posted.status_code == 200
    assert "minimal 12 bulan" in posted.content.decode()
    assert not Entry.objects.filter(innovation=innovation).exists()


def test_certificates_name_the_innovation_as_submitted(organiser):
    competition, _stage, entries = scored_year(1, organiser)
    innovation = entries[0].innovation
    innovation.title = "Judul Saat Dikirim"
    Entry.objects.filter(pk=entries[0].pk).update(facts=innovation_facts(innovation))
    Innovation.objects.filter(pk=innovation.pk).update(title="Judul Baru")

    pages = certificate_pages(competition)

    assert any("Judul Saat Dikirim" in page for page in pages)
    assert not any("Judul Baru" in page for page in pages)
