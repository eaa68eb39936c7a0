"""The OPD on a phone: no default group, several photos in one upload, upload errors that
name the file, a photo picker for images only, autosave of drafts, and the home page's
"one agency one innovation" as the minimum it is."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from competition.models import Attachment, EntryAnswer
from tests import factories as f
from tests.uploads import image_bytes, pdf_bytes, upload

AUTOSAVE = {"HTTP_X_KOVABLIK_AUTOSAVE": "1"}


@pytest.fixture
def competition(db):
    return f.CompetitionFactory(open=True)


@pytest.fixture
def entry(competition, agency_a):
    return f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
    )


def editor_data(entry, **extra):
    data = {"version": entry.version, "category": entry.category_id, "video_url": ""}
    data.update(extra)
    return data


def test_entry_open_has_no_default_group(client_a, competition, agency_a):
    innovation = f.InnovationFactory(agency=agency_a)
    url = reverse("competition:entry_open", args=[innovation.pk])

    page = client_a.get(url).content.decode()
    refused = client_a.post(url, {"category": competition.categories.first().pk})

    assert '<option value="" selected>-- pilih kelompok --</option>' in page
    assert "Pilih kelompok proposal" in refused.content.decode()
    assert not innovation.entries.exists()


def test_editor_photo_picker_takes_several_images_and_no_pdf(client_a, entry, competition):
    page = client_a.get(reverse("competition:entry_edit", args=[entry.pk])).content.decode()

    photo = competition.attachment_kinds.get(key="foto")
    tag = next(t for t in page.split("<input") if f'name="file_{photo.pk}"' in t)
    assert 'accept=".jpg,.jpeg,.png,image/jpeg,image/png"' in tag
    assert "multiple" in tag
    assert "pdf" not in tag
    assert "hingga 2 berkas sekaligus" in page


def test_editor_uploads_several_photos_in_one_save(client_a, entry, competition):
    photo = competition.attachment_kinds.get(key="foto")
    files = [upload("sebelum.png", image_bytes()), upload("sesudah.jpg", image_bytes("JPEG"))]

    client_a.post(
        reverse("competition:entry_edit", args=[entry.pk]),
        {**editor_data(entry), f"file_{photo.pk}": files},
    )

    names = sorted(Attachment.objects.filter(entry=entry).values_list("original_name", flat=True))
    assert names == ["sebelum.png", "sesudah.jpg"]


def test_editor_refuses_a_pdf_among_photos_naming_the_file(client_a, entry, competition):
    photo = competition.attachment_kinds.get(key="foto")
    files = [upload("sebelum.png", image_bytes()), upload("laporan.pdf", pdf_bytes())]

    response = client_a.post(
        reverse("competition:entry_edit", args=[entry.pk]),
        {**editor_data(entry), f"file_{photo.pk}": files},
    )

    page = response.content.decode()
    assert "Berkas “laporan.pdf” berupa PDF" in page
    assert "Pilih berkas JPEG/PNG lalu unggah lagi" in page
    assert list(Attachment.objects.filter(entry=entry).values_list("original_name", flat=True)) == [
        "sebelum.png"
    ]


def test_editor_names_each_file_over_the_kind_count(client_a, entry, competition):
    photo = competition.attachment_kinds.get(key="foto")
    files = [upload(f"foto-{n}.png", image_bytes()) for n in (1, 2, 3)]

    response = client_a.post(
        reverse("competition:entry_edit", args=[entry.pk]),
        {**editor_data(entry), f"file_{photo.pk}": files},
    )

    assert "Berkas “foto-3.png” tidak diunggah" in response.content.decode()
    assert Attachment.objects.filter(entry=entry).count() == 2


def test_autosave_saves_the_text_and_answers_the_new_version(client_a, entry, competition):
    section = competition.sections.get(key="ringkasan")

    response = client_a.post(
        reverse("competition:entry_edit", args=[entry.pk]),
        editor_data(entry, **{f"section_{section.pk}": "Teks yang sedang diketik"}),
        **AUTOSAVE,
    )

    body = json.loads(response.content)
    entry.refresh_from_db()
    assert body["saved"] is True
    assert body["version"] == entry.version == 2
    assert body["at"] == timezone.localtime(entry.updated_at).strftime("%H.%M")
    assert EntryAnswer.objects.get(entry=entry, section=section).text == "Teks yang sedang diketik"


def test_autosave_answers_what_the_saved_draft_should_still_fix(client_a, entry, competition):
    """The page is not sent again after an in-place save, so the warnings come in the answer."""
    section = competition.sections.get(key="ringkasan")
    too_long = " ".join(["kata"] * (section.word_limit + 1))

    response = client_a.post(
        reverse("competition:entry_edit", args=[entry.pk]),
        editor_data(entry, **{f"section_{section.pk}": too_long}),
        **AUTOSAVE,
    )

    body = json.loads(response.content)
    assert body["saved"] is True
    assert body["warnings"] == [
        f"“{section.label}”: {section.word_limit + 1} kata, melebihi batas "
        f"{section.word_limit} kata."
    ]
    assert EntryAnswer.objects.get(entry=entry, section=section).text == too_long


def test_autosave_of_a_sound_draft_has_no_warnings(client_a, entry, competition):
    section = competition.sections.get(key="ringkasan")

    response = client_a.post(
        reverse("competition:entry_edit", args=[entry.pk]),
        editor_data(
            entry,
            video_url="https://youtu.be/dQw4w9WgXcQ",
            **{f"section_{section.pk}": "Singkat dan jelas"},
        ),
        **AUTOSAVE,
    )

    assert json.loads(response.content)["warnings"] == []


def test_upload_saved_in_place_answers_the_attachments_part(client_a, entry, competition):
    photo = competition.attachment_kinds.get(key="foto")
    files = [upload("sebelum.png", image_bytes()), upload("laporan.pdf", pdf_bytes())]

    response = client_a.post(
        reverse("competition:entry_edit", args=[entry.pk]),
        {**editor_data(entry), f"file_{photo.pk}": files},
        **AUTOSAVE,
    )

    body = json.loads(response.content)
    stored = Attachment.objects.get(entry=entry)
    assert body["saved"] is True
    assert stored.original_name == "sebelum.png"
    assert len(body["refused"]) == 1
    assert "Berkas “laporan.pdf” berupa PDF" in body["refused"][0]
    # The part the page puts in place: the stored file with its links, and the kind's input
    # again for the one photo still allowed.
    assert reverse("competition:attachment_download", args=[stored.pk]) in body["attachments"]
    assert reverse("competition:attachment_delete", args=[stored.pk]) in body["attachments"]
    assert f'name="file_{photo.pk}"' in body["attachments"]
    assert "<form" not in body["attachments"]


def test_upload_from_a_stale_tab_stores_nothing(client_a, entry, competition):
    photo = competition.attachment_kinds.get(key="foto")
    stale = editor_data(entry)
    entry.version = 5
    entry.save(update_fields=["version"])

    response = client_a.post(
        reverse("competition:entry_edit", args=[entry.pk]),
        {**stale, f"file_{photo.pk}": upload("sebelum.png", image_bytes())},
        **AUTOSAVE,
    )

    assert response.status_code == 409
    assert not Attachment.objects.filter(entry=entry).exists()


def test_autosave_without_files_has_no_attachments_part(client_a, entry):
    response = client_a.post(
        reverse("competition:entry_edit", args=[entry.pk]), editor_data(entry), **AUTOSAVE
    )

    assert set(json.loads(response.content)) == {"saved", "version", "at", "warnings"}


def test_autosave_from_a_stale_tab_never_overwrites(client_a, entry, competition):
    section = competition.sections.get(key="ringkasan")
    f.EntryAnswerFactory(entry=entry, section=section, text="Dari tab lain")
    stale = editor_data(entry, **{f"section_{section.pk}": "Tab lama"})
    entry.version = 5
    entry.save(update_fields=["version"])

    response = client_a.post(reverse("competition:entry_edit", args=[entry.pk]), stale, **AUTOSAVE)

    body = json.loads(response.content)
    assert response.status_code == 409
    assert body["code"] == "stale"
    assert "sudah diubah di tab" in body["message"]
    assert EntryAnswer.objects.get(entry=entry, section=section).text == "Dari tab lain"


def test_autosave_after_the_deadline_is_refused(client_a, entry, competition):
    competition.submission_closes_at = timezone.now() - dt.timedelta(minutes=1)
    competition.save(update_fields=["submission_closes_at"])

    response = client_a.post(
        reverse("competition:entry_edit", args=[entry.pk]), editor_data(entry), **AUTOSAVE
    )

    assert response.status_code == 409
    assert "telah ditutup" in json.loads(response.content)["message"]


def test_autosave_signed_out_answers_json_not_the_login_page(client, entry):
    response = client.post(
        reverse("competition:entry_edit", args=[entry.pk]), editor_data(entry), **AUTOSAVE
    )

    assert response.status_code == 401
    assert "Sesi Anda berakhir" in json.loads(response.content)["message"]


def test_autosave_of_another_opds_entry_is_404(client, entry, staff_b):
    client.force_login(staff_b)

    response = client.post(
        reverse("competition:entry_edit", args=[entry.pk]), editor_data(entry), **AUTOSAVE
    )

    assert response.status_code == 404


def test_editor_announces_autosave_status(client_a, entry):
    page = client_a.get(reverse("competition:entry_edit", args=[entry.pk])).content.decode()

    assert "data-autosave" in page
    assert 'data-t-saved="Draf tersimpan otomatis pukul {time}."' in page
    assert 'role="status" data-autosave-status' in page
    assert "js/autosave" in page


def test_home_page_calls_one_innovation_a_minimum(client, db):
    page = client.get(reverse("home")).content.decode()

    assert "<strong>sedikitnya</strong> satu" in page
    assert "boleh mengirim lebih dari satu" in page


def test_opd_dashboard_rows_stack_with_labels_on_a_phone(client_a, entry):
    page = client_a.get(reverse("competition:opd_dashboard")).content.decode()

    assert "table-stack" in page
    assert 'data-label="Status"' in page
    assert reverse("competition:entry_edit", args=[entry.pk]) in page
