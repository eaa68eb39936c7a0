"""Checking uploaded attachments by what they contain, not by what they are called.

A file is accepted only when its bytes are a PDF that pypdf can read pages from, or a
JPEG/PNG that Pillow can read in full, of sane dimensions. The user's file name is
kept only as a cleaned label for display and for the download's file name; the file
itself is stored under an opaque name (``competition.models.entry.attachment_path``).
"""

import hashlib
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

# Refused before any pixel is decoded: a photo for a proposal never needs more.
MAX_IMAGE_PIXELS = 40_000_000
MAX_NAME_LENGTH = 120

PDF_MAGIC = b"%PDF-"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"

EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}
# Checked by content at upload and shown by a browser itself: the judges' desk shows these
# inline (sandboxed); anything else is only ever a download.
INLINE_TYPES = frozenset(EXTENSIONS)
ACCEPTED_EXTENSIONS = {
    "application/pdf": {".pdf"},
    "image/png": {".png"},
    "image/jpeg": {".jpg", ".jpeg"},
}
TYPE_LABELS = {"pdf": "PDF", "image": "JPEG/PNG"}


@dataclass(frozen=True)
class CheckedUpload:
    """What we learned about an accepted file."""

    name: str
    content_type: str
    file_type: str
    size: int
    sha256: str


def safe_filename(name: str, content_type: str | None = None) -> str:
    """A display name with no path, no control or direction characters, of bounded length.

    ``../../x.pdf`` becomes ``x.pdf``; a right-to-left override (U+202E) that would make
    ``fdp.exe`` look like ``exe.pdf`` is dropped; ``a%22b.pdf`` (how browsers send
    ``a"b.pdf``) is ``a"b.pdf`` again. When the content type is known, the
    extension is made to agree with it.
    """
    name = unicodedata.normalize("NFC", name or "")
    # Browsers send a quote in a file name as %22 (and CR/LF as %0D/%0A, HTML's
    # multipart rule): show the name as the user gave it; templates escape it.
    for encoded, char in (("%22", '"'), ("%0D", "\r"), ("%0A", "\n")):
        name = name.replace(encoded, char)
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    # Categories C*: controls, format characters (bidi overrides, zero-width), unassigned.
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = " ".join(name.split()).strip(" .")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    ext = f".{ext.lower()}" if ext else ""
    if content_type in EXTENSIONS and ext not in ACCEPTED_EXTENSIONS[content_type]:
        stem, ext = name, EXTENSIONS[content_type]
    stem = stem.strip(" .") or "berkas"
    return stem[: MAX_NAME_LENGTH - len(ext)] + ext


def _refuse(message: str, code: str):
    raise ValidationError(message, code=code)


def _check_pdf(upload, name: str) -> None:
    upload.seek(0)
    try:
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted:
            _refuse(
                _("Berkas “%(name)s” terkunci dengan kata sandi. Unggah PDF tanpa kata sandi.")
                % {"name": name},
                "pdf_encrypted",
            )
        pages = len(reader.pages)
        active = _active_content(reader)
    except ValidationError:
        raise
    except Exception:
        # A hostile or broken file can make the parser fail in any way it likes.
        pages = 0
        active = False
    if active:
        _refuse(
            _(
                "Berkas “%(name)s” berisi skrip, tindakan otomatis atau berkas sisipan. "
                "Cetak ulang dokumen sebagai PDF biasa (Print to PDF) lalu unggah lagi."
            )
            % {"name": name},
            "pdf_active",
        )
    if pages < 1:
        _refuse(
            _(
                "Berkas “%(name)s” bukan PDF yang utuh atau rusak. Simpan ulang dokumen "
                "sebagai PDF lalu unggah lagi."
            )
            % {"name": name},
            "pdf_broken",
        )


# PDF names that run code or carry other files when the document is opened. Reviewers
# open attachments on office computers, so a plain document never needs them.
ACTIVE_PDF_NAMES = frozenset(
    {"/JavaScript", "/JS", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia", "/XFA"}
)
MAX_PDF_OBJECTS = 50_000


def _active_content(reader: PdfReader) -> bool:
    """Whether any object reachable from the document's root names active content.

    Walks parsed objects rather than scanning bytes, so compressed object streams and
    escaped names (``/J#61vaScript``) are seen as what they are.
    """
    seen: set[tuple[int, int]] = set()
    stack = [reader.trailer["/Root"]]
    visited = 0
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            node = node.get_object()
        visited += 1
        if visited > MAX_PDF_OBJECTS:
            return True
        if isinstance(node, DictionaryObject):
            if ACTIVE_PDF_NAMES.intersection(node.keys()) or node.get("/S") in ACTIVE_PDF_NAMES:
                return True
            stack.extend(node.values())
        elif isinstance(node, ArrayObject):
            stack.extend(node)
    return False


@contextmanager
def _strict_decoding():
    """Refuse truncated images even though weasyprint, once imported, tells Pillow to
    accept them process-wide (``ImageFile.LOAD_TRUNCATED_IMAGES = True``)."""
    previous = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = previous


def _check_image(upload, name: str) -> str:
    broken = _(
        "Gambar “%(name)s” rusak atau tidak lengkap. Unggah ulang berkas JPEG atau PNG yang utuh."
    ) % {"name": name}
    too_big = _(
        "Gambar “%(name)s” terlalu besar ukuran pikselnya (maksimal %(mp)s megapiksel). "
        "Perkecil resolusinya lalu unggah lagi."
    ) % {"name": name, "mp": MAX_IMAGE_PIXELS // 1_000_000}
    upload.seek(0)
    try:
        with _strict_decoding(), Image.open(upload) as img:
            width, height = img.size
            image_format = img.format
            if width * height > MAX_IMAGE_PIXELS:
                _refuse(too_big, "image_too_large")
            if image_format not in {"PNG", "JPEG"}:
                _refuse(broken, "image_format")
            img.verify()
        # verify() does not decode; decoding (JPEG at 1/8 scale) catches truncation.
        upload.seek(0)
        with _strict_decoding(), Image.open(upload) as img:
            if image_format == "JPEG":
                img.draft(img.mode, (max(1, width // 8), max(1, height // 8)))
            img.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        _refuse(too_big, "image_too_large")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        _refuse(broken, "image_broken")
    except Exception:
        _refuse(broken, "image_broken")
    return "image/png" if image_format == "PNG" else "image/jpeg"


def check_upload(upload, *, allowed_types: list[str], max_size_mb: int) -> CheckedUpload:
    """Validate an uploaded file for an attachment kind, or raise ``ValidationError``."""
    name = safe_filename(getattr(upload, "name", ""))
    size = upload.size or 0
    if size == 0:
        _refuse(
            _("Berkas “%(name)s” kosong (0 bita). Pilih berkas yang benar.") % {"name": name},
            "empty",
        )
    if size > max_size_mb * 1024 * 1024:
        _refuse(
            _(
                "Berkas “%(name)s” terlalu besar (%(size)s MB); batasnya %(max)s MB. "
                "Perkecil ukurannya, misalnya dengan memindai ulang pada resolusi lebih rendah."
            )
            % {"name": name, "size": f"{size / 1048576:.1f}".replace(".", ","), "max": max_size_mb},
            "too_big",
        )
    upload.seek(0)
    head = upload.read(16)
    if head.startswith(PDF_MAGIC):
        file_type, content_type = "pdf", "application/pdf"
    elif head.startswith(PNG_MAGIC) or head.startswith(JPEG_MAGIC):
        file_type, content_type = "image", None
    else:
        _refuse(
            _(
                "Berkas “%(name)s” bukan PDF, JPEG atau PNG (isinya diperiksa, bukan nama "
                "berkasnya). Unggah dokumen PDF atau foto JPEG/PNG."
            )
            % {"name": name},
            "unknown_type",
        )
    if file_type not in allowed_types:
        _refuse(
            _(
                "Berkas “%(name)s” berupa %(found)s, sedangkan lampiran ini hanya menerima "
                "berkas %(types)s. Pilih berkas %(types)s lalu unggah lagi."
            )
            % {
                "name": name,
                "found": TYPE_LABELS[file_type],
                "types": ", ".join(TYPE_LABELS.get(t, t) for t in allowed_types),
            },
            "type_not_allowed",
        )
    if file_type == "pdf":
        _check_pdf(upload, name)
    else:
        content_type = _check_image(upload, name)

    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(
        name=safe_filename(getattr(upload, "name", ""), content_type),
        content_type=content_type,
        file_type=file_type,
        size=size,
        sha256=digest.hexdigest(),
    )
