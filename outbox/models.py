"""One row per e-mail: written with the change it reports, delivered later by the worker."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MailStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu")
    SENDING = "sending", _("Sedang dikirim")
    SENT = "sent", _("Terkirim")
    FAILED = "failed", _("Gagal")


class Mail(models.Model):
    """An e-mail rendered for its recipient, waiting for, being given to, or given to SMTP."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("penerima"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    to_email = models.EmailField(_("alamat tujuan"))
    subject = models.CharField(_("subjek"), max_length=255)
    body = models.TextField(_("isi"))
    kind = models.CharField(_("jenis"), max_length=50, blank=True)
    language = models.CharField(_("bahasa"), max_length=8)
    status = models.CharField(
        _("status"), max_length=10, choices=MailStatus.choices, default=MailStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    next_attempt_at = models.DateTimeField(_("percobaan berikutnya"))
    claimed_at = models.DateTimeField(_("diambil pada"), null=True, blank=True)
    sent_at = models.DateTimeField(_("terkirim pada"), null=True, blank=True)
    last_error = models.TextField(_("galat terakhir"), blank=True)
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("e-mail keluar")
        verbose_name_plural = _("e-mail keluar")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self):
        return f"{self.to_email}: {self.subject}"
