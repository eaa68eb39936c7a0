"""The OPD journey through its pages: innovations, entries, drafts, files, submission."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.files.storage import FileSystemStorage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from competition.models import Attachment, Entry, EntryAnswer, EntryStatus, GroupCode, Innovation
from competition.services import entries as svc
from opd.models import AgencyKind
from tests import factories as f
from tests.uploads import attach, image_bytes, pdf_bytes, upload

NIP = "198001012005011001"


@pytest.fixture
def competition(db):
    return f.CompetitionFactory(open=True)


def innovation_post(agency, **extra):
    data = {
        "title": "Posko Pelayanan Aman",
        "brand_name": "Posko Paman",
        "brand_long_form": "pos kesehatan pelayanan aman",
        "description": "Layanan kesehatan keliling.",
        "agency": agency.pk,
        "started_on": "2022-01-15",
        "trial_on": "",
        "stage": "penerapan",
        "form": "pelayanan_publik",
        "initiator": "perangkat_daerah",
        "sdgs": [],
        "is_published": "on",
        "innovators-TOTAL_FORMS": "2",
        "innovators-INITIAL_FORMS": "0",
        "innovators-MIN_NUM_FORMS": "1",
        "innovators-MAX_NUM_FORMS": "1000",
        "innovators-0-name": "dr. Ayu Lestari",
        "innovators-0-nip": NIP,
        "innovators-0-role": "Ketua",
        "innovators-0-phone": "08123456789",
        "innovators-0-email": "ayu@example.go.id",
        "innovators-1-name": "",
    }
    data.update(extra)
    return data


def editor_post(entry, **answers):
    data = {
        "version": entry.version,
        "category": entry.category_id,
        "video_url": "",
        "action": "save",
    }
    for section in entry.competition.sections.all():
        data[f"section_{section.pk}"] = answers.get(section.key.replace("-", "_"), "")
    return data


# Innovations


def test_innovation_list_shows_empty_state(client_a, competition):
    response = client_a.get(reverse("competition:innovation_list"))

    assert "belum mendaftarkan inovasi" in response.content.decode()


def test_innovation_list_shows_own_and_child_units_innovations_and_searches(
    client_a, agency_a, agency_b, competition
):
    puskesmas = f.AgencyFactory(name="Puskesmas Wates", kind=AgencyKind.PUSKESMAS, parent=agency_a)
    f.InnovationFactory(agency=agency_a, title="Gayatri Layanan Terpadu")
    f.InnovationFactory(agency=puskesmas, title="Posko Paman")
    f.InnovationFactory(agency=agency_b, title="Bapak Samerto")

    innovations = reverse("competition:innovation_list")
    page = client_a.get(innovations).content.decode()
    searched = client_a.get(innovations, {"cari": "posko"}).content.decode()

    assert "Gayatri Layanan Terpadu" in page
    assert "Posko Paman" in page
    assert "Bapak Samerto" not in page
    assert "Posko Paman" in searched
    assert "Gayatri" not in searched
    assert f"Ikut kompetisi {competition.year}" in page


def test_innovation_list_paginates(client_a, agency_a, competition):
    f.InnovationFactory.create_batch(30, agency=agency_a)

    first = client_a.get(reverse("competition:innovation_list"))
    second = client_a.get(reverse("competition:innovation_list"), {"halaman": 2})

    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 5
    assert "Halaman 1 dari 2" in first.content.decode()


def test_innovation_create_saves_innovation_and_innovators(client_a, agency_a, staff_a):
    response = client_a.post(reverse("competition:innovation_create"), innovation_post(agency_a))

    innovation = Innovation.objects.get()
    assert response.url == reverse("competition:innovation_detail", args=[innovation.pk])
    assert (innovation.agency, innovation.created_by, innovation.brand_name) == (
        agency_a,
        staff_a,
        "Posko Paman",
    )
    assert list(innovation.innovators.values_list("name", "nip", "order")) == [
        ("dr. Ayu Lestari", NIP, 0)
    ]


def test_innovation_create_may_pick_a_child_unit_but_not_another_opd(client_a, agency_a, agency_b):
    puskesmas = f.AgencyFactory(name="Puskesmas Gedongan", parent=agency_a)

    client_a.post(reverse("competition:innovation_create"), innovation_post(puskesmas))
    refused = client_a.post(reverse("competition:innovation_create"), innovation_post(agency_b))

    assert list(Innovation.objects.values_list("agency", flat=True)) == [puskesmas.pk]
    assert "agency" in refused.context["form"].errors


def test_innovation_create_requires_one_innovator_with_a_valid_nip(client_a, agency_a):
    no_one = innovation_post(agency_a, **{"innovators-0-name": "", "innovators-0-nip": ""})
    bad_nip = innovation_post(agency_a, **{"innovators-0-nip": "1980-01"})

    first = client_a.post(reverse("competition:innovation_create"), no_one)
    second = client_a.post(reverse("competition:innovation_create"), bad_nip)

    assert "paling sedikit satu inovator" in first.content.decode()
    assert "tepat 18 angka" in second.content.decode()
    assert Innovation.objects.count() == 0
    # What was typed is shown again.
    assert "Posko Pelayanan Aman" in second.content.decode()


def test_innovation_update_changes_fields_and_innovators(client_a, agency_a):
    innovation = f.InnovationFactory(agency=agency_a, title="Lama")
    person = f.InnovatorFactory(innovation=innovation, name="Budi")
    data = innovation_post(
        agency_a,
        title="Baru",
        **{
            "innovators-TOTAL_FORMS": "2",
            "innovators-INITIAL_FORMS": "1",
            "innovators-0-id": person.pk,
            "innovators-0-innovation": innovation.pk,
            "innovators-0-name": "Budi Santoso",
            "innovators-1-name": "Sari",
        },
    )

    client_a.post(reverse("competition:innovation_update", args=[innovation.pk]), data)

    innovation.refresh_from_db()
    assert innovation.title == "Baru"
    assert list(innovation.innovators.values_list("name", flat=True)) == ["Budi Santoso", "Sari"]


def test_innovation_detail_shows_award_history_read_only(client_a, agency_a, competition):
    innovation = f.InnovationFactory(agency=agency_a)
    f.AwardFactory(innovation=innovation, label="Top 45", decree_number="SK-12/2025")

    page = client_a.get(reverse("competition:innovation_detail", args=[innovation.pk]))

    html = page.content.decode()
    assert "Top 45" in html
    assert "SK-12/2025" in html
    assert "award" not in page.context.get("form", {})


# Opening an entry


def test_entry_open_offers_open_groups_without_invitation_only(client_a, agency_a, competition):
    innovation = f.InnovationFactory(agency=agency_a)

    response = client_a.get(reverse("competition:entry_open", args=[innovation.pk]))

    assert list(response.context["form"].fields["group"].queryset) == [
        competition.groups.get(code=GroupCode.UMUM)
    ]


def test_entry_open_creates_the_entry_and_goes_to_the_editor(
    client_a, agency_a, staff_a, competition
):
    innovation = f.InnovationFactory(agency=agency_a)

    response = client_a.post(
        reverse("competition:entry_open", args=[innovation.pk]),
        {
            "group": competition.groups.get(code=GroupCode.UMUM).pk,
            "category": competition.categories.get().pk,
        },
    )

    entry = Entry.objects.get()
    assert response.url == reverse("competition:entry_edit", args=[entry.pk])
    assert (entry.innovation, entry.competition, entry.created_by) == (
        innovation,
        competition,
        staff_a,
    )


def test_entry_open_shows_the_quota_message(client_a, agency_a, db):
    competition = f.CompetitionFactory(open=True, max_entries_per_agency=1)
    f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
    )
    innovation = f.InnovationFactory(agency=agency_a)

    response = client_a.post(
        reverse("competition:entry_open", args=[innovation.pk]),
        {
            "group": competition.groups.get(code=GroupCode.UMUM).pk,
            "category": competition.categories.get().pk,
        },
    )

    assert "batasnya 1 per OPD" in response.content.decode()
    assert Entry.objects.count() == 1


def test_entry_open_twice_goes_to_the_existing_entry(client_a, agency_a, competition):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
    )

    response = client_a.get(reverse("competition:entry_open", args=[entry.innovation.pk]))

    assert response.url == reverse("competition:entry_edit", args=[entry.pk])


# The editor


def test_editor_shows_sections_with_guidance_and_word_counter(client_a, agency_a, competition):
    competition.sections.filter(key="ringkasan").update(guidance="Ringkas dalam 5 kata.")
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
    )
    section = competition.sections.get(key="ringkasan")

    html = client_a.get(reverse("competition:entry_edit", args=[entry.pk])).content.decode()

    assert "Ringkas dalam 5 kata." in html
    assert f'data-word-limit="5" data-counter="count-{section.pk}"' in html
    assert f'id="count-{section.pk}" data-template="{{n}} / {{limit}} kata"' in html
    assert html.index("Ringkasan") < html.index("Latar Belakang")
    assert 'enctype="multipart/form-data"' in html


def test_editor_saves_a_draft_even_over_limit_with_a_warning(client_a, agency_a, competition):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
    )

    response = client_a.post(
        reverse("competition:entry_edit", args=[entry.pk]),
        editor_post(entry, ringkasan="satu dua tiga empat lima enam", latar_belakang=""),
        follow=True,
    )

    html = response.content.decode()
    assert "Draf disimpan." in html
    assert "6 kata, melebihi batas 5 kata" in html
    answer = EntryAnswer.objects.get(entry=entry, section__key="ringkasan")
    assert answer.word_count == 6
    entry.refresh_from_db()
    assert entry.version == 2


def test_editor_refuses_a_stale_tab_and_shows_the_typed_text_again(
    client_a, agency_a, staff_a, competition
):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
    )
    stale = editor_post(entry, ringkasan="teks dari tab lama")
    svc.entry_save_draft(entry=entry, user=staff_a, version=1, answers={}, video_url="")

    response = client_a.post(reverse("competition:entry_edit", args=[entry.pk]), stale)

    html = response.content.decode()
    assert "sudah diubah di tab atau oleh pengguna lain" in html
    assert "teks dari tab lama" in html
    assert not EntryAnswer.objects.filter(text="teks dari tab lama").exists()
    assert response.context["form"]["version"].value() == 2


def test_editor_uploads_files_with_the_save(client_a, agency_a, competition):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
    )
    data = editor_post(entry, ringkasan="ringkas")
    data[f"file_{competition.attachment_kinds.get(key='sk').pk}"] = upload(
        "SK Tim.pdf", pdf_bytes(), "application/pdf"
    )

    client_a.post(reverse("competition:entry_edit", args=[entry.pk]), data)

    attachment = Attachment.objects.get()
    assert (attachment.original_name, attachment.content_type) == ("SK Tim.pdf", "application/pdf")
    html = client_a.get(reverse("competition:entry_edit", args=[entry.pk])).content.decode()
    assert "SK Tim.pdf" in html
    assert reverse("competition:attachment_download", args=[attachment.pk]) in html


def files_post(entry, competition, photos: int) -> dict:
    data = editor_post(entry, ringkasan="ringkas")
    data[f"file_{competition.attachment_kinds.get(key='sk').pk}"] = upload(
        "SK Tim.pdf", pdf_bytes(), "application/pdf"
    )
    data[f"file_{competition.attachment_kinds.get(key='foto').pk}"] = [
        upload(f"foto-{n}.png", image_bytes()) for n in range(photos)
    ]
    return data


def test_editor_stores_the_files_of_one_save_under_one_lock(client_a, agency_a, competition):
    """A further file of a save costs no further query: the entry is locked, the kinds
    counted, the rows inserted and the transaction committed once for all of them."""
    one, three = (
        f.EntryFactory(
            competition=competition,
            innovation__agency=agency_a,
            category=competition.categories.first(),
        )
        for _ in range(2)
    )
    queries = {}
    for entry, photos in ((one, 0), (three, 2)):
        url = reverse("competition:entry_edit", args=[entry.pk])
        with CaptureQueriesContext(connection) as captured:
            response = client_a.post(url, files_post(entry, competition, photos))
        assert response.status_code == 302
        queries[photos] = [q["sql"] for q in captured.captured_queries]

    assert len(queries[2]) == len(queries[0])
    assert sorted(three.attachments.values_list("original_name", flat=True)) == [
        "SK Tim.pdf",
        "foto-0.png",
        "foto-1.png",
    ]


def test_editor_stores_the_other_files_when_one_is_over_its_kind_limit(
    client_a, agency_a, competition
):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
    )

    response = client_a.post(
        reverse("competition:entry_edit", args=[entry.pk]), files_post(entry, competition, 3)
    )

    html = response.content.decode()
    assert "“foto-2.png” tidak diunggah" in html
    assert "paling banyak 2" in html
    assert sorted(entry.attachments.values_list("original_name", flat=True)) == [
        "SK Tim.pdf",
        "foto-0.png",
        "foto-1.png",
    ]


def test_editor_marks_a_refused_field_for_the_screen_reader(client_a, agency_a, competition):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
    )
    data = editor_post(entry) | {"video_url": "https://contoh.go.id/video"}

    response = client_a.post(reverse("competition:entry_edit", args=[entry.pk]), data)

    html = response.content.decode()
    assert 'class="form-control is-invalid"' in html
    assert 'aria-describedby="id_video_url_helptext id_video_url_error"' in html
    assert '<div id="id_video_url_error" class="invalid-feedback">' in html
    assert "Tautan video harus alamat YouTube" in html


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("sk.pdf", b"<html><script>alert(1)</script></html>", "bukan PDF, JPEG atau PNG"),
        ("sk.pdf", b"", "kosong"),
        ("../../x.pdf", b"%PDF-1.4\n<html></html>", "bukan PDF yang utuh"),
    ],
)
def test_editor_refuses_a_hostile_file_and_keeps_the_text(
    client_a, agency_a, competition, name, content, message
):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
    )
    data = editor_post(entry, ringkasan="teks saya aman")
    data[f"file_{competition.attachment_kinds.get(key='sk').pk}"] = upload(name, content)

    response = client_a.post(reverse("competition:entry_edit", args=[entry.pk]), data)

    html = response.content.decode()
    assert message in html
    assert "teks saya aman" in html
    assert Attachment.objects.count() == 0
    assert EntryAnswer.objects.get(entry=entry, section__key="ringkasan").text == "teks saya aman"


def test_editor_refuses_a_photo_bomb_for_the_photo_kind(client_a, agency_a, competition):
    from tests.competition.test_opd_uploads import png_header_only

    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
    )
    data = editor_post(entry)
    data[f"file_{competition.attachment_kinds.get(key='foto').pk}"] = upload(
        "foto.png", png_header_only(40000, 40000)
    )

    response = client_a.post(reverse("competition:entry_edit", args=[entry.pk]), data)

    assert "terlalu besar ukuran pikselnya" in response.content.decode()
    assert Attachment.objects.count() == 0


def test_editor_disk_full_gives_a_clear_message_and_keeps_the_text(
    client_a, agency_a, competition, monkeypatch
):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
    )
    data = editor_post(entry, ringkasan="jangan sampai hilang")
    data[f"file_{competition.attachment_kinds.get(key='sk').pk}"] = upload("sk.pdf", pdf_bytes())

    def disk_full(self, name, content):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", disk_full)
    response = client_a.post(reverse("competition:entry_edit", args=[entry.pk]), data)

    html = response.content.decode()
    assert "gagal disimpan di server" in html
    assert "jangan sampai hilang" in html
    assert Attachment.objects.count() == 0


def test_editor_after_session_timeout_returns_to_the_draft_with_the_text(
    client, staff_a, agency_a, competition
):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
    )
    url = reverse("competition:entry_edit", args=[entry.pk])

    response = client.post(url, editor_post(entry, ringkasan="diketik sebelum sesi habis"))
    login_url = f"{reverse('login')}?next={url}"
    client.force_login(staff_a)
    page = client.get(url)

    assert response.url == login_url
    html = page.content.decode()
    assert "diketik sebelum sesi habis" in html
    assert "Sesi Anda sempat berakhir" in html
    assert not EntryAnswer.objects.filter(entry=entry).exists()


def test_editor_of_a_submitted_entry_redirects_to_the_read_only_page(
    client_a, agency_a, staff_a, competition
):
    entry = svc.entry_submit(
        entry=f.EntryFactory(
            competition=competition,
            innovation__agency=agency_a,
            category=competition.categories.first(),
            complete=True,
        ),
        user=staff_a,
    )

    response = client_a.get(reverse("competition:entry_edit", args=[entry.pk]))

    assert response.url == reverse("competition:entry_detail", args=[entry.pk])


def test_editor_post_after_the_deadline_is_refused_but_shows_the_text(
    client, staff_a, agency_a, competition
):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
    )
    data = editor_post(entry, ringkasan="terlambat sedikit")

    with time_machine.travel(competition.submission_closes_at, tick=False):
        client.force_login(staff_a)
        response = client.post(reverse("competition:entry_edit", args=[entry.pk]), data)

    html = response.content.decode()
    assert "Pendaftaran telah ditutup" in html
    assert "terlambat sedikit" in html
    assert not EntryAnswer.objects.filter(entry=entry).exists()


# Submission


def test_submit_page_says_what_is_missing_section_by_section(client_a, agency_a, competition):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
    )
    EntryAnswer.objects.create(
        entry=entry,
        section=competition.sections.get(key="ringkasan"),
        text="satu dua tiga empat lima enam",
        word_count=6,
    )

    response = client_a.get(reverse("competition:entry_submit", args=[entry.pk]))

    html = response.content.decode()
    rows = {section.key: issues for section, _words, issues in response.context["section_rows"]}
    assert "6 kata, batasnya 5 kata" in rows["ringkasan"][0]
    assert "wajib diisi" in rows["latar-belakang"][0]
    kinds = {kind.key: issues for kind, _present, issues in response.context["kind_rows"]}
    assert kinds["sk"] == ["Lampiran wajib ini belum diunggah."]
    assert kinds["foto"] == []
    assert "Centang pernyataan" in html
    assert "Kirim proposal" not in html


def test_submit_makes_a_reference_receipt_and_email(
    client_a, agency_a, staff_a, competition, django_capture_on_commit_callbacks
):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
        complete=True,
    )
    url = reverse("competition:entry_submit", args=[entry.pk])
    assert "Kirim proposal" in client_a.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(url, follow=True)

    reference = f"KIPP-{competition.year}-0001"
    assert response.redirect_chain[-1][0] == reverse("competition:entry_receipt", args=[entry.pk])
    html = response.content.decode()
    assert reference in html
    assert "Tanda terima proposal" in html
    assert len(mail.outbox) == 1
    assert reference in mail.outbox[0].body
    assert Entry.objects.get().status == EntryStatus.SUBMITTED


def test_submit_locks_and_reads_the_entry_once(
    client_a, agency_a, competition, django_assert_num_queries
):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
        complete=True,
    )

    # The status change writes on the row the submission locked, not on a second read of it.
    with django_assert_num_queries(19):
        response = client_a.post(reverse("competition:entry_submit", args=[entry.pk]))

    assert response.url == reverse("competition:entry_receipt", args=[entry.pk])
    assert Entry.objects.get().status == EntryStatus.SUBMITTED
    assert [(c.from_status, c.to_status) for c in entry.status_changes.all()] == [
        (EntryStatus.DRAFT, EntryStatus.SUBMITTED)
    ]
    assert entry.history.count() == 2


def test_receipt_prints_the_title_frozen_at_submission(client_a, agency_a, staff_a, competition):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
        complete=True,
    )
    title = entry.innovation.title
    svc.entry_submit(entry=entry, user=staff_a)
    Innovation.objects.filter(pk=entry.innovation_id).update(title="Judul sesudah dikirim")

    html = client_a.get(reverse("competition:entry_receipt", args=[entry.pk])).content.decode()

    assert title in html
    assert "Judul sesudah dikirim" not in html
    assert agency_a.name in html


def test_double_click_on_submit_makes_one_submission(client_a, agency_a, competition):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
        complete=True,
    )
    url = reverse("competition:entry_submit", args=[entry.pk])

    client_a.post(url)
    second = client_a.post(url, follow=True)

    assert "sudah dikirim; berikut tanda terimanya" in second.content.decode()
    assert entry.status_changes.count() == 1


def test_submit_with_problems_stays_and_lists_them(client_a, agency_a, competition):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
    )

    response = client_a.post(reverse("competition:entry_submit", args=[entry.pk]))

    assert "Proposal belum dapat dikirim" in response.content.decode()
    assert Entry.objects.get().status == EntryStatus.DRAFT


def test_submit_after_the_deadline_is_refused_whatever_the_browser_sends(
    client, staff_a, agency_a, competition
):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
        complete=True,
    )

    with time_machine.travel(competition.submission_closes_at, tick=False):
        client.force_login(staff_a)
        response = client.post(reverse("competition:entry_submit", args=[entry.pk]))

    assert "Pendaftaran telah ditutup" in response.content.decode()
    assert Entry.objects.get().status == EntryStatus.DRAFT


def test_withdraw_asks_then_returns_the_entry_to_draft(client_a, agency_a, staff_a, competition):
    entry = svc.entry_submit(
        entry=f.EntryFactory(
            competition=competition,
            innovation__agency=agency_a,
            category=competition.categories.first(),
            complete=True,
        ),
        user=staff_a,
    )
    url = reverse("competition:entry_withdraw", args=[entry.pk])

    confirm = client_a.get(url)
    response = client_a.post(url)

    assert "Tarik kembali pengiriman?" in confirm.content.decode()
    assert response.url == reverse("competition:entry_edit", args=[entry.pk])
    entry.refresh_from_db()
    assert (entry.status, entry.reference) == (EntryStatus.DRAFT, f"KIPP-{competition.year}-0001")


def test_withdraw_after_the_deadline_is_refused(client, agency_a, staff_a, competition):
    entry = svc.entry_submit(
        entry=f.EntryFactory(
            competition=competition,
            innovation__agency=agency_a,
            category=competition.categories.first(),
            complete=True,
        ),
        user=staff_a,
    )

    with time_machine.travel(competition.submission_closes_at + dt.timedelta(hours=1)):
        client.force_login(staff_a)
        response = client.post(reverse("competition:entry_withdraw", args=[entry.pk]), follow=True)

    assert "pengiriman tidak dapat ditarik" in response.content.decode()
    assert Entry.objects.get().status == EntryStatus.SUBMITTED


# Attachments


def test_download_is_an_attachment_with_the_safe_name_and_nosniff(client_a, agency_a, competition):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
    )
    attachment = attach(
        entry=entry,
        kind=competition.attachment_kinds.get(key="sk"),
        upload=upload("../../Laporan\u202eFDP.pdf", pdf_bytes()),
        user=None,
    )

    response = client_a.get(reverse("competition:attachment_download", args=[attachment.pk]))

    assert response["Content-Disposition"] == 'attachment; filename="LaporanFDP.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    response.close()


def test_delete_attachment_asks_then_deletes(client_a, agency_a, competition):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
    )
    attachment = attach(
        entry=entry,
        kind=competition.attachment_kinds.get(key="foto"),
        upload=upload("foto.png", image_bytes()),
        user=None,
    )
    url = reverse("competition:attachment_delete", args=[attachment.pk])

    confirm = client_a.get(url)
    response = client_a.post(url)

    assert "Hapus lampiran?" in confirm.content.decode()
    assert response.url == reverse("competition:entry_edit", args=[entry.pk])
    assert Attachment.objects.count() == 0


def test_delete_attachment_of_a_submitted_entry_is_refused(
    client_a, agency_a, staff_a, competition
):
    entry = svc.entry_submit(
        entry=f.EntryFactory(
            competition=competition,
            innovation__agency=agency_a,
            category=competition.categories.first(),
            complete=True,
        ),
        user=staff_a,
    )

    client_a.post(reverse("competition:attachment_delete", args=[entry.attachments.get().pk]))

    assert Attachment.objects.count() == 1


# Dashboard


def test_home_sends_opd_staff_to_their_dashboard(client_a):
    response = client_a.get(reverse("home"))

    assert response.url == reverse("competition:opd_dashboard")


def test_dashboard_shows_entries_status_reason_and_countdown(
    client, agency_a, staff_a, organiser, competition
):
    from competition.services.status import entry_set_status

    draft = f.EntryFactory(
        competition=competition,
        category=competition.categories.first(),
        innovation=f.InnovationFactory(agency=agency_a),
    )
    returned = svc.entry_submit(
        entry=f.EntryFactory(
            competition=competition,
            innovation__agency=agency_a,
            category=competition.categories.first(),
            complete=True,
        ),
        user=staff_a,
    )
    entry_set_status(
        entry=returned,
        to_status=EntryStatus.RETURNED,
        actor=organiser,
        screening_reason="SK inovator belum ditandatangani.",
        revision_due_at=competition.submission_closes_at + dt.timedelta(days=3),
    )
    closes = competition.submission_closes_at

    with time_machine.travel(closes - dt.timedelta(days=2, hours=5, minutes=10), tick=False):
        client.force_login(staff_a)
        html = client.get(reverse("competition:opd_dashboard")).content.decode()

    assert draft.innovation.title in html
    assert returned.innovation.title in html
    assert "SK inovator belum ditandatangani." in html
    assert "Menunggu perbaikan dari Anda" in html
    assert "Menunggu Anda melengkapi" in html
    assert "2 hari 5 jam lagi" in html
    assert f'data-deadline="{timezone.localtime(closes).isoformat()}"' in html
    assert reverse("competition:innovation_list") in html


def test_dashboard_without_entries_explains_what_to_do(client_a, competition):
    html = client_a.get(reverse("competition:opd_dashboard")).content.decode()

    assert "belum memiliki proposal tahun ini" in html


def test_closed_competition_offers_no_entry_button(client_a, agency_a, db):
    competition = f.CompetitionFactory(
        open=True,
        submission_closes_at=timezone.now() - dt.timedelta(hours=1),
        submission_opens_at=timezone.now() - dt.timedelta(days=30),
    )
    f.InnovationFactory(agency=agency_a)

    html = client_a.get(reverse("competition:innovation_list")).content.decode()

    assert f"Ikut kompetisi {competition.year}" not in html


def test_editor_upload_named_with_a_path_is_stored_safely(client_a, agency_a, competition):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
    )
    data = editor_post(entry)
    data[f"file_{competition.attachment_kinds.get(key='sk').pk}"] = upload(
        "../../x.pdf", pdf_bytes()
    )

    client_a.post(reverse("competition:entry_edit", args=[entry.pk]), data)

    attachment = Attachment.objects.get()
    assert attachment.original_name == "x.pdf"
    assert attachment.file.name.startswith(f"entries/{competition.year}/{entry.pk}/")
    assert ".." not in attachment.file.name


def test_receipt_of_an_unsubmitted_entry_is_404(client_a, agency_a, competition):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
    )

    response = client_a.get(reverse("competition:entry_receipt", args=[entry.pk]))

    assert response.status_code == 404


def test_innovation_update_keeps_its_creator_and_records_who_changed_it(
    client_a, agency_a, staff_a
):
    creator = f.UserFactory(agency=agency_a, full_name="Staf Lama")
    innovation = f.InnovationFactory(agency=agency_a, title="Lama", created_by=creator)
    person = f.InnovatorFactory(innovation=innovation, name="Budi")
    data = innovation_post(
        agency_a,
        title="Baru",
        **{"innovators-INITIAL_FORMS": "1", "innovators-0-id": person.pk},
    )

    client_a.post(reverse("competition:innovation_update", args=[innovation.pk]), data)

    innovation.refresh_from_db()
    assert (innovation.title, innovation.created_by) == ("Baru", creator)
    assert innovation.history.latest().history_user == staff_a


def test_dashboard_offers_to_continue_a_draft_only_while_it_may_change(
    client, agency_a, staff_a, competition
):
    draft = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
    )
    edit = reverse("competition:entry_edit", args=[draft.pk])
    detail = reverse("competition:entry_detail", args=[draft.pk])

    client.force_login(staff_a)
    before = client.get(reverse("competition:opd_dashboard")).content.decode()
    with time_machine.travel(competition.submission_closes_at + dt.timedelta(hours=1)):
        client.force_login(staff_a)
        after = client.get(reverse("competition:opd_dashboard")).content.decode()

    assert f'href="{edit}"' in before
    assert f'href="{detail}"' not in before
    assert f'href="{edit}"' not in after
    assert f'href="{detail}"' in after
