"""Real small files for upload tests: a PDF that opens, an image that decodes."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

from competition.services.entries import attachments_add


def pdf_bytes(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_bytes(fmt: str = "PNG", size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=fmt)
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def attach(*, entry, kind, upload, user):
    """One file through ``attachments_add`` (the editor's one way in): the stored attachment,
    or the refusal raised."""
    added, refused = attachments_add(entry=entry, uploads=[(kind, upload)], user=user)
    if refused:
        raise refused[0]
    return added[0]
