"""Restore an archive of ``manage.py backup`` into an empty, migrated installation."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from operations.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Verifies every checksum of a backup archive, then loads its database and files into "
        "this installation, which must be migrated and empty (--force replaces what is there)."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="A kovablik-backup-*.tar.gz file.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the data and uploaded files of a non-empty installation.",
        )
        parser.add_argument("--database", default="default", help="Database alias.")

    def handle(self, *args, archive: Path, force: bool, database: str, **options):
        try:
            result = backup_restore(archive=archive, force=force, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                _("Dipulihkan: %(rows)s baris dan %(files)s berkas dari cadangan %(when)s.")
                % {"rows": result.rows, "files": result.files, "when": result.created_at}
            )
        )
