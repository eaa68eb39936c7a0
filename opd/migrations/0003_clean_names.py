"""Clean the names already stored, as kovablik.text.clean_name cleans new input.

NFC, no bidirectional controls or zero-width characters, whitespace collapsed. The rules
are copied here (a migration does not import app code). Prints what it changed.
"""

import re
import unicodedata

from django.db import migrations

INVISIBLE = re.compile(
    "[\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
    "\u200b\u200c\u200d\u2060\ufeff]"
)
FIELDS = {"Agency": ("name", "short_name", "head_name"), "User": ("full_name", "institution")}
SHOWN = 50


def clean(value):
    value = INVISIBLE.sub("", unicodedata.normalize("NFC", value or ""))
    return " ".join(value.split())


def clean_names(apps, schema_editor):
    changes, skipped = [], []
    for model_name, fields in FIELDS.items():
        model = apps.get_model("opd", model_name)
        for row in model.objects.only("pk", *fields).order_by("pk").iterator():
            changed = {}
            for field in fields:
                value = clean(getattr(row, field))
                if value != getattr(row, field):
                    changed[field] = value
            if not changed:
                continue
            if model_name == "Agency" and "name" in changed:
                # The name is unique: a cleaned name equal to another agency's is left as is.
                if not changed["name"] or (
                    model.objects.filter(name=changed["name"]).exclude(pk=row.pk).exists()
                ):
                    skipped.append(f"{model_name} {row.pk} name {getattr(row, 'name')!a}")
                    del changed["name"]
            if not changed:
                continue
            model.objects.filter(pk=row.pk).update(**changed)
            for field, value in changed.items():
                changes.append(f"{model_name} {row.pk} {field}: {getattr(row, field)!a} -> {value!a}")
    if changes or skipped:
        print(f"\n  opd.0003_clean_names: {len(changes)} value(s) cleaned")
        for line in changes[:SHOWN]:
            print(f"    {line}")
        if len(changes) > SHOWN:
            print(f"    ... and {len(changes) - SHOWN} more")
        for line in skipped:
            print(f"    left as is (cleaned form empty or taken by another agency): {line}")


class Migration(migrations.Migration):
    dependencies = [("opd", "0002_field_labels_in_indonesian")]

    operations = [migrations.RunPython(clean_names, migrations.RunPython.noop)]
