"""Fill a development database with Kota Mojokerto's agencies and demo accounts.

Safe to run again: rows are matched by name or e-mail and updated. The demo passwords are
public, so the command refuses to run with DEBUG off unless told ``--force``.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from competition import demo as competition_demo
from opd import demo as opd_demo


class Command(BaseCommand):
    help = "Create or refresh demo agencies and one demo account per role (development only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never in production)."
        )

    def handle(self, *args, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: demo accounts have public passwords. Use --force if you mean it."
            )
        accounts = opd_demo.seed()
        competition_summary = competition_demo.seed()
        self.stdout.write(self.style.SUCCESS("Demo data ready. Accounts (password for all):"))
        for user in accounts:
            label = "superuser" if user.is_superuser else user.get_role_display()
            self.stdout.write(f"  {user.email:<30} {opd_demo.DEMO_PASSWORD}  {label}")
        self.stdout.write(
            "Competitions this year and last: {competitions}; demo innovations: "
            "{innovations}; entries created now: {entries_created}.".format(**competition_summary)
        )
