"""Cron: remind the OPDs with no submitted entry when the deadline is near.

Run daily, e.g. ``0 8 * * * manage.py remind_missing_entries --days 7``: from seven days
before submission closes until it closes, the staff of every active OPD without an entry
past draft get one e-mail a day.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from competition.models import Competition
from competition.services.compliance import compliance_send_reminders, days_left


class Command(BaseCommand):
    help = "E-mails the staff of OPDs with no submitted entry when the deadline is N days away."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            required=True,
            help="Send only when submission closes within this many days (and has not closed).",
        )
        parser.add_argument("--year", type=int, help="Competition year (default: the current).")

    def handle(self, *args, days, year=None, **options):
        if days < 0:
            raise CommandError("--days must be zero or more.")
        if year:
            competition = Competition.objects.filter(year=year).first()
            if competition is None:
                raise CommandError(f"No competition for {year}.")
        else:
            competition = Competition.objects.current()
            if competition is None:
                self.stdout.write("No competition; nothing to send.")
                return
        now = timezone.now()
        if not competition.is_submission_open(now):
            self.stdout.write(f"Submission of {competition} is not open; nothing to send.")
            return
        left = days_left(competition, now)
        if left > days:
            self.stdout.write(
                f"{competition} closes in {left} days; reminders start {days} days before."
            )
            return
        sent = compliance_send_reminders(competition=competition)
        self.stdout.write(f"{competition}: {sent} reminder(s) sent, {left} day(s) left.")
