"""The English catalogue is complete, consistent and compiled.

A fresh machine may lack GNU gettext, so the compiled ``django.mo`` is committed; these
tests catch a ``.po`` edited without compiling, and entries left untranslated or fuzzy.
"""

import re
from pathlib import Path

import polib
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|\{(\w*)\}")


def catalogue():
    return polib.pofile(str(LOCALE / "django.po"))


def live_entries(po):
    return [entry for entry in po if not entry.obsolete]


def describe(entry) -> str:
    where = ", ".join(f"{path}:{line}" for path, line in entry.occurrences[:2])
    return f"{entry.msgid[:70]!r} ({where})"


def test_catalogue_header_is_not_fuzzy_and_says_english():
    po = catalogue()

    assert not po.metadata_is_fuzzy
    assert po.metadata["Language"] == "en"


def test_every_entry_is_translated():
    untranslated = [describe(e) for e in live_entries(catalogue()) if not e.translated()]

    assert untranslated == [], "untranslated or fuzzy:\n" + "\n".join(untranslated)


def test_no_entry_is_fuzzy():
    fuzzy = [describe(e) for e in live_entries(catalogue()) if "fuzzy" in e.flags]

    assert fuzzy == []


def test_translations_keep_the_placeholders_of_the_source():
    broken = []
    for entry in live_entries(catalogue()):
        wanted = set(PLACEHOLDER.findall(entry.msgid))
        if entry.msgid_plural:
            wanted |= set(PLACEHOLDER.findall(entry.msgid_plural))
            translations = list(entry.msgstr_plural.values())
        else:
            translations = [entry.msgstr]
        for text in translations:
            if text and set(PLACEHOLDER.findall(text)) != wanted:
                broken.append(describe(entry))

    assert broken == []


def compiled_form(entries) -> dict:
    form = {}
    for entry in entries:
        if not entry.msgid:
            continue
        plural = entry.msgid_plural
        form[(entry.msgctxt, entry.msgid)] = (
            tuple(sorted(entry.msgstr_plural.items())) if plural else entry.msgstr
        )
    return form


def test_compiled_catalogue_matches_the_po_file():
    po_entries = [e for e in live_entries(catalogue()) if e.translated()]
    mo = polib.mofile(str(LOCALE / "django.mo"))

    assert compiled_form(mo) == compiled_form(po_entries), (
        "locale/en/LC_MESSAGES/django.mo is out of date: run "
        "`python manage.py compilemessages -l en --ignore=.venv` and commit the .mo"
    )
