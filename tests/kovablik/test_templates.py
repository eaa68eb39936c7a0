"""Checks over every template file, for traps a page test meets only with large ids."""

import re
from pathlib import Path

from django.conf import settings

# An id printed into an attribute: with USE_THOUSAND_SEPARATOR, id 4321 renders as
# "4.321" in Indonesian, which a form posts back and a script looks up as a key.
UNLOCALISED_ID = re.compile(r'="[^"]*\{\{\s*[\w.]*\b(?:pk|id)\s*\}\}')


def test_ids_in_attributes_are_never_localised():
    assert settings.USE_THOUSAND_SEPARATOR
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}: {line.strip()}"
        for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if UNLOCALISED_ID.search(line)
    ]
    assert offenders == []
