"""The hostile files sent through the proposal editor, as a browser would send them.

Every one is refused with a message on the page (no row, no file kept) or stored as
the harmless PDF/JPEG/PNG it really is, under an opaque name. Never a server error.
"""

import re
from functools import cache

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from competition.models import Attachment, EntryAnswer
from tests.competition.hardening.conftest import editor_post, media_files
from tests.competition.hostile.make_corpus import EITHER, NEUTRALISE, REFUSE, hostile_files

TYPED = "Teks yang diketik tetap tersimpan."
DISPOSITION = re.compile(r'attachment; (filename="(?:[^"\\\r\n]|\\.)*"|filename\*=utf-8\'\'\S+)')


@cache
def corpus():
    return {item.id: item for item in hostile_files()}


@pytest.mark.parametrize("file_id", sorted(corpus()))
def test_editor_upload_refuses_or_neutralises_hostile_file(file_id, client_a, entry, settings):
    item = corpus()[file_id]
    upload = SimpleUploadedFile(item.name or "berkas", item.data)

    response = client_a.post(
        reverse("competition:entry_edit", args=[entry.pk]),
        editor_post(entry, {"ringkasan": TYPED}, files={"sk": upload}),
    )

    assert response.status_code in {200, 302}
    assert EntryAnswer.objects.get(entry=entry, section__key="ringkasan").text == TYPED
    stored = list(Attachment.objects.filter(entry=entry))
    if not stored:
        assert item.expect in {REFUSE, EITHER}
        assert response.status_code == 200
        errors = [m.message for m in response.context["messages"] if m.level_tag == "error"]
        assert errors, "a refused file must say why"
        assert media_files(settings) == []
        return
    assert item.expect in {NEUTRALISE, EITHER}, f"{file_id} ({item.why}) was stored"
    (attachment,) = stored
    assert attachment.content_type in {"application/pdf", "image/png", "image/jpeg"}
    assert attachment.file.name.startswith(f"entries/{entry.competition.year}/{entry.pk}/")
    # The stored name is opaque: nothing the uploader chose reaches the file system.
    assert "." not in attachment.file.name.rsplit("/", 1)[1]
    assert [p.name for p in media_files(settings)] == [attachment.file.name.rsplit("/", 1)[1]]


@pytest.mark.parametrize("file_id", ["name-html", "name-quotes", "name-rtl-override"])
def test_hostile_file_name_is_escaped_on_the_editor_and_in_the_download(file_id, client_a, entry):
    item = corpus()[file_id]
    client_a.post(
        reverse("competition:entry_edit", args=[entry.pk]),
        editor_post(entry, {}, files={"sk": SimpleUploadedFile(item.name, item.data)}),
    )
    attachment = Attachment.objects.get(entry=entry)

    page = client_a.get(reverse("competition:entry_edit", args=[entry.pk])).content.decode()
    download = client_a.get(reverse("competition:attachment_download", args=[attachment.pk]))
    download.close()

    assert "<img src=x" not in page
    assert "\u202e" not in page
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    # One well-formed filename parameter: quotes escaped, no line breaks, no second one.
    assert DISPOSITION.fullmatch(download["Content-Disposition"])
