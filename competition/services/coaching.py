"""Coaching before the deadline (pembinaan) and the versions of a proposal's sections.

The OPD asks for a review of a draft (``review_request_open``); Bagian Organisasi comments
per section (``coaching_comment_add``) and closes the request when done
(``review_request_close``); the OPD marks each comment done (``coaching_comment_mark_done``).
``answer_versions_record`` is called by ``entry_save_draft`` inside its transaction.
Judges never read any of it: no judging page or export touches these models.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from competition.eligibility import sections_for
from competition.models import (
    AnswerVersion,
    CoachingComment,
    Entry,
    ReviewRequest,
    SectionSpec,
)
from competition.models.coaching import MAX_COMMENT_CHARS
from kovablik.db import update_rows

# Saves by one person closer together than this make one version, not one per autosave.
VERSION_WINDOW = dt.timedelta(minutes=10)


def answer_versions_record(*, entry: Entry, texts: dict[int, str], user, now=None) -> None:
    """Keep the new text of each changed section as a version (one query to read, bulk
    writes). Called with the entry row locked by ``entry_save_draft``."""
    if not texts:
        return
    now = now or timezone.now()
    newest: dict[int, AnswerVersion] = {}
    for version in AnswerVersion.objects.filter(entry=entry, section_id__in=texts).order_by(
        "section_id", "number"
    ):
        newest[version.section_id] = version
    created, changed = [], []
    for section_id, text in texts.items():
        last = newest.get(section_id)
        # An untouched empty section has no version; an unchanged text needs no new one.
        if (last is None and not text) or (last is not None and last.text == text):
            continue
        if (
            last is not None
            and last.saved_by_id == getattr(user, "pk", None)
            and now - last.saved_at < VERSION_WINDOW
        ):
            last.text, last.saved_at = text, now
            changed.append(last)
        else:
            created.append(
                AnswerVersion(
                    entry=entry,
                    section_id=section_id,
                    number=(last.number + 1) if last else 1,
                    text=text,
                    saved_by=user,
                    saved_at=now,
                )
            )
    AnswerVersion.objects.bulk_create(created)
    update_rows(changed, ["text", "saved_at"])


def _ensure_coachable(entry: Entry, now=None) -> None:
    if not entry.is_changeable(now):
        raise ValidationError(
            _(
                "Pembinaan hanya untuk draf sebelum batas waktu. Proposal ini sudah dikirim "
                "atau batas waktunya lewat."
            ),
            code="not_draft",
        )


def review_request_open(*, entry: Entry, user, message: str = "") -> ReviewRequest:
    """The OPD asks Bagian Organisasi to review its draft."""
    with transaction.atomic():
        locked = (
            Entry.objects.select_for_update(of=("self",))
            .select_related("competition")
            .get(pk=entry.pk)
        )
        _ensure_coachable(locked)
        if ReviewRequest.objects.filter(entry=locked, closed_at__isnull=True).exists():
            raise ValidationError(
                _("Permintaan pembinaan untuk proposal ini sudah dikirim dan sedang ditinjau."),
                code="open",
            )
        try:
            with transaction.atomic():
                return ReviewRequest.objects.create(
                    entry=locked, message=message.strip()[:MAX_COMMENT_CHARS], requested_by=user
                )
        except IntegrityError as exc:
            raise ValidationError(
                _("Permintaan pembinaan untuk proposal ini sudah dikirim dan sedang ditinjau."),
                code="open",
            ) from exc


def coaching_comment_add(
    *, entry: Entry, section: SectionSpec | None, text: str, author
) -> CoachingComment:
    """The organiser comments on one section of a draft (``section`` None: the whole)."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Tulis catatannya dulu."), code="empty")
    if len(text) > MAX_COMMENT_CHARS:
        raise ValidationError(
            _("Catatan terlalu panjang: paling banyak %(max)s karakter.")
            % {"max": MAX_COMMENT_CHARS},
            code="long",
        )
    with transaction.atomic():
        locked = (
            Entry.objects.select_for_update(of=("self",))
            .select_related("competition", "group")
            .get(pk=entry.pk)
        )
        _ensure_coachable(locked)
        if section is not None and section.pk not in {
            s.pk for s in sections_for(locked.competition, locked.group)
        }:
            raise ValidationError(_("Bagian ini bukan bagian proposal tersebut."), code="section")
        request = ReviewRequest.objects.filter(entry=locked, closed_at__isnull=True).first()
        return CoachingComment.objects.create(
            entry=locked, request=request, section=section, text=text, author=author
        )


def review_request_close(*, review: ReviewRequest, user) -> ReviewRequest:
    """The organiser has finished reviewing; the OPD sees the request as answered."""
    with transaction.atomic():
        locked = ReviewRequest.objects.select_for_update().get(pk=review.pk)
        if locked.closed_at is None:
            locked.closed_at = timezone.now()
            locked.closed_by = user
            locked.save(update_fields=["closed_at", "closed_by"])
    return locked


def coaching_comment_mark_done(*, comment: CoachingComment, user, done: bool = True):
    """The OPD marks a comment as dealt with (or not yet, with ``done=False``)."""
    with transaction.atomic():
        locked = CoachingComment.objects.select_for_update().get(pk=comment.pk)
        locked.done_at = timezone.now() if done else None
        locked.done_by = user if done else None
        locked.save(update_fields=["done_at", "done_by"])
    return locked
