"""Setting up a year's competition: from the KIPP defaults, or copied from an earlier year."""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from competition import defaults
from competition.models import (
    AttachmentKind,
    Category,
    Competition,
    CompetitionGroup,
    Criterion,
    SectionSpec,
    Stage,
)
from competition.models.competition import AttachmentType
from competition.services.stages import stage_create_defaults

ALLOWED_ATTACHMENT_TYPES = frozenset(AttachmentType.values)


def timeline_errors(
    *,
    submission_opens_at: dt.datetime | None,
    submission_closes_at: dt.datetime | None,
    screening_opens_at: dt.datetime | None = None,
    screening_closes_at: dt.datetime | None = None,
    announcement_at: dt.datetime | None = None,
) -> dict[str, str]:
    """Field name → message for every step of the timeline that comes before the one it follows.

    The order is: submission opens < submission closes <= screening opens < screening
    closes <= announcement. Empty optional dates are skipped.
    """
    errors: dict[str, str] = {}
    if submission_opens_at and submission_closes_at and submission_closes_at <= submission_opens_at:
        errors["submission_closes_at"] = _(
            "Penutupan pendaftaran harus sesudah pembukaan pendaftaran."
        )
    if screening_opens_at and submission_closes_at and screening_opens_at < submission_closes_at:
        errors["screening_opens_at"] = _(
            "Seleksi administrasi baru dapat dimulai sesudah pendaftaran ditutup."
        )
    if screening_closes_at:
        start = screening_opens_at or submission_closes_at
        if start and screening_closes_at <= start:
            errors["screening_closes_at"] = _(
                "Akhir seleksi administrasi harus sesudah awal seleksi dan penutupan pendaftaran."
            )
    if announcement_at:
        previous = [d for d in (submission_closes_at, screening_opens_at, screening_closes_at) if d]
        if previous and announcement_at < max(previous):
            errors["announcement_at"] = _(
                "Pengumuman harus sesudah pendaftaran ditutup dan seleksi administrasi selesai."
            )
    return errors


def attachment_types_errors(allowed_types) -> str | None:
    """A message when a kind's allowed file types are empty or not PDF/image, else None."""
    if not isinstance(allowed_types, list) or not allowed_types:
        return _("Pilih sedikitnya satu jenis berkas: PDF atau gambar.")
    unknown = [t for t in allowed_types if t not in ALLOWED_ATTACHMENT_TYPES]
    if unknown:
        return _("Jenis berkas yang diizinkan hanya PDF dan gambar (JPEG/PNG).")
    return None


def _check_year_free(year: int) -> None:
    if Competition.objects.filter(year=year).exists():
        raise ValidationError(
            _(
                "Kompetisi tahun %(year)s sudah ada. Setiap tahun hanya boleh ada satu "
                "kompetisi; ubah kompetisi yang ada bila perlu."
            )
            % {"year": year},
            code="year_taken",
        )


def _check_timeline(competition: Competition) -> None:
    errors = timeline_errors(
        submission_opens_at=competition.submission_opens_at,
        submission_closes_at=competition.submission_closes_at,
        screening_opens_at=competition.screening_opens_at,
        screening_closes_at=competition.screening_closes_at,
        announcement_at=competition.announcement_at,
    )
    if errors:
        raise ValidationError(errors)


def _save_with_history(obj: models.Model, actor) -> None:
    """Saves and names the actor in simple-history's record when the model keeps one."""
    obj._history_user = actor
    obj.save()


@transaction.atomic
def competition_create_default(
    *,
    year: int,
    name: str,
    submission_opens_at: dt.datetime,
    submission_closes_at: dt.datetime,
    actor,
    theme: str = "",
    screening_opens_at: dt.datetime | None = None,
    screening_closes_at: dt.datetime | None = None,
    announcement_at: dt.datetime | None = None,
    categories: Iterable[str] = (),
) -> Competition:
    """A new competition in the KIPP format (since 2023): groups, sections, attachment kinds.

    The labels are written in Indonesian whatever the organiser's interface language,
    because they are the form OPD staff fill in. The judging stages and their default
    rubrics come from the judging service, for a year still ahead only: a rubric cannot be
    set on a stage that has already opened, so a past year (entered to record history)
    gets its stages by hand or by ``competition_copy``.
    """
    _check_year_free(year)
    competition = Competition(
        year=year,
        name=name,
        theme=theme,
        submission_opens_at=submission_opens_at,
        submission_closes_at=submission_closes_at,
        screening_opens_at=screening_opens_at,
        screening_closes_at=screening_closes_at,
        announcement_at=announcement_at,
        min_age_months=defaults.MIN_AGE_MONTHS,
        forward_quota=defaults.FORWARD_QUOTA,
        reference_prefix=defaults.REFERENCE_PREFIX,
    )
    _check_timeline(competition)
    _save_with_history(competition, actor)
    with translation.override("id"):
        groups = {
            spec["code"]: CompetitionGroup.objects.create(
                competition=competition,
                code=spec["code"],
                description=str(spec["description"]),
                invitation_only=spec["invitation_only"],
            )
            for spec in defaults.GROUPS
        }
        for order, spec in enumerate(defaults.SECTIONS, start=1):
            section = SectionSpec.objects.create(
                competition=competition,
                key=spec["key"],
                label=str(spec["label"]),
                guidance=str(spec["guidance"]),
                word_limit=spec["word_limit"],
                order=order,
            )
            section.groups.set([groups[code] for code in spec.get("groups", [])])
        AttachmentKind.objects.bulk_create(
            AttachmentKind(
                competition=competition,
                key=spec["key"],
                label=str(spec["label"]),
                guidance=str(spec["guidance"]),
                required=spec["required"],
                allowed_types=list(spec["allowed_types"]),
                max_size_mb=spec["max_size_mb"],
                max_files=spec["max_files"],
                order=order,
            )
            for order, spec in enumerate(defaults.ATTACHMENT_KINDS, start=1)
        )
    Category.objects.bulk_create(
        Category(competition=competition, name=label, order=order)
        for order, label in enumerate(categories, start=1)
    )
    if submission_closes_at > timezone.now():
        stage_create_defaults(competition=competition, actor=actor)
    return competition


def shift_years(value: dt.datetime | None, years: int) -> dt.datetime | None:
    """The same local date and time ``years`` later (29 February becomes 28 February)."""
    if value is None:
        return None
    local = timezone.localtime(value)
    try:
        return local.replace(year=local.year + years)
    except ValueError:
        return local.replace(year=local.year + years, day=28)


def _copy_fields(obj: models.Model, **overrides) -> dict:
    """Every concrete field value of ``obj`` except its key and automatic timestamps."""
    values = {}
    for field in obj._meta.concrete_fields:
        if field.primary_key or getattr(field, "auto_now", False):
            continue
        if getattr(field, "auto_now_add", False):
            continue
        values[field.attname] = getattr(obj, field.attname)
    values.update(overrides)
    return values


@transaction.atomic
def competition_copy(*, source: Competition, year: int, actor) -> Competition:
    """A new competition for ``year`` with everything ``source`` sets, dates moved by whole years.

    Copies the rules and prizes, groups, categories, proposal sections (with the groups
    they apply to), attachment kinds, and the judging stages with their criteria. Stages
    come back open (not frozen). Entries, judges and results are never copied.
    """
    _check_year_free(year)
    years = year - source.year
    competition = Competition(
        **_copy_fields(
            source,
            year=year,
            submission_opens_at=shift_years(source.submission_opens_at, years),
            submission_closes_at=shift_years(source.submission_closes_at, years),
            screening_opens_at=shift_years(source.screening_opens_at, years),
            screening_closes_at=shift_years(source.screening_closes_at, years),
            announcement_at=shift_years(source.announcement_at, years),
            results_revision_opened_at=None,
            results_revision_reason="",
            # Releasing judges' feedback is decided each year, before judges are invited.
            feedback_released=False,
        )
    )
    _save_with_history(competition, actor)

    group_map = {}
    for group in source.groups.all():
        group_map[group.pk] = CompetitionGroup.objects.create(
            **_copy_fields(group, competition_id=competition.pk)
        )
    Category.objects.bulk_create(
        Category(**_copy_fields(category, competition_id=competition.pk))
        for category in source.categories.all()
    )
    for section in source.sections.prefetch_related("groups"):
        copy = SectionSpec.objects.create(**_copy_fields(section, competition_id=competition.pk))
        copy.groups.set([group_map[g.pk] for g in section.groups.all()])
    AttachmentKind.objects.bulk_create(
        AttachmentKind(**_copy_fields(kind, competition_id=competition.pk))
        for kind in source.attachment_kinds.all()
    )
    for stage in source.stages.prefetch_related("criteria"):
        stage_copy = Stage(
            **_copy_fields(
                stage,
                competition_id=competition.pk,
                opens_at=shift_years(stage.opens_at, years),
                closes_at=shift_years(stage.closes_at, years),
                closed_at=None,
            )
        )
        _save_with_history(stage_copy, actor)
        for criterion in stage.criteria.all():
            _save_with_history(Criterion(**_copy_fields(criterion, stage_id=stage_copy.pk)), actor)
    return competition
