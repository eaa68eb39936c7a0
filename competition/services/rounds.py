"""Target rounds: created from a starting format, copied to a new year, entries forwarded."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from competition import defaults
from competition.eligibility import count_words
from competition.models import (
    Entry,
    Forwarding,
    RoundAdaptation,
    RoundAttachment,
    RoundAttachmentKind,
    RoundGroupRule,
    RoundSection,
    TargetRound,
)
from competition.models.competition import AttachmentType
from competition.selectors import rounds as selectors
from competition.uploads import check_upload


def _check_slug_free(slug: str) -> None:
    if TargetRound.objects.filter(slug=slug).exists():
        raise ValidationError(
            _("Putaran dengan kode %(slug)s sudah ada. Ubah putaran itu atau pilih tahun lain.")
            % {"slug": slug},
            code="exists",
        )


def _text(value) -> str:
    return str(value)


@transaction.atomic
def round_create_from_format(*, format_key: str, year: int) -> TargetRound:
    """A round for ``year`` from one of the starting formats in ``competition.defaults``."""
    spec = defaults.ROUND_FORMATS.get(format_key)
    if spec is None:
        raise ValidationError(_("Format putaran tidak dikenal."), code="format")
    slug = slugify(f"{spec['series']}-{year}")
    _check_slug_free(slug)
    target = TargetRound.objects.create(
        name=spec["name"] % {"year": year},
        slug=slug,
        series=spec["series"],
        year=year,
        level=spec["level"],
        organiser=spec["organiser"],
        organiser_region=spec["organiser_region"],
        steps=[_text(step) for step in spec["steps"]],
        award_labels=[_text(label) for label in spec["award_labels"]],
    )
    RoundGroupRule.objects.bulk_create(
        RoundGroupRule(round=target, **rule) for rule in spec["rules"]
    )
    RoundSection.objects.bulk_create(
        RoundSection(
            round=target,
            key=section["key"],
            label=_text(section["label"]),
            guidance=_text(section.get("guidance", "")),
            word_limit=section["word_limit"],
            order=order,
            groups=[str(g) for g in section.get("groups", [])],
            source_keys=list(section.get("source_keys", [])),
        )
        for order, section in enumerate(spec["sections"], start=1)
    )
    RoundAttachmentKind.objects.bulk_create(
        RoundAttachmentKind(
            round=target,
            key=kind["key"],
            label=_text(kind["label"]),
            order=order,
            groups=[str(g) for g in kind.get("groups", [])],
            source_keys=list(kind.get("source_keys", [])),
        )
        for order, kind in enumerate(spec["attachments"], start=1)
    )
    return target


def _shift(date, years: int):
    if date is None:
        return None
    try:
        return date.replace(year=date.year + years)
    except ValueError:  # 29 February
        return date.replace(year=date.year + years, day=28)


def _copy(obj, **overrides) -> dict:
    values = {
        f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if not f.primary_key
    }
    values.update(overrides)
    return values


@transaction.atomic
def round_copy(*, source: TargetRound, year: int) -> TargetRound:
    """Next year's round of the same series: rules, sections, attachments and vocabulary."""
    slug = slugify(f"{source.series}-{year}")
    _check_slug_free(slug)
    years = year - source.year
    name = source.name.replace(str(source.year), str(year))
    if name == source.name:
        name = f"{source.name} {year}"
    target = TargetRound.objects.create(
        **_copy(
            source,
            name=name,
            slug=slug,
            year=year,
            opens_on=_shift(source.opens_on, years),
            closes_on=_shift(source.closes_on, years),
            copied_from_id=source.pk,
        )
    )
    for model, related in (
        (RoundGroupRule, source.rules),
        (RoundSection, source.sections),
        (RoundAttachmentKind, source.attachment_kinds),
    ):
        model.objects.bulk_create(model(**_copy(obj, round_id=target.pk)) for obj in related.all())
    return target


def round_copy_latest(*, series: str, year: int) -> TargetRound:
    """Copy the latest round of ``series`` to ``year``."""
    source = TargetRound.objects.filter(series=series, year__lt=year).order_by("-year").first()
    if source is None:
        raise ValidationError(
            _("Belum ada putaran seri %(series)s sebelum %(year)s untuk disalin.")
            % {"series": series, "year": year},
            code="no_source",
        )
    return round_copy(source=source, year=year)


def entry_forward_to_round(
    *, entry: Entry, target_round: TargetRound, actor, notes: str = ""
) -> Forwarding:
    """Forward a screened-in entry to a round whose rules it meets.

    A placement in the city's result is not required. Every rule the entry fails is
    refused with its reason (age for its group, the group's quota for the region, how
    often the innovation may enter the round's series, award history, video). The round
    row is locked so that two organisers cannot both take the last place of a quota.
    Forwarding twice returns the existing record.
    """
    with transaction.atomic():
        target_round = TargetRound.objects.select_for_update().get(pk=target_round.pk)
        existing = Forwarding.objects.filter(entry=entry, round=target_round).first()
        if existing is not None:
            return existing
        check = selectors.round_check_entry(entry, target_round)
        if check.problems:
            raise ValidationError(check.problems, code="round_rules")
        forwarding = Forwarding(
            entry=entry,
            level=target_round.level,
            round=target_round,
            forwarded_by=actor,
            notes=(notes or "").strip(),
        )
        forwarding._history_user = actor
        forwarding.save()
        return forwarding


def _lock_forwarding(forwarding: Forwarding) -> Forwarding:
    locked = (
        Forwarding.objects.select_for_update(of=("self",))
        .select_related("round", "entry__group")
        .get(pk=forwarding.pk)
    )
    if locked.round_id is None:
        raise ValidationError(
            _("Penerusan ini tidak ke putaran tujuan; tidak ada format untuk disesuaikan."),
            code="no_round",
        )
    return locked


def adaptation_save(
    *, forwarding: Forwarding, section: RoundSection, text: str, user
) -> RoundAdaptation:
    """Store the OPD's text for one of the round's sections, refused over the word limit.

    Every save is kept in the adaptation's history (who, when, what)."""
    text = (text or "").replace("\r\n", "\n").strip()
    with transaction.atomic():
        locked = _lock_forwarding(forwarding)
        if section.round_id != locked.round_id or not section.applies_to(locked.entry.group.code):
            raise ValidationError(
                _("Bagian ini bukan bagian %(round)s untuk kelompok proposal ini.")
                % {"round": locked.round.name},
                code="section",
            )
        words = count_words(text)
        if words > section.word_limit:
            raise ValidationError(
                _(
                    "“%(section)s” berisi %(words)s kata; %(round)s membatasi %(limit)s kata. "
                    "Persingkat %(over)s kata lagi lalu simpan."
                )
                % {
                    "section": section.label,
                    "words": words,
                    "round": locked.round.name,
                    "limit": section.word_limit,
                    "over": words - section.word_limit,
                },
                code="word_limit",
            )
        adaptation = RoundAdaptation.objects.filter(forwarding=locked, section=section).first()
        if adaptation is None:
            adaptation = RoundAdaptation(forwarding=locked, section=section)
        elif adaptation.text == text:
            return adaptation
        adaptation.text = text
        adaptation.updated_by = user
        adaptation._history_user = user
        adaptation.save()
        return adaptation


ROUND_ATTACHMENT_TYPES = [AttachmentType.PDF, AttachmentType.IMAGE]
ROUND_ATTACHMENT_MAX_MB = 10


def round_attachment_add(
    *, forwarding: Forwarding, kind: RoundAttachmentKind, upload, user
) -> RoundAttachment:
    """Check ``upload`` by content and store it for one of the round's attachment kinds."""
    checked = check_upload(
        upload, allowed_types=ROUND_ATTACHMENT_TYPES, max_size_mb=ROUND_ATTACHMENT_MAX_MB
    )
    attachment = RoundAttachment(
        kind=kind,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=user,
    )
    stored_name = None
    try:
        with transaction.atomic(durable=True):
            locked = _lock_forwarding(forwarding)
            if kind.round_id != locked.round_id or not kind.applies_to(locked.entry.group.code):
                raise ValidationError(
                    _("Jenis lampiran ini bukan lampiran %(round)s untuk kelompok proposal ini.")
                    % {"round": locked.round.name},
                    code="kind",
                )
            attachment.forwarding = locked
            target = attachment.file.field.generate_filename(attachment, checked.name)
            stored_name = attachment.file.storage.save(target, upload)
            attachment.file.name = stored_name
            attachment.save()
    except BaseException:
        if stored_name:
            attachment.file.storage.delete(stored_name)
        raise
    return attachment


def round_attachment_delete(*, attachment: RoundAttachment, user) -> None:
    """Remove a file the OPD added for a round; the stored file goes once the row is gone."""
    with transaction.atomic():
        _lock_forwarding(attachment.forwarding)
        storage, name = attachment.file.storage, attachment.file.name
        attachment.delete()
        transaction.on_commit(lambda: storage.delete(name))
