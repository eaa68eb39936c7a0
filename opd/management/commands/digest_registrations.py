"""Cron, daily: e-mail the organisers the accounts that wait for approval (none if none)."""

from django.core.management.base import BaseCommand

from opd.services import registrations_digest_send


class Command(BaseCommand):
    help = "E-mail each organiser today's list of accounts waiting for approval, once a day."

    def handle(self, *args, **options):
        self.stdout.write(f"{registrations_digest_send()}")
