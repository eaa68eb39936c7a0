"""A failing upload, seen through the proposal editor: no orphan file, no broken entry,
a clear Indonesian message, and the text the OPD typed kept."""

import errno

from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from competition.models import Attachment, EntryAnswer
from tests.competition.hardening.conftest import editor_post, media_files
from tests.uploads import pdf_bytes

TYPED = "Antrean puskesmas turun dari dua jam menjadi dua puluh menit."


def edit_url(entry):
    return reverse("competition:entry_edit", args=[entry.pk])


def test_editor_disk_full_shows_clear_message_and_keeps_typed_text(
    client_a, entry, settings, monkeypatch
):
    def disk_full(self, name, content):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", disk_full)
    upload = SimpleUploadedFile("sk.pdf", pdf_bytes())

    response = client_a.post(
        edit_url(entry), editor_post(entry, {"ringkasan": TYPED}, files={"sk": upload})
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "ruang penyimpanan penuh" in page
    assert TYPED in page
    assert EntryAnswer.objects.get(entry=entry, section__key="ringkasan").text == TYPED
    assert Attachment.objects.count() == 0
    assert media_files(settings) == []


def test_editor_storage_failing_mid_write_leaves_no_partial_file(
    client_a, entry, settings, monkeypatch
):
    """The disk fills while the file is being written: part of it is already on disk."""
    real_save = FileSystemStorage._save

    class FillsUp:
        def __init__(self, content):
            self.content = content

        def chunks(self, chunk_size=None):
            yield self.content.read(1024)
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(
        FileSystemStorage,
        "_save",
        lambda self, name, content: real_save(self, name, FillsUp(content)),
    )
    upload = SimpleUploadedFile("sk.pdf", pdf_bytes())

    response = client_a.post(
        edit_url(entry), editor_post(entry, {"ringkasan": TYPED}, files={"sk": upload})
    )

    assert response.status_code == 200
    assert "gagal disimpan" in response.content.decode()
    assert Attachment.objects.count() == 0
    assert media_files(settings) == []


def test_editor_database_failing_after_file_stored_leaves_no_orphan(
    entry, staff_a, settings, attachment_insert_fails
):
    client = Client(raise_request_exception=False)
    client.force_login(staff_a)
    upload = SimpleUploadedFile("sk.pdf", pdf_bytes())

    response = client.post(
        edit_url(entry), editor_post(entry, {"ringkasan": TYPED}, files={"sk": upload})
    )

    assert response.status_code == 500
    assert Attachment.objects.filter(entry=entry).count() == 0
    assert media_files(settings) == []
    entry.refresh_from_db()
    assert entry.status == "draft"
