"""Import an exchange package: every entry of it, or nothing.

Checked before anything is written: the ZIP and its manifest, the format version, the JSON
Schema, that this installation's region organises the round, that the package was not
imported before, and every attachment's size and SHA-256 against the bytes in the ZIP.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
from dataclasses import dataclass

import jsonschema
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from competition.eligibility import count_words
from competition.models import (
    SDG,
    Attachment,
    AttachmentKind,
    Award,
    Category,
    Competition,
    CompetitionGroup,
    Entry,
    EntryAnswer,
    EntryStatus,
    ImportedEntry,
    ImportedPackage,
    Innovation,
    Innovator,
    SectionSpec,
    StatusChange,
)
from competition.services.entries import _next_reference
from opd.models import Agency, AgencyKind, RegionProfile

from . import FORMAT, MANIFEST, SUPPORTED_VERSIONS, manifest_schema


@dataclass
class OpenedPackage:
    manifest: dict
    manifest_sha256: str
    files: dict[str, bytes]


def _refuse(message: str, code: str):
    raise ValidationError(message, code=code)


def package_read(source) -> OpenedPackage:
    """Open and check a package (a path or a binary file) without writing anything."""
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError):
        _refuse(_("Berkas ini bukan paket ZIP yang dapat dibaca."), "not_zip")
    with archive:
        try:
            raw = archive.read(MANIFEST)
        except KeyError:
            _refuse(_("Paket tidak memuat manifest.json."), "no_manifest")
        try:
            manifest = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            _refuse(_("manifest.json paket ini rusak (bukan JSON)."), "bad_manifest")
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            _refuse(_("Berkas ini bukan paket penerusan Kovablik."), "format")
        version = manifest.get("format_version")
        if version not in SUPPORTED_VERSIONS:
            _refuse(
                _(
                    "Versi format paket %(version)s tidak dikenal; versi yang dapat dibaca: "
                    "%(known)s."
                )
                % {"version": version, "known": ", ".join(sorted(SUPPORTED_VERSIONS))},
                "version",
            )
        errors = sorted(
            jsonschema.Draft202012Validator(manifest_schema()).iter_errors(manifest),
            key=lambda e: list(e.absolute_path),
        )
        if errors:
            where = "/".join(str(p) for p in errors[0].absolute_path) or "manifest"
            _refuse(
                _("manifest.json tidak sesuai skema di %(where)s: %(error)s")
                % {"where": where, "error": errors[0].message},
                "schema",
            )
        files = {}
        for entry in manifest["entries"]:
            for item in entry["attachments"]:
                path = item["path"]
                if ".." in path.split("/"):
                    _refuse(_("Jalur berkas tidak sah: %(path)s.") % {"path": path}, "path")
                try:
                    data = archive.read(path)
                except KeyError:
                    _refuse(
                        _("Lampiran %(name)s tidak ada di dalam paket.") % {"name": item["name"]},
                        "missing_file",
                    )
                if len(data) != item["size"] or hashlib.sha256(data).hexdigest() != item["sha256"]:
                    _refuse(
                        _(
                            "Lampiran %(name)s (%(reference)s) berubah: isinya tidak cocok dengan "
                            "checksum SHA-256 di manifest. Minta paket baru dari pengirimnya."
                        )
                        % {"name": item["name"], "reference": entry["reference"]},
                        "checksum",
                    )
                files[path] = data
    return OpenedPackage(
        manifest=manifest, manifest_sha256=hashlib.sha256(raw).hexdigest(), files=files
    )


def _check_destination(opened: OpenedPackage) -> Competition:
    manifest = opened.manifest
    target = manifest["round"]
    here = RegionProfile.current().full_name
    if not here or here.casefold() != target["organiser_region"].strip().casefold():
        _refuse(
            _(
                "Paket ini untuk %(round)s yang diselenggarakan %(organiser)s; daerah instalasi "
                "ini (%(here)s) bukan penyelenggaranya."
            )
            % {
                "round": target["name"],
                "organiser": target["organiser_region"] or target["organiser"],
                "here": here or "-",
            },
            "region",
        )
    if ImportedPackage.objects.filter(package_id=manifest["package_id"]).exists() or (
        ImportedPackage.objects.filter(
            source_region=manifest["source"]["full_name"],
            round_slug=target["slug"],
            manifest_sha256=opened.manifest_sha256,
        ).exists()
    ):
        _refuse(_("Paket ini sudah pernah diimpor."), "already_imported")
    competition = Competition.objects.filter(year=target["year"]).first()
    if competition is None:
        _refuse(
            _("Buat dulu kompetisi tahun %(year)s untuk menampung proposal %(round)s.")
            % {"year": target["year"], "round": target["name"]},
            "no_competition",
        )
    return competition


def _date(value):
    return dt.date.fromisoformat(value) if value else None


def _agency(data: dict, region: str) -> Agency:
    """The sending region's agency, kept apart from this region's own (inactive, named with
    its region) so that it is never asked to enter this region's competition."""
    parent = (
        _agency(
            {"name": data["parent"], "short_name": "", "kind": AgencyKind.LAINNYA, "parent": None},
            region,
        )
        if data["parent"]
        else None
    )
    name = f"{data['name']} ({region})"[:200]
    agency, _created = Agency.objects.get_or_create(
        name=name,
        defaults={
            "short_name": data["short_name"][:50],
            "kind": data["kind"],
            "parent": parent,
            "region": region,
            "is_active": False,
        },
    )
    return agency


class _Files:
    """Files saved during an import, deleted again if the import is rolled back."""

    def __init__(self):
        self.saved: list[str] = []

    def forget(self):
        for name in self.saved:
            default_storage.delete(name)


def _create_entry(data, *, package, competition, region, opened, actor, files) -> Entry:
    agency = _agency(data["agency"], region)
    facts = data["innovation"]
    replicates = facts.get("replicates") or {}
    innovation = Innovation.objects.create(
        agency=agency,
        title=facts["title"],
        brand_name=facts["brand_name"],
        brand_long_form=facts["brand_long_form"],
        description=facts["description"],
        started_on=_date(facts["started_on"]),
        trial_on=_date(facts["trial_on"]),
        stage=facts["stage"],
        form=facts["form"],
        is_digital=facts["is_digital"],
        is_application=facts["is_application"],
        initiator=facts["initiator"],
        replicates_name=replicates.get("name", ""),
        replicates_region=replicates.get("region", ""),
        replicates_year=replicates.get("year"),
        replicates_award=replicates.get("award", ""),
        is_published=False,
        created_by=actor,
    )
    Innovator.objects.bulk_create(
        Innovator(innovation=innovation, order=order, **person)
        for order, person in enumerate(data["innovators"])
    )
    innovation.sdgs.set(SDG.objects.filter(number__in=data["sdgs"]))
    Award.objects.bulk_create(
        Award(innovation=innovation, **{**award, "decree_date": _date(award["decree_date"])})
        for award in data["awards"]
    )
    group, _created = CompetitionGroup.objects.get_or_create(
        competition=competition, code=data["group"]
    )
    category, _created = Category.objects.get_or_create(
        competition=competition, name=data["category"]
    )
    entry = Entry.objects.create(
        competition=competition,
        innovation=innovation,
        agency=agency,
        group=group,
        category=category,
        status=EntryStatus.SUBMITTED,
        reference=_next_reference(competition),
        video_url=data["video_url"],
        declaration_accepted=True,
        created_by=actor,
    )
    StatusChange.objects.create(
        entry=entry,
        from_status=EntryStatus.DRAFT,
        to_status=EntryStatus.SUBMITTED,
        reason=_("Diimpor dari paket %(region)s (%(reference)s).")
        % {"region": region, "reference": data["reference"]},
        actor=actor,
    )
    ImportedEntry.objects.create(package=package, entry=entry, source_reference=data["reference"])
    for order, section in enumerate(data["sections"], start=1):
        spec, _created = SectionSpec.objects.get_or_create(
            competition=competition,
            key=section["key"],
            defaults={
                "label": section["label"],
                "word_limit": section["word_limit"],
                "order": order,
            },
        )
        EntryAnswer.objects.create(
            entry=entry, section=spec, text=section["text"], word_count=count_words(section["text"])
        )
    for order, item in enumerate(data["attachments"], start=1):
        kind, _created = AttachmentKind.objects.get_or_create(
            competition=competition,
            key=item["round_kind"] or item["kind"],
            defaults={"label": item["kind_label"], "required": False, "order": order},
        )
        attachment = Attachment(
            entry=entry,
            kind=kind,
            original_name=item["name"],
            content_type=item["content_type"],
            size=item["size"],
            sha256=item["sha256"],
            uploaded_by=actor,
        )
        attachment.file.save("lampiran", ContentFile(opened.files[item["path"]]), save=False)
        files.saved.append(attachment.file.name)
        attachment.save()
    return entry


def package_import(*, source, actor=None) -> ImportedPackage:
    """Create every entry of the package (agencies of the sending region, innovations with
    innovators, SDGs and award history, sections, attachments), or nothing."""
    opened = package_read(source)
    competition = _check_destination(opened)
    manifest = opened.manifest
    region = manifest["source"]["full_name"]
    files = _Files()
    try:
        with transaction.atomic():
            competition = Competition.objects.select_for_update().get(pk=competition.pk)
            package = ImportedPackage.objects.create(
                package_id=manifest["package_id"],
                source_region=region,
                round_slug=manifest["round"]["slug"],
                round_name=manifest["round"]["name"],
                competition=competition,
                manifest_sha256=opened.manifest_sha256,
                format_version=manifest["format_version"],
                imported_by=actor,
            )
            for data in manifest["entries"]:
                _create_entry(
                    data,
                    package=package,
                    competition=competition,
                    region=region,
                    opened=opened,
                    actor=actor,
                    files=files,
                )
    except Exception:
        files.forget()
        raise
    return package
