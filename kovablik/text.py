"""One cleaning for every name and title people type, and the key that spots duplicates.

Names and titles are printed on dozens of pages, in exports and on the public results:
a right-to-left override (U+202E) pasted into a title reverses the text after it
everywhere, and a zero-width space is invisible but makes two equal titles differ. So
every human-visible name (innovation title and acronym, innovator, agency, user) goes
through :func:`clean_name` on the way in: the forms use :class:`NameField`, and models
that also take data from the admin and importers clean in ``clean_fields`` and ``save``
through :class:`CleanNamesMixin`.

Data migrations do not import this module (they carry their own copy of the rules).
"""

import re
import unicodedata

from django import forms

# Bidirectional embeddings, overrides and isolates, the LRM/RLM marks and the Arabic mark.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
# Zero-width space, non-joiner, joiner, word joiner and the byte-order mark.
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
SOFT_HYPHEN = "\u00ad"

_INVISIBLE = re.compile(f"[{BIDI_CONTROLS}{ZERO_WIDTH}]")
_INVISIBLE_IN_KEY = re.compile(f"[{BIDI_CONTROLS}{ZERO_WIDTH}{SOFT_HYPHEN}]")


def clean_name(value: str | None) -> str:
    """NFC, no bidirectional controls or zero-width characters, whitespace collapsed."""
    if not value:
        return ""
    value = unicodedata.normalize("NFC", value)
    value = _INVISIBLE.sub("", value)
    return " ".join(value.split())


def title_key(title: str | None) -> str:
    """The form of a title compared to spot duplicates.

    Casefolded NFKC (so a non-breaking space, full-width letters or a ligature match
    their plain forms) with soft hyphens, zero-width and direction characters removed
    and whitespace collapsed: "Gay\\u00adatri" and "\\u200bGayatri" are "gayatri".
    """
    value = _INVISIBLE_IN_KEY.sub("", unicodedata.normalize("NFKC", title or ""))
    value = unicodedata.normalize("NFKC", value.casefold())
    return " ".join(value.split())


class NameField(forms.CharField):
    """A form field for a name or title: cleaned before it is checked as required."""

    def to_python(self, value):
        return clean_name(super().to_python(value))


class CleanNamesMixin:
    """For models: clean the fields named in ``clean_name_fields`` before validating and
    saving, so the admin, importers and services store what the forms would."""

    clean_name_fields: tuple[str, ...] = ()

    def clean_names(self) -> None:
        for name in self.clean_name_fields:
            value = getattr(self, name)
            if isinstance(value, str):
                setattr(self, name, clean_name(value))

    def clean_fields(self, exclude=None):
        self.clean_names()
        super().clean_fields(exclude=exclude)

    def save(self, *args, **kwargs):
        self.clean_names()
        super().save(*args, **kwargs)
