"""Clean the titles and innovator names already stored, and recompute the duplicate key.

The same rules as kovablik.text (copied here: a migration does not import app code):
names are NFC with no bidirectional controls or zero-width characters and whitespace
collapsed; ``title_key`` is the casefolded NFKC title without soft hyphens, zero-width or
direction characters. Prints what it changed.
"""

import re
import unicodedata

from django.db import migrations

BIDI_AND_ZERO_WIDTH = (
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
    "\u200b\u200c\u200d\u2060\ufeff"
)
INVISIBLE = re.compile(f"[{BIDI_AND_ZERO_WIDTH}]")
INVISIBLE_IN_KEY = re.compile(f"[{BIDI_AND_ZERO_WIDTH}\u00ad]")
FIELDS = {
    "Innovation": ("title", "brand_name", "brand_long_form"),
    "Innovator": ("name", "role"),
}
SHOWN = 50


def clean(value):
    value = INVISIBLE.sub("", unicodedata.normalize("NFC", value or ""))
    return " ".join(value.split())


def title_key(title):
    value = INVISIBLE_IN_KEY.sub("", unicodedata.normalize("NFKC", title or ""))
    return " ".join(unicodedata.normalize("NFKC", value.casefold()).split())[:255]


def clean_titles_and_names(apps, schema_editor):
    changes, keys = [], 0
    for model_name, fields in FIELDS.items():
        model = apps.get_model("competition", model_name)
        extra = ("title_key",) if model_name == "Innovation" else ()
        for row in model.objects.only("pk", *fields, *extra).order_by("pk").iterator():
            changed = {}
            for field in fields:
                value = clean(getattr(row, field))
                if value != getattr(row, field):
                    changed[field] = value
            for field, value in changed.items():
                changes.append(f"{model_name} {row.pk} {field}: {getattr(row, field)!a} -> {value!a}")
            if model_name == "Innovation":
                key = title_key(changed.get("title", row.title))
                if key != row.title_key:
                    changed["title_key"] = key
                    keys += 1
            if changed:
                model.objects.filter(pk=row.pk).update(**changed)
    if changes or keys:
        print(
            f"\n  competition.0012_clean_titles_and_names: {len(changes)} value(s) cleaned, "
            f"{keys} duplicate-title key(s) recomputed"
        )
        for line in changes[:SHOWN]:
            print(f"    {line}")
        if len(changes) > SHOWN:
            print(f"    ... and {len(changes) - SHOWN} more")


class Migration(migrations.Migration):
    dependencies = [("competition", "0011_coaching_versions_and_feedback")]

    operations = [migrations.RunPython(clean_titles_and_names, migrations.RunPython.noop)]
