"""Writes of the OPD proposal journey: open an entry, save its draft, attach files,
submit, withdraw.

Every function checks the clock on the server (``Entry.is_change_window_open``)
whatever the browser sends, and raises ``ValidationError`` with a message the OPD staff
can act on. Who may call them (the entry's own OPD) is checked by the views through
``competition.rules``.
"""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from competition.eligibility import (
    answer_length,
    count_words,
    entry_problems,
    open_problems,
    sections_for,
    too_long_message,
)
from competition.models import (
    Attachment,
    AttachmentKind,
    Category,
    Competition,
    CompetitionGroup,
    Entry,
    EntryAnswer,
    EntryStatus,
    Innovation,
    SectionSpec,
    innovation_facts,
)
from competition.services.coaching import answer_versions_record
from competition.services.status import entry_set_status_locked
from competition.uploads import check_upload
from kovablik.db import update_rows
from outbox.services import mail_queue

logger = logging.getLogger(__name__)


def _local(dt) -> str:
    return formats.date_format(timezone.localtime(dt), "DATETIME_FORMAT")


def _ensure_changeable(entry: Entry, now=None) -> None:
    """Refuse any change to an entry that is locked by its status or by the clock."""
    now = now or timezone.now()
    if not entry.is_editable:
        raise ValidationError(
            _(
                "Proposal ini sudah dikirim dan terkunci. Tarik kembali pengirimannya dulu "
                "bila masih ingin mengubahnya sebelum batas waktu."
            ),
            code="locked",
        )
    if not entry.is_change_window_open(now):
        competition = entry.competition
        if entry.status == EntryStatus.RETURNED:
            message = _(
                "Batas waktu perbaikan (%(due)s WIB) telah lewat; proposal tidak dapat diubah lagi."
            ) % {"due": _local(entry.change_deadline)}
        elif now < competition.submission_opens_at:
            message = _("Pendaftaran belum dibuka; dibuka %(at)s WIB.") % {
                "at": _local(competition.submission_opens_at)
            }
        else:
            message = _(
                "Pendaftaran telah ditutup pada %(at)s WIB; proposal tidak dapat diubah lagi."
            ) % {"at": _local(competition.submission_closes_at)}
        raise ValidationError(message, code="closed")


def _locked(entry: Entry) -> Entry:
    """``entry``'s row read again under a row lock, with the related rows ``entry`` already
    holds (its year, group, innovation...) taken over rather than joined again: a join costs
    about half what a query does, and those rows were read a moment ago by the same request,
    outside the lock as they would be here (only the entry row is locked). Anything the caller
    did not read is read when first used."""
    locked = Entry.objects.select_for_update().get(pk=entry.pk)
    for field in Entry._meta.concrete_fields:
        if field.is_relation and field.is_cached(entry):
            held = field.get_cached_value(entry)
            if held is not None and held.pk == getattr(locked, field.attname):
                field.set_cached_value(locked, held)
    return locked


def entry_open(
    *,
    innovation: Innovation,
    competition: Competition,
    group: CompetitionGroup,
    category: Category,
    user,
) -> Entry:
    """Open ``innovation``'s entry in ``competition``: one per innovation per year, within
    the competition's limit of entries per OPD."""
    now = timezone.now()
    if not competition.is_submission_open(now):
        raise ValidationError(
            _("Pendaftaran %(competition)s tidak sedang dibuka.") % {"competition": competition},
            code="closed",
        )
    if group.competition_id != competition.pk or not group.is_open or group.invitation_only:
        raise ValidationError(_("Kelompok yang dipilih tidak dibuka tahun ini."), code="group")
    if category.competition_id != competition.pk:
        raise ValidationError(_("Kategori yang dipilih bukan kategori tahun ini."), code="category")
    # Age, award history and a title taken this year are known now: say so before the OPD
    # writes a proposal that "Periksa dan kirim" would refuse.
    problems = open_problems(innovation, competition)
    if problems:
        raise ValidationError(
            [ValidationError(f"{p.label}: {p.message}", code=p.field) for p in problems]
        )
    with transaction.atomic():
        # The competition row serialises openings so that two tabs cannot both pass the quota.
        competition = Competition.objects.select_for_update().get(pk=competition.pk)
        if Entry.objects.filter(competition=competition, innovation=innovation).exists():
            raise ValidationError(
                _("Inovasi ini sudah memiliki proposal di kompetisi %(year)s.")
                % {"year": competition.year},
                code="exists",
            )
        limit = competition.max_entries_per_agency
        if limit is not None:
            taken = Entry.objects.filter(
                competition=competition, agency_id=innovation.agency_id
            ).count()
            if taken >= limit:
                raise ValidationError(
                    _(
                        "%(agency)s sudah memiliki %(n)s proposal (draf dan terkirim) tahun ini; "
                        "batasnya %(limit)s per OPD. Lanjutkan atau hapus proposal yang ada."
                    )
                    % {"agency": innovation.agency, "n": taken, "limit": limit},
                    code="quota",
                )
        try:
            with transaction.atomic():
                return Entry.objects.create(
                    competition=competition,
                    innovation=innovation,
                    agency_id=innovation.agency_id,
                    group=group,
                    category=category,
                    created_by=user,
                )
        except IntegrityError as exc:
            raise ValidationError(
                _("Inovasi ini sudah memiliki proposal di kompetisi %(year)s.")
                % {"year": competition.year},
                code="exists",
            ) from exc


def entry_save_draft(
    *,
    entry: Entry,
    user,
    version: int,
    answers: dict[int, str],
    video_url: str = "",
    declaration_accepted: bool = False,
    category: Category | None = None,
    sections: list[SectionSpec] | None = None,
) -> Entry:
    """Save whatever the OPD typed, complete or not, over the word limit or not; only
    a section over its character cap (``SectionSpec.char_limit``) is refused.

    ``version`` is the entry version the form was loaded from; a save from a stale tab
    is refused (code ``stale``) so that it cannot overwrite newer text. ``answers`` maps
    a section's pk to its text; sections not applicable to the entry's group are ignored.
    ``sections`` are the entry's sections (``sections_for``) when the caller's form has
    just read them for ``entry.group``; they are read again if the group is another now.
    """
    now = timezone.now()
    with transaction.atomic():
        # Lock the entry row only: locking its competition too made every save queue
        # behind any submission, which locks the competition for the reference number.
        locked = _locked(entry)
        _ensure_changeable(locked, now)
        if locked.version != version:
            raise ValidationError(
                _(
                    "Proposal ini sudah diubah di tab atau oleh pengguna lain sejak Anda "
                    "membukanya. Isian Anda BELUM disimpan dan ditampilkan lagi di bawah: "
                    "periksa, lalu simpan sekali lagi untuk menimpa versi yang tersimpan."
                ),
                code="stale",
            )
        if category is not None:
            if category.competition_id != locked.competition_id:
                raise ValidationError(_("Kategori yang dipilih bukan kategori tahun ini."))
            locked.category = category
        if sections is None or locked.group_id != entry.group_id:
            sections = sections_for(locked.competition, locked.group)
        sections = {s.pk: s for s in sections}
        too_long = [
            ValidationError(too_long_message(sections[pk], answer_length(text)), code="too_long")
            for pk, text in answers.items()
            if pk in sections and answer_length(text) > sections[pk].char_limit
        ]
        if too_long:
            raise ValidationError(too_long)
        existing = {a.section_id: a for a in EntryAnswer.objects.filter(entry=locked).order_by()}
        created, changed = [], []
        for section_id, text in answers.items():
            if section_id not in sections:
                continue
            text = (text or "").replace("\r\n", "\n")
            answer = existing.get(section_id)
            if answer is None:
                created.append(
                    EntryAnswer(
                        entry=locked, section_id=section_id, text=text, word_count=count_words(text)
                    )
                )
            elif answer.text != text:
                answer.text = text
                answer.word_count = count_words(text)
                changed.append(answer)
        # One statement each rather than one per section: saves come in bursts at the deadline.
        EntryAnswer.objects.bulk_create(created)
        update_rows(changed, ["text", "word_count"])
        texts = {a.section_id: a.text for a in created + changed}
        answer_versions_record(entry=locked, texts=texts, user=user, now=now)
        locked.video_url = (video_url or "").strip()
        locked.declaration_accepted = bool(declaration_accepted)
        locked.version += 1
        locked.save(
            update_fields=[
                "category",
                "video_url",
                "declaration_accepted",
                "version",
                "updated_at",
            ]
        )
    entry.take_row(locked)
    return entry


def _next_reference(competition: Competition) -> str:
    """``PREFIX-YEAR-NNNN``, one more than the highest number given this year.

    Called with the competition row locked, so two submissions cannot take the same
    number; the unique constraint on ``Entry.reference`` is the last guard.
    """
    highest = 0
    for reference in (
        Entry.objects.filter(competition=competition, reference__isnull=False)
        .order_by()
        .values_list("reference", flat=True)
    ):
        tail = reference.rsplit("-", 1)[-1]
        if tail.isdigit():
            highest = max(highest, int(tail))
    return f"{competition.reference_prefix}-{competition.year}-{highest + 1:04d}"


def _queue_receipt(entry: Entry, user) -> None:
    mail_queue(
        subject=gettext_lazy("Proposal %(reference)s telah diterima"),
        template="competition/opd/email/entry_submitted.txt",
        context={
            "entry": entry,
            "reference": entry.reference,
            "url": settings.SITE_URL + reverse("competition:entry_receipt", args=[entry.pk]),
        },
        recipient=user,
        kind="competition.entry_submitted",
    )


def entry_submit(*, entry: Entry, user) -> Entry:
    """Submit ``entry`` when nothing blocks it; give it a reference number once.

    Idempotent: submitting an entry that is already submitted returns it unchanged, so a
    double click makes one submission. Raises ``ValidationError`` with one message per
    problem (see ``competition.eligibility.entry_problems``).
    """
    now = timezone.now()
    with transaction.atomic():
        competition = Competition.objects.select_for_update().get(pk=entry.competition_id)
        # What entry_problems reads (innovation and its OPD, group, category) is taken over
        # from what the caller read, or read when first used.
        locked = _locked(entry)
        locked.competition = competition
        if locked.status == EntryStatus.SUBMITTED:
            entry.refresh_from_db()
            return entry
        _ensure_changeable(locked, now)
        problems = entry_problems(locked)
        if problems:
            raise ValidationError(
                [ValidationError(f"{p.label}: {p.message}", code=p.field) for p in problems]
            )
        reference = locked.reference or _next_reference(competition)
        try:
            # No savepoint: a taken reference fails the whole submission anyway.
            with transaction.atomic(savepoint=False):
                entry_set_status_locked(
                    locked=locked,
                    to_status=EntryStatus.SUBMITTED,
                    actor=user,
                    reason=_("Dikirim oleh OPD"),
                    reference=reference,
                    submitted_at=now,
                    # The copy that screening and judging read from now on.
                    facts=innovation_facts(locked.innovation),
                )
        except IntegrityError as exc:
            raise ValidationError(
                _("Nomor registrasi sedang dipakai pengiriman lain. Silakan kirim sekali lagi."),
                code="reference",
            ) from exc
        if user.email:
            # ``locked`` is the submitted row now, with the innovation, agency and year.
            _queue_receipt(locked, user)
    entry.take_row(locked)
    return entry


def entry_withdraw(*, entry: Entry, user) -> Entry:
    """Move a submitted entry back to draft before the deadline; it keeps its reference."""
    now = timezone.now()
    with transaction.atomic():
        locked = Entry.objects.select_for_update().select_related("competition").get(pk=entry.pk)
        if locked.status != EntryStatus.SUBMITTED:
            raise ValidationError(
                _("Hanya proposal berstatus “Dikirim” yang dapat ditarik kembali."),
                code="status",
            )
        if not locked.competition.is_submission_open(now):
            raise ValidationError(
                _("Pendaftaran telah ditutup pada %(at)s WIB; pengiriman tidak dapat ditarik.")
                % {"at": _local(locked.competition.submission_closes_at)},
                code="closed",
            )
        entry_set_status_locked(
            locked=locked,
            to_status=EntryStatus.DRAFT,
            actor=user,
            reason=_("Ditarik kembali oleh OPD"),
            version=locked.version + 1,
        )
    entry.refresh_from_db()
    return entry


def _delete_quietly(storage, name: str) -> None:
    """Remove what a failed write left behind; a second failure must not hide the first."""
    try:
        if storage.exists(name):
            storage.delete(name)
    except OSError:
        logger.exception("Could not remove the partial upload %s", name)


def attachments_add(
    *, entry: Entry, uploads: list[tuple[AttachmentKind, object]], user
) -> tuple[list[Attachment], list[ValidationError]]:
    """Check the files of one save by content and store them together for ``entry``.

    Returns the stored attachments and one ``ValidationError`` per file refused (its
    content, the kind's file limit, a storage failure such as a full disk, code
    ``storage``): a refused file never keeps the others out. The files and their rows are
    written in one transaction, under one lock of the entry and one count per kind, the
    rows in one INSERT, so a save with four files commits once instead of four times. If
    anything fails after a file is stored, every file of the save is removed with its rows:
    no orphan is left.
    """
    refused: list[ValidationError] = []
    checked = []
    for kind, upload in uploads:
        try:
            if kind.competition_id != entry.competition_id:
                raise ValidationError(_("Jenis lampiran ini bukan untuk kompetisi proposal ini."))
            checked.append(
                (
                    kind,
                    upload,
                    check_upload(
                        upload, allowed_types=kind.allowed_types, max_size_mb=kind.max_size_mb
                    ),
                )
            )
        except ValidationError as exc:
            refused.append(exc)
    if not checked:
        return [], refused
    added: list[Attachment] = []
    stored_names: list[str] = []
    storage = Attachment._meta.get_field("file").storage
    try:
        # durable: once this block exits the rows are committed, so no file is orphaned
        # by an outer rollback.
        with transaction.atomic(durable=True):
            # The entry row only, as in entry_save_draft: a submission elsewhere holds the
            # competition row while it numbers its entry.
            locked = _locked(entry)
            try:
                _ensure_changeable(locked)
            except ValidationError as exc:
                return [], [*refused, exc]
            counts = dict(
                Attachment.objects.filter(entry=locked)
                .values_list("kind_id")
                .annotate(n=Count("pk"))
                .order_by()
            )
            for kind, upload, upload_checked in checked:
                attachment = _attachment_store(
                    locked, kind, upload, upload_checked, user, counts, stored_names
                )
                if isinstance(attachment, ValidationError):
                    refused.append(attachment)
                else:
                    added.append(attachment)
            if added:
                Attachment.objects.bulk_create(added)
                Entry.objects.filter(pk=locked.pk).update(updated_at=timezone.now())
    except BaseException:
        for name in stored_names:
            _delete_quietly(storage, name)
        raise
    return added, refused


def _attachment_store(locked, kind, upload, checked, user, counts, stored_names):
    """Store one checked file and return its row, not yet saved, or say why not; ``counts``
    and ``stored_names`` follow what this save has written so far."""
    if counts.get(kind.pk, 0) >= kind.max_files:
        return ValidationError(
            _(
                "Berkas “%(name)s” tidak diunggah: “%(kind)s” paling banyak %(max)s "
                "berkas. Hapus berkas lama dulu bila ingin menggantinya."
            )
            % {"name": checked.name, "kind": kind.label, "max": kind.max_files},
            code="max_files",
        )
    attachment = Attachment(
        entry=locked,
        kind=kind,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=user,
    )
    storage = attachment.file.storage
    # The opaque name is chosen here, not by the storage, so that a write that fails
    # half-way (disk full) can still be cleaned up by name.
    target = attachment.file.field.generate_filename(attachment, checked.name)
    try:
        stored_name = storage.save(target, upload)
    except OSError:
        logger.exception("Storing an attachment for entry %s failed", locked.pk)
        _delete_quietly(storage, target)
        return ValidationError(
            _(
                "Berkas “%(name)s” gagal disimpan di server (ruang penyimpanan penuh "
                "atau gangguan). Isian Anda tidak hilang; coba unggah lagi nanti atau "
                "hubungi Bagian Organisasi."
            )
            % {"name": checked.name},
            code="storage",
        )
    stored_names.append(stored_name)
    attachment.file.name = stored_name
    counts[kind.pk] = counts.get(kind.pk, 0) + 1
    return attachment


def attachment_delete(*, attachment: Attachment, user) -> None:
    """Remove an attachment while its entry may change; the file goes once the row is gone."""
    with transaction.atomic():
        entry = (
            Entry.objects.select_for_update(of=("self",))
            .select_related("competition")
            .get(pk=attachment.entry_id)
        )
        _ensure_changeable(entry)
        storage, name = attachment.file.storage, attachment.file.name
        attachment.delete()
        transaction.on_commit(lambda: storage.delete(name))
