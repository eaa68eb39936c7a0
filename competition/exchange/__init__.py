"""The exchange package: entries forwarded to a round, as one ZIP another installation imports.

``docs/exchange.md`` documents the format; ``manifest.schema.json`` is its JSON Schema.
"""

import json
from functools import cache
from pathlib import Path

FORMAT = "kovablik-paket"
FORMAT_VERSION = "1.0"
SUPPORTED_VERSIONS = {"1.0"}
MANIFEST = "manifest.json"
SCHEMA_PATH = Path(__file__).with_name("manifest.schema.json")


@cache
def manifest_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
