"""Write an export to a file, for cron jobs and for the organiser's archive.

    manage.py export finalis --year 2026 --out finalis-2026.xlsx
    manage.py export berita-acara --year 2026 --stage 1 --out berita-acara.pdf
    manage.py export paket --year 2026 --entry KIPP-2026-0042 --out paket.pdf
    manage.py export paket-data --round kovablik-jatim-2027 --out paket-data.zip

The format is taken from the file name's extension (xlsx, csv, pdf or zip).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from competition.exports import registry
from competition.models import Competition, Entry, Stage, TargetRound


class Command(BaseCommand):
    help = "Write one of the organiser's exports (the same as on the Ekspor page) to a file."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(registry.KINDS))
        parser.add_argument("--year", type=int, help="Competition year (not for --round).")
        parser.add_argument(
            "--out", required=True, help="File to write; its extension is the format."
        )
        parser.add_argument("--stage", type=int, help="Stage order, for per-stage exports.")
        parser.add_argument("--entry", help="Reference number, for per-entry exports.")
        parser.add_argument("--round", dest="round_slug", help="Target round, for paket-data.")

    def handle(self, *args, kind, year, out, stage=None, entry=None, round_slug=None, **options):
        path = Path(out)
        fmt = path.suffix.lstrip(".").lower()
        spec = registry.KINDS[kind]
        if fmt not in spec.formats:
            raise CommandError(
                f"{kind} is written as {', '.join(spec.formats)}, not '{fmt or path.name}'."
            )
        if spec.scope == registry.ROUND:
            target_round = TargetRound.objects.filter(slug=round_slug or "").first()
            if target_round is None:
                raise CommandError(f"{kind} needs --round with the slug of a target round.")
            registry.build(kind, fmt, target_round=target_round).save(path)
            self.stdout.write(f"{path} written.")
            return
        if year is None:
            raise CommandError(f"{kind} needs --year.")
        competition = Competition.objects.filter(year=year).first()
        if competition is None:
            raise CommandError(f"No competition for {year}.")
        target = {"competition": competition}
        if spec.scope == registry.STAGE and (stage is not None or kind == "berita-acara"):
            if stage is None:
                raise CommandError(f"{kind} needs --stage (the stage's order number).")
            found = (
                Stage.objects.select_related("competition")
                .filter(competition=competition, order=stage)
                .first()
            )
            if found is None:
                raise CommandError(f"No stage {stage} in {year}.")
            target = {"stage": found}
        elif spec.scope == registry.ENTRY:
            found = (
                Entry.objects.select_related("competition", "innovation")
                .filter(competition=competition, reference=entry)
                .first()
                if entry
                else None
            )
            if found is None:
                raise CommandError(f"{kind} needs --entry with a reference number of {year}.")
            target = {"entry": found}
        registry.build(kind, fmt, **target).save(path)
        self.stdout.write(f"{path} written.")
