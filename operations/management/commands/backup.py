"""Nightly backup: ``manage.py backup --output-dir /srv/backups/kovablik`` (see README)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from operations.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Writes one .tar.gz archive with the whole database, every uploaded file and a "
        "manifest of SHA-256 checksums; prints the archive's path."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            type=Path,
            default=Path(settings.BASE_DIR) / "var" / "backups",
            help="Folder for the archive (default: var/backups).",
        )
        parser.add_argument("--database", default="default", help="Database alias.")

    def handle(self, *args, output_dir: Path, database: str, **options):
        try:
            archive = backup_create(output_dir=output_dir, using=database)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(archive))
