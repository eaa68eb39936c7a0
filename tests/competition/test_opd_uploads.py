"""Attachments are checked by what they contain; hostile files are refused."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from PIL import ImageFile
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from competition.uploads import check_upload, safe_filename
from tests.uploads import image_bytes, pdf_bytes, upload

PDF_ONLY = {"allowed_types": ["pdf"], "max_size_mb": 2}
IMAGES = {"allowed_types": ["image"], "max_size_mb": 2}


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` x ``height`` without the pixels: a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 16))
        + chunk(b"IEND", b"")
    )


def refused_code(file, **limits) -> str:
    with pytest.raises(ValidationError) as excinfo:
        check_upload(file, **limits)
    return excinfo.value.code


def test_check_upload_accepts_a_real_pdf_and_reports_size_and_digest():
    content = pdf_bytes(pages=2)

    checked = check_upload(upload("Surat Keputusan.PDF", content), **PDF_ONLY)

    assert checked.content_type == "application/pdf"
    assert checked.size == len(content)
    assert len(checked.sha256) == 64
    assert checked.name == "Surat Keputusan.pdf"


def test_check_upload_accepts_png_and_jpeg_and_fixes_the_extension():
    png = check_upload(upload("foto.jpg", image_bytes("PNG")), **IMAGES)
    jpeg = check_upload(upload("foto.jpeg", image_bytes("JPEG")), **IMAGES)

    assert (png.content_type, png.name) == ("image/png", "foto.jpg.png")
    assert (jpeg.content_type, jpeg.name) == ("image/jpeg", "foto.jpeg")


def test_check_upload_refuses_html_posing_as_pdf():
    html = b"<html><body><script>alert(1)</script></body></html>"

    assert refused_code(upload("sk.pdf", html), **PDF_ONLY) == "unknown_type"


def test_check_upload_refuses_html_behind_a_pdf_magic_number():
    html = b"%PDF-1.7\n<html><script>alert(1)</script></html>\n"

    assert refused_code(upload("sk.pdf", html), **PDF_ONLY) == "pdf_broken"


def test_check_upload_refuses_an_encrypted_pdf():
    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    writer.encrypt("rahasia")
    out = io.BytesIO()
    writer.write(out)

    assert refused_code(upload("sk.pdf", out.getvalue()), **PDF_ONLY) == "pdf_encrypted"


def test_check_upload_refuses_a_truncated_png():
    content = image_bytes("PNG", size=(200, 200))

    assert refused_code(upload("foto.png", content[: len(content) // 2]), **IMAGES) == (
        "image_broken"
    )


def test_check_upload_refuses_a_truncated_jpeg():
    content = image_bytes("JPEG", size=(400, 300))

    assert refused_code(upload("foto.jpg", content[: len(content) // 2]), **IMAGES) == (
        "image_broken"
    )


def test_check_upload_refuses_a_truncated_jpeg_even_when_pillow_is_told_to_accept_them(
    monkeypatch,
):
    # weasyprint sets this for the whole process when it is imported.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    content = image_bytes("JPEG", size=(400, 300))

    assert refused_code(upload("foto.jpg", content[: len(content) // 2]), **IMAGES) == (
        "image_broken"
    )
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True


def test_check_upload_refuses_a_40000_by_40000_png_without_decoding_it():
    bomb = png_header_only(40000, 40000)

    assert len(bomb) < 200
    assert refused_code(upload("foto.png", bomb), **IMAGES) == "image_too_large"


def test_check_upload_refuses_an_image_over_the_portal_pixel_limit():
    # 49 megapixels: under Pillow's own bomb limit, over ours.
    assert refused_code(upload("foto.png", png_header_only(7000, 7000)), **IMAGES) == (
        "image_too_large"
    )


def test_check_upload_refuses_an_svg_with_script_named_png():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'

    assert refused_code(upload("foto.png", svg), **IMAGES) == "unknown_type"


def test_check_upload_refuses_a_zero_byte_file():
    assert refused_code(upload("sk.pdf", b""), **PDF_ONLY) == "empty"


def test_check_upload_refuses_a_file_over_the_kind_size_limit():
    content = pdf_bytes() + b"%" * (1024 * 1024)

    assert refused_code(upload("sk.pdf", content), allowed_types=["pdf"], max_size_mb=1) == (
        "too_big"
    )


def test_check_upload_refuses_a_type_the_kind_does_not_allow():
    assert refused_code(upload("foto.png", image_bytes()), **PDF_ONLY) == "type_not_allowed"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../x.pdf", "x.pdf"),
        ("..\\..\\windows\\x.pdf", "x.pdf"),
        ("laporan\u202efdp.exe", "laporanfdp.exe"),
        ("sk\x00\x1b.pdf", "sk.pdf"),
        ("   ", "berkas"),
        ("a" * 300 + ".pdf", "a" * 116 + ".pdf"),
    ],
)
def test_safe_filename_strips_paths_controls_and_length(given, expected):
    assert safe_filename(given) == expected


def test_safe_filename_makes_the_extension_agree_with_the_content():
    assert safe_filename("../../x.exe", "application/pdf") == "x.exe.pdf"


def pdf_with_javascript() -> bytes:
    """A PDF whose open action runs a script, its name written escaped (``/J#61vaScript``)."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.root_object[NameObject("/OpenAction")] = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('halo');"),
        }
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue().replace(b"/JavaScript", b"/J#61vaScript")


def test_check_upload_refuses_a_pdf_that_runs_a_script_when_opened():
    content = pdf_with_javascript()

    with pytest.raises(ValidationError) as excinfo:
        check_upload(upload("sk.pdf", content), **PDF_ONLY)

    assert excinfo.value.code == "pdf_active"
    assert "berisi skrip" in excinfo.value.messages[0]


def test_check_upload_refuses_a_pdf_carrying_another_file():
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_attachment("lampiran.exe", b"MZ\x90\x00")
    out = io.BytesIO()
    writer.write(out)

    assert refused_code(upload("sk.pdf", out.getvalue()), **PDF_ONLY) == "pdf_active"
