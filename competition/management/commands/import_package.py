"""Import an exchange package sent by a city or regency for a round this region organises.

    manage.py import_package paket-data-kovablik-jatim-2027.zip

Every entry of the package is created, or nothing (see docs/exchange.md).
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from competition.exchange.importer import package_import


class Command(BaseCommand):
    help = "Import a forwarding package (ZIP with manifest.json) from another installation."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The package ZIP.")

    def handle(self, *args, path, **options):
        try:
            package = package_import(source=path)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            f"{package.entries.count()} proposal dari {package.source_region} diimpor "
            f"ke kompetisi {package.competition.year}."
        )
