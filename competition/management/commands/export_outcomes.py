"""Write the outcomes of the entries imported here for a round, for their sources to import.

manage.py export_outcomes --round kovablik-jatim-2027 --out hasil.json
"""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from competition.exchange.outcomes import outcomes_document


class Command(BaseCommand):
    help = "Write the outcomes of a round's imported entries (kovablik-hasil JSON)."

    def add_arguments(self, parser):
        parser.add_argument("--round", dest="round_slug", required=True)
        parser.add_argument("--out", required=True)

    def handle(self, *args, round_slug, out, **options):
        try:
            document = outcomes_document(round_slug=round_slug)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        Path(out).write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
        self.stdout.write(f"{out} written.")
