"""Coaching before the deadline (pembinaan): an OPD asks Bagian Organisasi to review its
draft, the organiser comments per section, the OPD marks each comment done. Every saved
change of a section's text is kept as a version, so both sides can read what changed.

Nothing here is ever shown to judges: only the entry's own OPD, the organiser and the
coaches (pembina) the organiser designates for the year read it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kovablik.history import HistoricalRecords
from opd.models import Role

from .competition import Competition, SectionSpec
from .entry import Entry

# The longest comment or review request a form accepts and a service stores.
MAX_COMMENT_CHARS = 5000


class ReviewRequest(models.Model):
    """The OPD asks for a review of its draft; open until the organiser closes it."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="review_requests")
    message = models.TextField(_("pesan untuk Bagian Organisasi"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("diminta pada"), auto_now_add=True)
    closed_at = models.DateTimeField(_("selesai ditinjau pada"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("permintaan pembinaan")
        verbose_name_plural = _("permintaan pembinaan")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # One open request per entry: asking twice adds nothing the organiser can act on.
            models.UniqueConstraint(
                fields=["entry"],
                condition=Q(closed_at__isnull=True),
                name="one_open_review_request_per_entry",
            )
        ]

    def __str__(self):
        return f"{self.entry} ({self.requested_at:%Y-%m-%d})"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Coach(models.Model):
    """A staff account the organiser designates to coach one year's drafts (pembina).

    A coach reads the requests and comments on them, nothing else of the organiser's,
    and never on the drafts of his or her own agency, its parent or its units. Only OPD
    staff accounts qualify, so a judge can never be one. Designations and their removal
    are kept in the history.
    """

    competition = models.ForeignKey(
        Competition, verbose_name=_("kompetisi"), on_delete=models.CASCADE, related_name="coaches"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pembina"),
        on_delete=models.CASCADE,
        related_name="coach_designations",
    )
    designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    designated_at = models.DateTimeField(_("ditunjuk pada"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pembina")
        verbose_name_plural = _("pembina")
        ordering = ["competition_id", "user_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["competition", "user"], name="one_coach_per_year")
        ]

    def __str__(self):
        return f"{self.user} ({self.competition})"

    def clean(self):
        user = self.user if self.user_id else None
        if user is not None and not (
            user.is_active and user.role == Role.OPD_STAFF and user.agency_id is not None
        ):
            raise ValidationError(
                {
                    "user": _(
                        "Pembina harus akun staf OPD yang aktif (termasuk staf Bagian "
                        "Organisasi yang terdaftar sebagai staf OPD); juri tidak bisa menjadi "
                        "pembina."
                    )
                }
            )


class CoachingComment(models.Model):
    """The organiser's comment on one section of a draft (or on the proposal as a whole)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="coaching_comments")
    request = models.ForeignKey(
        ReviewRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="comments"
    )
    section = models.ForeignKey(
        SectionSpec,
        verbose_name=_("bagian"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="coaching_comments",
    )
    text = models.TextField(_("catatan"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(_("ditandai selesai pada"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("catatan pembinaan")
        verbose_name_plural = _("catatan pembinaan")
        ordering = ["entry_id", "created_at", "pk"]

    def __str__(self):
        return self.text[:60]


class AnswerVersion(models.Model):
    """One saved text of one section. Saves by the same person within a few minutes (the
    editor autosaves every few seconds) update the newest version instead of adding one."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="answer_versions")
    section = models.ForeignKey(SectionSpec, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField(_("versi"))
    text = models.TextField(_("isian"), blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    saved_at = models.DateTimeField(_("disimpan pada"))

    class Meta:
        verbose_name = _("versi isian")
        verbose_name_plural = _("versi isian")
        ordering = ["entry_id", "section_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "section", "number"], name="one_answer_version_number"
            )
        ]

    def __str__(self):
        return f"{self.entry} - {self.section} v{self.number}"
