"""Builders shared by the OPD journey tests: an open competition and real small files."""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from pypdf import PdfWriter

from competition.models import GroupCode
from tests import factories as f


def open_competition(**kwargs):
    """A competition open for submission now, with the parts an entry needs."""
    now = timezone.now()
    kwargs.setdefault("submission_opens_at", now - dt.timedelta(days=10))
    kwargs.setdefault("submission_closes_at", now + dt.timedelta(days=10))
    kwargs.setdefault("year", timezone.localdate().year)
    competition = f.CompetitionFactory(**kwargs)
    f.CompetitionGroupFactory(competition=competition, code=GroupCode.UMUM)
    f.CompetitionGroupFactory(competition=competition, code=GroupCode.KHUSUS, invitation_only=True)
    f.CategoryFactory(competition=competition, name="Kesehatan")
    f.SectionSpecFactory(competition=competition, key="ringkasan", label="Ringkasan", word_limit=5)
    f.SectionSpecFactory(
        competition=competition, key="latar-belakang", label="Latar Belakang", word_limit=300
    )
    f.AttachmentKindFactory(competition=competition, key="sk", label="SK Inovator", order=1)
    f.AttachmentKindFactory(
        competition=competition,
        key="foto",
        label="Foto sebelum dan sesudah",
        allowed_types=["image"],
        required=False,
        max_files=2,
        order=2,
    )
    return competition


def umum(competition):
    return competition.groups.get(code=GroupCode.UMUM)


def sk_kind(competition):
    return competition.attachment_kinds.get(key="sk")


def photo_kind(competition):
    return competition.attachment_kinds.get(key="foto")


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


def entry_for(agency, competition, **kwargs):
    """A draft entry of ``agency`` in ``competition``, group Umum."""
    innovation = kwargs.pop("innovation", None) or f.InnovationFactory(agency=agency)
    return f.EntryFactory(
        competition=competition,
        innovation=innovation,
        agency=innovation.agency,
        group=umum(competition),
        category=competition.categories.first(),
        **kwargs,
    )


def complete_entry(agency, competition, user=None, **kwargs):
    """A draft that passes every check: sections within limits, SK attached, declared."""
    from competition.models import Attachment

    entry = entry_for(agency, competition, declaration_accepted=True, **kwargs)
    for section in competition.sections.all():
        f.EntryAnswerFactory(entry=entry, section=section, text="Isi singkat.", word_count=2)
    content = pdf_bytes()
    Attachment.objects.create(
        entry=entry,
        kind=sk_kind(competition),
        file=upload("sk.pdf", content),
        original_name="sk.pdf",
        content_type="application/pdf",
        size=len(content),
        sha256="0" * 64,
        uploaded_by=user,
    )
    return entry
