"""Reminders sent to OPDs that have not yet entered: kept so that cron sends one a day."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from opd.models import Agency

from .competition import Competition


class ComplianceReminder(models.Model):
    """One reminder e-mail to one OPD staff member about one year's competition, on one day."""

    competition = models.ForeignKey(
        Competition,
        verbose_name=_("kompetisi"),
        on_delete=models.CASCADE,
        related_name="compliance_reminders",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("OPD"), on_delete=models.CASCADE, related_name="+"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("penerima"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    sent_on = models.DateField(_("tanggal kirim"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pengingat kepatuhan")
        verbose_name_plural = _("pengingat kepatuhan")
        ordering = ["competition_id", "-sent_on", "agency_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "recipient", "sent_on"], name="one_reminder_a_day"
            )
        ]

    def __str__(self):
        return f"{self.agency} {self.sent_on}"


class JudgeReminder(models.Model):
    """One reminder e-mail to one judge about one stage, on one day (``remind_judges``)."""

    stage = models.ForeignKey(
        "competition.Stage",
        verbose_name=_("tahap"),
        on_delete=models.CASCADE,
        related_name="judge_reminders",
    )
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("juri"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    sent_on = models.DateField(_("tanggal kirim"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pengingat juri")
        verbose_name_plural = _("pengingat juri")
        ordering = ["stage_id", "-sent_on", "judge_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "judge", "sent_on"], name="one_judge_reminder_a_day"
            )
        ]

    def __str__(self):
        return f"{self.judge} {self.stage} {self.sent_on}"
