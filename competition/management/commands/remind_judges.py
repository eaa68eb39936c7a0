"""Cron: remind judges with unfinished sheets when their stage closes within N days."""

from django.core.management.base import BaseCommand

from competition.selectors.judging import stages_closing_within
from competition.services.judging import judges_remind


class Command(BaseCommand):
    help = "E-mail judges whose score sheets are unfinished in stages closing within N days."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=3, help="Days before the close (3).")

    def handle(self, *args, days, **options):
        total = 0
        for stage in stages_closing_within(days=days):
            n = judges_remind(stage=stage)
            total += n
            self.stdout.write(f"{stage}: {n}")
        self.stdout.write(self.style.SUCCESS(f"{total}"))
