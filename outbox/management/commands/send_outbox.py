"""Cron safety net: deliver every due mail, including claims a dead worker left behind."""

from django.core.management.base import BaseCommand

from outbox.services import outbox_deliver_due


class Command(BaseCommand):
    help = "Deliver the outbox's due e-mails now, in this process (also retries stale claims)."

    def handle(self, *args, **options):
        counts = outbox_deliver_due()
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) or "0")
