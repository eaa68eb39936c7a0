"""Cron (nightly): re-verify the published result of every announced year.

Each year's latest published snapshot is recomputed from its scores
(``competition.services.verification.result_check``); a year whose new result version is
being prepared is checked on its frozen content only. Every difference is printed, and
the command exits with status 1 when any year does not match, so that cron mails it.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from competition.models import Competition
from competition.selectors.snapshot import published_snapshot
from competition.services.verification import result_check


class Command(BaseCommand):
    help = "Recompute every published result from its scores; exit 1 on any mismatch."

    def handle(self, *args, **options):
        failed = []
        with translation.override("id"):
            for competition in Competition.objects.announced():
                snapshot = published_snapshot(competition)
                # A new version in preparation may rightly change the scores: the
                # published one is then checked on its own frozen content.
                revising = competition.results_revision_opened_at is not None
                check = result_check(snapshot, live=not revising)
                label = f"{competition.year} v{snapshot.version}"
                if revising:
                    label += " (versi baru sedang disiapkan: isi beku saja)"
                if check.ok:
                    self.stdout.write(f"{label}: OK")
                    continue
                failed.append(label)
                self.stdout.write(f"{label}: TIDAK COCOK")
                for d in check.differences:
                    self.stdout.write(f"  {d.where}: {d.what}: {d.expected} -> {d.found}")
        if failed:
            raise CommandError(f"Verification failed: {', '.join(failed)}")
        self.stdout.write(self.style.SUCCESS("OK"))
