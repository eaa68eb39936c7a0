"""An entry is an innovation in one year's competition: the proposal and its pipeline."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kovablik.history import HistoricalRecords
from opd.models import Agency

from .competition import AttachmentKind, Category, Competition, CompetitionGroup, SectionSpec
from .facts import JudgedFacts, facts_diff, innovation_facts
from .innovation import Innovation


class EntryStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Dikirim")
    RETURNED = "returned", _("Dikembalikan untuk perbaikan")
    PASSED = "passed", _("Lolos seleksi administrasi")
    FAILED = "failed", _("Tidak lolos seleksi administrasi")
    FINALIST = "finalist", _("Finalis")


# The groups of statuses the rules speak of, named once on the enum (set after the class
# body, where a tuple would become a member). ENTERED: the entry reached Bagian Organisasi
# (every status but draft; a returned or failed entry still took part). EDITABLE: the OPD
# may change it. SCREENABLE: the organiser may decide on it (freshly submitted, or returned
# and not yet resubmitted, to fail once its revision date has gone by). SCREENED_IN: passed
# administrative screening and stayed in, what may be judged, awarded and forwarded.
# SCREENING_OUTCOMES: what the organiser's screening may decide.
EntryStatus.ENTERED = tuple(s for s in EntryStatus if s != EntryStatus.DRAFT)
EntryStatus.EDITABLE = (EntryStatus.DRAFT, EntryStatus.RETURNED)
EntryStatus.SCREENABLE = (EntryStatus.SUBMITTED, EntryStatus.RETURNED)
EntryStatus.SCREENED_IN = (EntryStatus.PASSED, EntryStatus.FINALIST)
EntryStatus.SCREENING_OUTCOMES = (EntryStatus.PASSED, EntryStatus.FAILED, EntryStatus.RETURNED)


class EntryQuerySet(models.QuerySet):
    def entered(self):
        """Entries that count as entered: every status but draft."""
        return self.filter(status__in=EntryStatus.ENTERED)

    def editable(self):
        """Entries their OPD may still change (the deadline aside)."""
        return self.filter(status__in=EntryStatus.EDITABLE)

    def screened_in(self):
        """Entries that passed administrative screening."""
        return self.filter(status__in=EntryStatus.SCREENED_IN)

    def with_changeable(self, now=None):
        """Annotate ``changeable``: `Entry.is_changeable` in SQL, for lists."""
        now = now or timezone.now()
        window = (
            Q(
                status=EntryStatus.RETURNED,
                revision_due_at__isnull=False,
                revision_due_at__gt=now,
            )
            | Q(
                status=EntryStatus.RETURNED,
                revision_due_at__isnull=True,
                competition__submission_closes_at__gt=now,
            )
            | Q(
                status=EntryStatus.DRAFT,
                competition__submission_opens_at__lte=now,
                competition__submission_closes_at__gt=now,
            )
        )
        return self.annotate(changeable=ExpressionWrapper(window, output_field=BooleanField()))

    def changeable(self, now=None):
        """Entries their OPD may change now: editable and within the change window."""
        return self.with_changeable(now).filter(changeable=True)


class Entry(models.Model):
    competition = models.ForeignKey(
        Competition, verbose_name=_("kompetisi"), on_delete=models.PROTECT, related_name="entries"
    )
    innovation = models.ForeignKey(
        Innovation, verbose_name=_("inovasi"), on_delete=models.PROTECT, related_name="entries"
    )
    # The owning agency at the time of entry; kept here because access checks and
    # every per-OPD report filter on it.
    agency = models.ForeignKey(
        Agency, verbose_name=_("OPD"), on_delete=models.PROTECT, related_name="entries"
    )
    group = models.ForeignKey(
        CompetitionGroup,
        verbose_name=_("kelompok"),
        on_delete=models.PROTECT,
        related_name="entries",
    )
    category = models.ForeignKey(
        Category, verbose_name=_("kategori"), on_delete=models.PROTECT, related_name="entries"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=EntryStatus.choices, default=EntryStatus.DRAFT
    )
    reference = models.CharField(
        _("nomor registrasi"), max_length=30, unique=True, null=True, blank=True
    )
    video_url = models.URLField(_("tautan video YouTube"), blank=True)
    declaration_accepted = models.BooleanField(_("pernyataan kebenaran data"), default=False)
    submitted_at = models.DateTimeField(_("dikirim pada"), null=True, blank=True)
    revision_due_at = models.DateTimeField(_("batas perbaikan"), null=True, blank=True)
    screening_reason = models.TextField(_("catatan seleksi"), blank=True)
    screening_checklist = models.JSONField(_("daftar periksa seleksi"), default=dict, blank=True)
    # The innovation's judged facts as submitted (see competition.models.facts): written
    # at every submission, read by screening, judging, exports and results.
    facts = models.JSONField(_("data inovasi saat dikirim"), default=dict, blank=True)
    # Bumped on every save of the proposal so that a stale browser tab cannot overwrite.
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["version", "updated_at"])
    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposal")
        ordering = ["-competition_id", "reference", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "innovation"], name="one_entry_per_innovation_per_year"
            ),
        ]
        indexes = [models.Index(fields=["competition", "status"])]

    def __str__(self):
        return self.reference or str(self.innovation)

    @property
    def is_editable(self) -> bool:
        return self.status in EntryStatus.EDITABLE

    @property
    def change_deadline(self):
        """Until when the OPD may change the entry: a returned entry until its revision
        date (submission close when none was set), anything else until submission closes."""
        if self.status == EntryStatus.RETURNED and self.revision_due_at:
            return self.revision_due_at
        return self.competition.submission_closes_at

    def is_change_window_open(self, now=None) -> bool:
        """Whether the clock still allows the OPD to change the entry. A returned entry may
        change until its deadline; anything else only while submission is open. The server
        decides, whatever the browser sends (`EntryQuerySet.with_changeable` in SQL)."""
        now = now or timezone.now()
        if self.status == EntryStatus.RETURNED:
            return now < self.change_deadline
        return self.competition.is_submission_open(now)

    def is_changeable(self, now=None) -> bool:
        """Editable and within the change window."""
        return self.is_editable and self.is_change_window_open(now)

    def take_row(self, other: "Entry") -> None:
        """Take the field values of ``other``, the same row as a service re-read it under
        a lock and saved it: what ``refresh_from_db`` would read back, without the query."""
        for field in self._meta.concrete_fields:
            setattr(self, field.attname, getattr(other, field.attname))

    @property
    def judged(self) -> JudgedFacts:
        """The innovation facts this entry is judged on: the copy frozen at submission,
        or the innovation as it is now while the OPD may still change the entry."""
        if self.facts and not self.is_editable:
            return JudgedFacts(self.facts)
        return JudgedFacts.live(self.innovation)

    def facts_changes(self) -> list[tuple[str, str, str]]:
        """What the OPD changed on the innovation since this entry was submitted."""
        if not self.facts or self.is_editable:
            return []
        return facts_diff(self.facts, innovation_facts(self.innovation))


# The section whose answer is an entry's public summary (the catalogue prints and searches it).
SUMMARY_SECTION = "ringkasan"


class EntryAnswer(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="answers")
    section = models.ForeignKey(SectionSpec, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField(_("isian"), blank=True)
    word_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("isian proposal")
        verbose_name_plural = _("isian proposal")
        ordering = ["entry_id", "section_id"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "section"], name="one_answer_per_section"),
        ]

    def __str__(self):
        return f"{self.entry} - {self.section}"


def attachment_path(instance, filename):
    """Files are stored under an opaque name; the user's file name is kept in the row."""
    return f"entries/{instance.entry.competition.year}/{instance.entry_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="attachments")
    kind = models.ForeignKey(AttachmentKind, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("berkas"), upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("nama berkas"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lampiran")
        verbose_name_plural = _("lampiran")
        ordering = ["entry_id", "kind_id", "uploaded_at"]

    def __str__(self):
        return self.original_name


class StatusChange(models.Model):
    """The audit trail of an entry's status: who moved it, when, from what, to what, why."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=EntryStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=EntryStatus.choices)
    reason = models.TextField(_("alasan"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("riwayat status")
        verbose_name_plural = _("riwayat status")
        ordering = ["entry_id", "at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_status=models.F("to_status")), name="status_change_changes"
            )
        ]

    def __str__(self):
        return f"{self.entry}: {self.from_status} → {self.to_status}"
