import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from competition.models import EntryStatus, StatusChange
from competition.selectors.screening import checklist_is_clean, screening_checklist
from competition.services.screening import entries_bulk_pass, entry_screen
from competition.views import organiser as organiser_views
from tests import factories as f


@pytest.fixture
def competition(db):
    competition = f.CompetitionFactory(year=2026)
    f.CompetitionGroupFactory(competition=competition)
    f.SectionSpecFactory(
        competition=competition, key="ringkasan", label="Ringkasan", word_limit=10, order=1
    )
    f.AttachmentKindFactory(competition=competition, key="sk", label="SK inovator", required=True)
    f.AttachmentKindFactory(
        competition=competition, key="foto", label="Foto", required=False, allowed_types=["image"]
    )
    return competition


def submitted_entry(
    competition,
    agency=None,
    text="Posko layanan kesehatan keliling kelurahan.",
    with_attachment=True,
    **kwargs,
):
    innovation = f.InnovationFactory(agency=agency or f.AgencyFactory(), **kwargs)
    entry = f.EntryFactory(
        competition=competition,
        innovation=innovation,
        status=EntryStatus.SUBMITTED,
        declaration_accepted=True,
        reference=f"KIPP-2026-{innovation.pk:04d}",
        submitted_at=timezone.now(),
    )
    f.EntryAnswerFactory(entry=entry, section=competition.sections.get(key="ringkasan"), text=text)
    if with_attachment:
        f.AttachmentFactory(entry=entry, kind=competition.attachment_kinds.get(key="sk"))
    return entry


# The checklist


def test_screening_checklist_is_clean_for_a_complete_entry(competition):
    entry = submitted_entry(competition)

    items = screening_checklist(entry)

    assert checklist_is_clean(items)
    keys = [i.key for i in items]
    assert "section:ringkasan" in keys
    assert "attachment:sk" in keys
    assert "attachment:foto" not in keys  # optional kinds are not checked
    assert {"innovation", "title", "declaration", "awards"} <= set(keys)
    assert next(i for i in items if i.key == "manual:serious").ok is None


def test_screening_checklist_flags_what_is_missing(competition, agency_a):
    entry = submitted_entry(
        competition,
        agency=agency_a,
        text=" ".join(["kata"] * 11),
        with_attachment=False,
        started_on=timezone.localdate() - dt.timedelta(days=100),
    )
    f.AwardFactory(innovation=entry.innovation, level="city", is_top_winner=True, year=2024)

    items = {i.key: i for i in screening_checklist(entry)}

    assert not checklist_is_clean(items.values())
    assert items["section:ringkasan"].ok is False
    assert "11 kata" in items["section:ringkasan"].detail
    assert items["attachment:sk"].ok is False
    assert items["innovation"].ok is False
    assert items["awards"].ok is False
    assert items["declaration"].ok is True


def test_screening_checklist_flags_a_duplicate_title(competition):
    first = submitted_entry(competition, title="Posko Paman")
    submitted_entry(competition, title="posko   PAMAN")

    items = {i.key: i for i in screening_checklist(first)}

    assert items["title"].ok is False


# Outcomes


def test_entry_screen_pass_records_the_change_and_emails_the_opd(
    competition, organiser, staff_a, agency_a, django_capture_on_commit_callbacks
):
    entry = submitted_entry(competition, agency=agency_a, title="Posko Paman")
    f.UserFactory(agency=agency_a, email="nonaktif@example.go.id", is_active=False)
    f.UserFactory(email="lain@example.go.id")

    with django_capture_on_commit_callbacks(execute=True):
        entry_screen(
            entry=entry,
            outcome=EntryStatus.PASSED,
            actor=organiser,
            ticks={"section:ringkasan": True},
        )

    entry.refresh_from_db()
    assert entry.status == EntryStatus.PASSED
    change = StatusChange.objects.get(entry=entry)
    assert (change.from_status, change.to_status, change.actor) == (
        EntryStatus.SUBMITTED,
        EntryStatus.PASSED,
        organiser,
    )
    stored = {i["key"]: i for i in entry.screening_checklist["items"]}
    assert stored["section:ringkasan"]["ticked"] is True
    assert stored["section:ringkasan"]["automatic"] is True
    assert stored["attachment:sk"]["ticked"] is False
    assert entry.screening_checklist["by"] == organiser.pk
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [staff_a.email]
    assert "Lolos seleksi administrasi" in message.subject
    assert entry.reference in message.subject
    assert "Posko Paman" in message.body
    assert reverse("competition:entry_detail", args=[entry.pk]) in message.body


def test_entry_screen_fail_requires_a_reason(competition, organiser):
    entry = submitted_entry(competition)

    with pytest.raises(ValidationError) as excinfo:
        entry_screen(entry=entry, outcome=EntryStatus.FAILED, actor=organiser, reason="  ")

    assert "alasan" in excinfo.value.message_dict["reason"][0]
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED


def test_entry_screen_fail_tells_the_opd_why(
    competition, organiser, staff_a, agency_a, django_capture_on_commit_callbacks
):
    entry = submitted_entry(competition, agency=agency_a)

    with django_capture_on_commit_callbacks(execute=True):
        entry_screen(
            entry=entry,
            outcome=EntryStatus.FAILED,
            actor=organiser,
            reason="SK inovator bukan milik inovasi ini.",
        )

    entry.refresh_from_db()
    assert entry.status == EntryStatus.FAILED
    assert entry.screening_reason == "SK inovator bukan milik inovasi ini."
    assert StatusChange.objects.get(entry=entry).reason == "SK inovator bukan milik inovasi ini."
    assert "Tidak lolos seleksi administrasi" in mail.outbox[0].subject
    assert "SK inovator bukan milik inovasi ini." in mail.outbox[0].body


def test_entry_screen_return_requires_a_future_revision_date(competition, organiser):
    entry = submitted_entry(competition)

    with pytest.raises(ValidationError) as missing:
        entry_screen(
            entry=entry, outcome=EntryStatus.RETURNED, actor=organiser, reason="Lengkapi SK."
        )
    with pytest.raises(ValidationError) as past:
        entry_screen(
            entry=entry,
            outcome=EntryStatus.RETURNED,
            actor=organiser,
            reason="Lengkapi SK.",
            revision_due_at=timezone.now() - dt.timedelta(hours=1),
        )

    assert "revision_due_at" in missing.value.message_dict
    assert "masa mendatang" in past.value.message_dict["revision_due_at"][0]
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED


def test_entry_screen_return_sets_what_to_fix_and_the_date(
    competition, organiser, staff_a, agency_a, django_capture_on_commit_callbacks
):
    entry = submitted_entry(competition, agency=agency_a)
    due = timezone.now() + dt.timedelta(days=5)

    with django_capture_on_commit_callbacks(execute=True):
        entry_screen(
            entry=entry,
            outcome=EntryStatus.RETURNED,
            actor=organiser,
            reason="Unggah ulang surat pernyataan yang ditandatangani.",
            revision_due_at=due,
        )

    entry.refresh_from_db()
    assert entry.status == EntryStatus.RETURNED
    assert entry.revision_due_at == due
    assert entry.screening_reason == "Unggah ulang surat pernyataan yang ditandatangani."
    body = mail.outbox[0].body
    assert "Dikembalikan untuk perbaikan" in mail.outbox[0].subject
    assert "Unggah ulang surat pernyataan yang ditandatangani." in body
    assert timezone.localtime(due).strftime("%H:%M") in body


def test_entry_screen_twice_makes_one_change_and_one_email(
    competition, organiser, staff_a, agency_a, django_capture_on_commit_callbacks
):
    entry = submitted_entry(competition, agency=agency_a)

    with django_capture_on_commit_callbacks(execute=True):
        entry_screen(entry=entry, outcome=EntryStatus.PASSED, actor=organiser)
        entry_screen(entry=entry, outcome=EntryStatus.PASSED, actor=organiser)

    assert StatusChange.objects.filter(entry=entry).count() == 1
    assert len(mail.outbox) == 1


def test_entry_screen_refuses_a_draft(competition, organiser):
    entry = submitted_entry(competition)
    entry.status = EntryStatus.DRAFT
    entry.save()

    with pytest.raises(ValidationError) as excinfo:
        entry_screen(entry=entry, outcome=EntryStatus.PASSED, actor=organiser)

    assert "tidak dapat diseleksi" in excinfo.value.messages[0]


@pytest.mark.parametrize("persona", ["staff_a", "judge"])
def test_entry_screen_is_only_for_organisers(competition, persona, request):
    entry = submitted_entry(competition)

    with pytest.raises(PermissionDenied):
        entry_screen(
            entry=entry, outcome=EntryStatus.PASSED, actor=request.getfixturevalue(persona)
        )

    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED


def test_entries_bulk_pass_skips_entries_with_problems(
    competition, organiser, django_capture_on_commit_callbacks
):
    clean = submitted_entry(competition)
    missing_sk = submitted_entry(competition, with_attachment=False)
    already = submitted_entry(competition)
    already.status = EntryStatus.FAILED
    already.save()

    with django_capture_on_commit_callbacks(execute=True):
        result = entries_bulk_pass(entries=[clean, missing_sk, already], actor=organiser)

    assert result.passed == [clean]
    skipped = dict(result.skipped)
    assert [i.key for i in skipped[missing_sk]] == ["attachment:sk"]
    assert skipped[already] == []
    clean.refresh_from_db()
    missing_sk.refresh_from_db()
    assert (clean.status, missing_sk.status) == (EntryStatus.PASSED, EntryStatus.SUBMITTED)


# Views


def test_organiser_entry_detail_shows_the_proposal_read_only(client, organiser, competition):
    entry = submitted_entry(competition, title="Posko Paman", brand_name="Paman")
    f.InnovatorFactory(innovation=entry.innovation, name="dr. Sri Wahyuni")
    f.AwardFactory(innovation=entry.innovation, level="national", year=2019, label="Top 99")
    f.StatusChangeFactory(entry=entry, actor=f.UserFactory(full_name="Staf Puskesmas"))
    attachment = entry.attachments.get()
    client.force_login(organiser)

    response = client.get(reverse("competition:organiser_entry_detail", args=[entry.pk]))

    page = response.content.decode()
    assert "Posko Paman" in page
    assert "Posko layanan kesehatan keliling kelurahan." in page
    assert "5 / 10 kata" in page
    assert "dr. Sri Wahyuni" in page
    assert reverse("competition:attachment_download", args=[attachment.pk]) in page
    assert "Top 99" in page
    assert "Staf Puskesmas" in page
    assert "Semua pemeriksaan otomatis terpenuhi." in page
    assert 'name="outcome"' in page


def test_organiser_entry_detail_escapes_proposal_text(client, organiser, competition):
    entry = submitted_entry(competition, text="<script>alert(1)</script>")
    client.force_login(organiser)

    response = client.get(reverse("competition:organiser_entry_detail", args=[entry.pk]))

    page = response.content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_organiser_entry_detail_shows_award_eligibility_warning(client, organiser, competition):
    entry = submitted_entry(competition)
    f.AwardFactory(
        innovation=entry.innovation, level="city", year=2024, label="Juara I", is_top_winner=True
    )
    client.force_login(organiser)

    response = client.get(reverse("competition:organiser_entry_detail", args=[entry.pk]))

    assert "pernah menjadi pemenang utama" in response.content.decode()


@pytest.mark.parametrize("persona", ["staff_a", "staff_b", "judge"])
def test_organiser_entry_detail_is_404_for_others(client, competition, agency_a, persona, request):
    entry = submitted_entry(competition, agency=agency_a)
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("competition:organiser_entry_detail", args=[entry.pk]))

    assert response.status_code == 404


def test_organiser_entry_detail_sends_anonymous_to_login(client, competition):
    entry = submitted_entry(competition)

    response = client.get(reverse("competition:organiser_entry_detail", args=[entry.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_screen_view_passes_and_a_second_post_changes_nothing(
    client, organiser, competition, agency_a, staff_a, django_capture_on_commit_callbacks
):
    entry = submitted_entry(competition, agency=agency_a)
    client.force_login(organiser)
    url = reverse("competition:organiser_entry_screen", args=[entry.pk])

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, {"outcome": "passed", "tick__section:ringkasan": "on"})
        second = client.post(url, {"outcome": "passed"}, follow=True)

    assert first.status_code == 302
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PASSED
    assert StatusChange.objects.filter(entry=entry).count() == 1
    assert len(mail.outbox) == 1
    assert "sudah diputuskan" in second.content.decode()


def test_screen_view_fail_without_reason_says_what_to_fill(client, organiser, competition):
    entry = submitted_entry(competition)
    client.force_login(organiser)

    response = client.post(
        reverse("competition:organiser_entry_screen", args=[entry.pk]), {"outcome": "failed"}
    )

    assert response.status_code == 400
    assert "Tuliskan alasan proposal tidak lolos." in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED


def test_screen_view_returns_for_revision(client, organiser, competition):
    entry = submitted_entry(competition)
    client.force_login(organiser)
    due = timezone.localtime(timezone.now() + dt.timedelta(days=7)).replace(second=0, microsecond=0)

    client.post(
        reverse("competition:organiser_entry_screen", args=[entry.pk]),
        {
            "outcome": "returned",
            "reason": "Lengkapi data Signifikansi.",
            "revision_due_at": due.strftime("%Y-%m-%dT%H:%M"),
        },
    )

    entry.refresh_from_db()
    assert entry.status == EntryStatus.RETURNED
    assert entry.revision_due_at == due
    assert entry.screening_reason == "Lengkapi data Signifikansi."


@pytest.mark.parametrize("persona", ["staff_a", "judge"])
def test_screen_view_is_404_for_others(client, competition, agency_a, persona, request):
    entry = submitted_entry(competition, agency=agency_a)
    client.force_login(request.getfixturevalue(persona))

    response = client.post(
        reverse("competition:organiser_entry_screen", args=[entry.pk]), {"outcome": "passed"}
    )

    assert response.status_code == 404
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED


def test_bulk_pass_view_confirms_then_passes_only_clean_entries(
    client, organiser, competition, django_capture_on_commit_callbacks
):
    clean = submitted_entry(competition, title="Gayatri")
    unclean = submitted_entry(competition, title="Bapak Samerto", with_attachment=False)
    client.force_login(organiser)
    url = reverse("competition:organiser_bulk_pass")
    data = {"tahun": "2026", "entries": [clean.pk, unclean.pk]}

    confirm = client.post(url, data)
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {**data, "confirm": "1"}, follow=True)

    confirm_page = confirm.content.decode()
    assert "Bersih: akan diloloskan" in confirm_page
    assert "Lampiran wajib ini belum diunggah." in confirm_page
    clean.refresh_from_db()
    unclean.refresh_from_db()
    assert clean.status == EntryStatus.PASSED
    assert unclean.status == EntryStatus.SUBMITTED
    page = done.content.decode()
    assert "1 proposal diloloskan" in page
    assert "1 proposal dilewati" in page


def test_bulk_pass_view_is_404_for_opd_staff(client, staff_a, competition):
    entry = submitted_entry(competition)
    client.force_login(staff_a)

    response = client.post(
        reverse("competition:organiser_bulk_pass"),
        {"tahun": "2026", "entries": [entry.pk], "confirm": "1"},
    )

    assert response.status_code == 404
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED


# The list


def test_organiser_entry_list_filters_and_searches(client, organiser, competition):
    puskesmas = f.AgencyFactory(name="UPT Puskesmas Wates", kind="puskesmas")
    dlh = f.AgencyFactory(name="Dinas Lingkungan Hidup", short_name="DLH")
    paman = submitted_entry(competition, agency=puskesmas, title="Posko Paman")
    samerto = submitted_entry(
        competition, agency=dlh, title="Bayar Pajak Pakai Sampah", brand_name="Bapak Samerto"
    )
    samerto.status = EntryStatus.PASSED
    samerto.save()
    other_year = f.EntryFactory(innovation__title="Inovasi Tahun Lalu")
    client.force_login(organiser)
    url = reverse("competition:organiser_entries")

    everything = client.get(url, {"tahun": 2026}).content.decode()
    by_kind = client.get(url, {"tahun": 2026, "jenis": "puskesmas"}).content.decode()
    by_status = client.get(url, {"tahun": 2026, "status": "passed"}).content.decode()
    by_brand = client.get(url, {"tahun": 2026, "cari": "samerto"}).content.decode()
    by_reference = client.get(url, {"tahun": 2026, "cari": paman.reference}).content.decode()
    by_opd = client.get(url, {"tahun": 2026, "cari": "wates"}).content.decode()

    assert "Posko Paman" in everything and "Bayar Pajak Pakai Sampah" in everything
    assert other_year.innovation.title not in everything
    assert "Posko Paman" in by_kind and "Bayar Pajak" not in by_kind
    assert "Bayar Pajak" in by_status and "Posko Paman" not in by_status
    assert "Bayar Pajak" in by_brand and "Posko Paman" not in by_brand
    assert "Posko Paman" in by_reference and "Bayar Pajak" not in by_reference
    assert "Posko Paman" in by_opd and "Bayar Pajak" not in by_opd


def test_organiser_entry_list_pages_keep_the_filters(client, organiser, competition, monkeypatch):
    monkeypatch.setattr(organiser_views, "PAGE_SIZE", 2)
    for _ in range(5):
        submitted_entry(competition, title="Posko Paman")
    client.force_login(organiser)
    url = reverse("competition:organiser_entries")

    second = client.get(url, {"tahun": 2026, "cari": "paman", "halaman": 2}).content.decode()

    assert "Halaman 2 dari 3" in second
    assert 'href="?tahun=2026&amp;cari=paman&amp;halaman=1"' in second
    assert 'href="?tahun=2026&amp;cari=paman&amp;halaman=3"' in second


def test_status_badge_is_the_same_for_the_opd_and_the_organiser(
    client, organiser, staff_a, agency_a, competition
):
    entry = submitted_entry(competition, agency=agency_a, title="Posko Paman")
    entry.status = EntryStatus.RETURNED
    entry.save()
    badge = '<span class="badge text-bg-warning">Dikembalikan untuk perbaikan</span>'

    client.force_login(organiser)
    listed = client.get(reverse("competition:organiser_entries"), {"tahun": 2026})
    client.force_login(staff_a)
    dashboard = client.get(reverse("competition:opd_dashboard"))

    assert badge in listed.content.decode()
    assert badge in dashboard.content.decode()


def test_organiser_entry_list_says_when_nothing_matches(client, organiser, competition):
    client.force_login(organiser)

    response = client.get(reverse("competition:organiser_entries"), {"tahun": 2026, "cari": "zzz"})

    assert "Tidak ada proposal yang cocok" in response.content.decode()


def test_organiser_entry_list_unknown_year_is_404(client, organiser, competition):
    client.force_login(organiser)

    response = client.get(reverse("competition:organiser_entries"), {"tahun": 1999})

    assert response.status_code == 404


@pytest.mark.parametrize("rows", [1, 25])
def test_organiser_entry_list_query_count_is_fixed(
    client, organiser, competition, rows, django_assert_max_num_queries
):
    for _ in range(rows):
        submitted_entry(competition)
    client.force_login(organiser)

    with django_assert_max_num_queries(10):
        response = client.get(reverse("competition:organiser_entries"), {"tahun": 2026})

    assert response.content.decode().count('name="entries"') == rows


@pytest.mark.parametrize("persona", ["staff_a", "judge"])
def test_organiser_entry_list_is_404_for_others(client, persona, request, competition):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("competition:organiser_entries"))

    assert response.status_code == 404


def test_organiser_entry_list_sends_anonymous_to_login(client, competition):
    response = client.get(reverse("competition:organiser_entries"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_returned_entry_can_only_be_failed_on_the_screening_form(client, organiser, competition):
    entry = submitted_entry(competition)
    entry_screen(
        entry=entry,
        outcome=EntryStatus.RETURNED,
        actor=organiser,
        reason="Lengkapi SK.",
        revision_due_at=timezone.now() + dt.timedelta(days=3),
    )
    client.force_login(organiser)

    page = client.get(reverse("competition:organiser_entry_detail", args=[entry.pk]))
    refused = client.post(
        reverse("competition:organiser_entry_screen", args=[entry.pk]), {"outcome": "passed"}
    )

    assert 'value="failed"' in page.content.decode()
    assert 'value="passed"' not in page.content.decode()
    assert refused.status_code == 400
    entry.refresh_from_db()
    assert entry.status == EntryStatus.RETURNED
