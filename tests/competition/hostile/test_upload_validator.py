"""Every hostile file is refused with a clear message or accepted as the harmless thing it is.

This exercises ``competition.uploads.check_upload`` directly with the raw file names an
attacker controls (a browser's multipart parser would already strip some of them);
``test_upload_view.py`` sends the same corpus through the OPD upload page.
"""

import unicodedata
from functools import cache

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from competition.uploads import MAX_NAME_LENGTH, check_upload
from tests.competition.hostile.make_corpus import (
    EITHER,
    NEUTRALISE,
    REFUSE,
    HostileFile,
    hostile_files,
)

EXTENSION_OF = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
}


@cache
def corpus() -> dict[str, HostileFile]:
    return {item.id: item for item in hostile_files()}


def upload_of(item: HostileFile) -> SimpleUploadedFile:
    upload = SimpleUploadedFile("placeholder", item.data)
    # The raw name, as a hand-made request could send it; the setter would clean it.
    upload._name = item.name
    return upload


def assert_safe_name(name: str, content_type: str) -> None:
    assert name
    assert "/" not in name and "\\" not in name
    assert not any(unicodedata.category(ch).startswith("C") for ch in name)
    assert len(name) <= MAX_NAME_LENGTH
    assert name.lower().endswith(EXTENSION_OF[content_type])


def test_corpus_has_forty_distinct_hostile_files():
    files = hostile_files()

    assert len(files) >= 40
    assert len({f.id for f in files}) == len(files)
    assert len({(f.name, f.data) for f in files}) == len(files)


@pytest.mark.parametrize("file_id", sorted(corpus()))
def test_check_upload_refuses_or_neutralises_hostile_file(file_id):
    item = corpus()[file_id]

    try:
        checked = check_upload(upload_of(item), allowed_types=["pdf", "image"], max_size_mb=2)
    except ValidationError as exc:
        assert item.expect in {REFUSE, EITHER}, f"{file_id} refused: {exc.messages}"
        message = " ".join(exc.messages)
        # A sentence the OPD staff can act on, naming no Python internals.
        assert len(message) > 30
        assert "Traceback" not in message and "Error" not in message
        return

    assert item.expect in {NEUTRALISE, EITHER}, f"{file_id} ({item.why}) was accepted"
    assert checked.content_type in EXTENSION_OF
    assert_safe_name(checked.name, checked.content_type)
    assert checked.size == len(item.data)


@pytest.mark.parametrize(
    ("file_id", "shown"),
    [
        ("name-traversal", "passwd.pdf"),
        ("name-windows-traversal", "evil.pdf"),
        ("name-rtl-override", "SKfdp.exe.pdf"),
        ("name-crlf", "html.pdf"),
        ("name-dots-only", "berkas.pdf"),
        ("name-empty", "berkas.pdf"),
        ("name-zero-width", "sk.pdf"),
        ("name-double-ext-pdf", "laporan.pdf.exe.pdf"),
        ("name-wrong-ext", "foto.png.pdf"),
    ],
)
def test_check_upload_cleans_display_name(file_id, shown):
    checked = check_upload(upload_of(corpus()[file_id]), allowed_types=["pdf"], max_size_mb=2)

    assert checked.name == shown


@pytest.mark.parametrize("file_id", ["png-html-text-chunk", "jpeg-script-comment"])
def test_check_upload_refuses_image_where_only_pdf_allowed(file_id):
    with pytest.raises(ValidationError) as exc:
        check_upload(upload_of(corpus()[file_id]), allowed_types=["pdf"], max_size_mb=2)

    assert "hanya menerima berkas PDF" in exc.value.messages[0]
