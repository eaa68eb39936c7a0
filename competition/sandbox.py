"""The organiser's certificate template, rendered in a box it cannot leave.

The template text is stored on the competition and edited in the admin. It is rendered
by a bare template engine: no template loaders (so ``{% include %}`` and
``{% extends %}`` find nothing), no tag libraries to ``{% load %}``, autoescaping on,
and a fixed context of plain strings. ``{% debug %}`` is refused outright because it
would print the server's module list.
"""

import re

from django.core.exceptions import ValidationError
from django.template import Context, Engine, TemplateSyntaxError
from django.utils.translation import gettext_lazy as _

FORBIDDEN_TAGS = re.compile(r"{%-?\s*(debug|load|include|extends)\b")

# The only names a certificate template can use, with what they hold.
VARIABLES = {
    "penerima": _("nama OPD penerima"),
    "predikat": _("Juara I, Juara II, Juara III atau Peserta"),
    "inovasi": _("judul inovasi (kosong untuk piagam peserta)"),
    "kompetisi": _("nama kompetisi"),
    "tahun": _("tahun kompetisi"),
    "tanggal": _("tanggal penetapan"),
    "nomor_sk": _("nomor SK penetapan pemenang"),
    "pemerintah": _("pemerintah daerah penyelenggara, mis. Pemerintah Kabupaten Sidoarjo"),
    "kepala_daerah": _("kepala daerah yang menetapkan, mis. Bupati Sidoarjo"),
    "tempat": _("tempat penandatanganan"),
}

_ENGINE = Engine(dirs=[], app_dirs=False, loaders=[], libraries={}, autoescape=True)


def validate_certificate_template(text: str) -> None:
    """Refuse a template that uses a forbidden tag or does not parse."""
    match = FORBIDDEN_TAGS.search(text or "")
    if match:
        raise ValidationError(
            _("Templat piagam tidak boleh memakai tag {%% %(tag)s %%}. Hapus tag itu."),
            params={"tag": match.group(1)},
            code="forbidden_tag",
        )
    try:
        _ENGINE.from_string(text or "")
    except TemplateSyntaxError as error:
        raise ValidationError(
            _("Templat piagam tidak dapat dibaca: %(error)s. Periksa tanda {{ }} dan {%% %%}."),
            params={"error": error},
            code="syntax",
        ) from error


def render_certificate(text: str, values: dict[str, str]) -> str:
    """``text`` rendered with only the names of :data:`VARIABLES`, all escaped."""
    validate_certificate_template(text)
    context = {name: str(values.get(name, "")) for name in VARIABLES}
    return _ENGINE.from_string(text).render(Context(context, autoescape=True))
