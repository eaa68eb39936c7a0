"""Write the exchange package of a target round: ``manifest.json`` plus every attachment."""

from __future__ import annotations

import hashlib
import json
import uuid
import zipfile

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.text import get_valid_filename

from competition.models import (
    Attachment,
    Award,
    EntryAnswer,
    Forwarding,
    Innovator,
    RoundAttachment,
    TargetRound,
)
from competition.selectors.rounds import adapted_sections
from opd.models import RegionProfile

from . import FORMAT, FORMAT_VERSION, MANIFEST

CHUNK = 1024 * 1024


def _date(value) -> str | None:
    return value.isoformat() if value else None


def _region(profile: RegionProfile) -> dict:
    return {
        "kind": profile.kind,
        "name": profile.name,
        "full_name": profile.full_name,
        "organiser": profile.organiser,
    }


def _replicates(innovation, region: RegionProfile) -> dict | None:
    """What a replication replicates; one of this region's innovations travels by name."""
    if innovation.replicates_id:
        origin = innovation.replicates
        awards = [a.label for a in origin.awards.all()]
        return {
            "name": str(origin),
            "region": region.full_name,
            "year": origin.started_on.year,
            "award": awards[-1] if awards else "",
        }
    if innovation.replicates_name.strip():
        return {
            "name": innovation.replicates_name,
            "region": innovation.replicates_region,
            "year": innovation.replicates_year,
            "award": innovation.replicates_award,
        }
    return None


def _round(target: TargetRound) -> dict:
    return {
        "slug": target.slug,
        "name": target.name,
        "series": target.series,
        "year": target.year,
        "level": target.level,
        "organiser": target.organiser,
        "organiser_region": target.organiser_region,
    }


def _sections(entry, round_sections, answers, adaptations) -> list[dict]:
    """The round's sections for the entry's group, in the round's order: the OPD's adapted
    text when there is one, else the text of the region's sections it names."""
    return [
        {
            "key": row.section.key,
            "label": row.section.label,
            "word_limit": row.section.word_limit,
            "text": row.text,
            "word_count": row.words,
            "adapted": row.adapted,
        }
        for row in adapted_sections(entry, round_sections, answers, adaptations)
    ]


def _attachment_entries(entry, round_kinds, attachments, round_attachments=()) -> list[dict]:
    kind_for = {}
    for kind in round_kinds:
        if kind.applies_to(entry.group.code):
            for key in kind.source_keys:
                kind_for.setdefault(key, kind)
    rows = []
    for number, attachment in enumerate(attachments, start=1):
        round_kind = kind_for.get(attachment.kind.key)
        name = get_valid_filename(attachment.original_name) or "berkas"
        rows.append(
            {
                "path": f"lampiran/{entry.reference}/{number:02d}-{name}",
                "name": attachment.original_name,
                "kind": attachment.kind.key,
                "kind_label": attachment.kind.label,
                "round_kind": round_kind.key if round_kind else None,
                "content_type": attachment.content_type,
                "size": attachment.size,
                "sha256": attachment.sha256,
                "_attachment": attachment,
            }
        )
    # Files the OPD added for the round's own kinds, after the proposal's.
    for number, attachment in enumerate(round_attachments, start=len(rows) + 1):
        name = get_valid_filename(attachment.original_name) or "berkas"
        rows.append(
            {
                "path": f"lampiran/{entry.reference}/{number:02d}-{name}",
                "name": attachment.original_name,
                "kind": attachment.kind.key,
                "kind_label": attachment.kind.label,
                "round_kind": attachment.kind.key,
                "content_type": attachment.content_type,
                "size": attachment.size,
                "sha256": attachment.sha256,
                "_attachment": attachment,
            }
        )
    return rows


def package_entries(target: TargetRound) -> list[Forwarding]:
    return list(
        Forwarding.objects.filter(round=target)
        .select_related(
            "entry__innovation__replicates",
            "entry__agency__parent",
            "entry__group",
            "entry__category",
        )
        .prefetch_related(
            "entry__innovation__sdgs",
            Prefetch("entry__innovation__innovators", queryset=Innovator.objects.order_by("order")),
            Prefetch("entry__innovation__awards", queryset=Award.objects.order_by("year", "pk")),
            Prefetch(
                "entry__innovation__replicates__awards",
                queryset=Award.objects.order_by("year", "pk"),
            ),
            Prefetch("entry__answers", queryset=EntryAnswer.objects.select_related("section")),
            "adaptations",
            Prefetch(
                "round_attachments",
                queryset=RoundAttachment.objects.select_related("kind").order_by(
                    "kind__order", "kind__pk", "uploaded_at", "pk"
                ),
            ),
            Prefetch(
                "entry__attachments",
                queryset=Attachment.objects.select_related("kind").order_by(
                    "kind__order", "kind__pk", "uploaded_at", "pk"
                ),
            ),
        )
        .order_by("entry__reference")
    )


def manifest_for(target: TargetRound) -> tuple[dict, list[tuple[str, Attachment]]]:
    """The manifest and the (path in the ZIP, attachment) pairs to copy beside it."""
    region = RegionProfile.current()
    round_sections = list(target.sections.all())
    round_kinds = list(target.attachment_kinds.all())
    files = []
    entries = []
    for forwarding in package_entries(target):
        entry = forwarding.entry
        innovation = entry.innovation
        judged = entry.judged
        agency = entry.agency
        attachments = _attachment_entries(
            entry, round_kinds, entry.attachments.all(), forwarding.round_attachments.all()
        )
        for row in attachments:
            files.append((row["path"], row.pop("_attachment")))
        entries.append(
            {
                "reference": entry.reference,
                "competition_year": entry.competition.year,
                "group": entry.group.code,
                "category": entry.category.name,
                "status": entry.status,
                "video_url": entry.video_url,
                "agency": {
                    "name": agency.name,
                    "short_name": agency.short_name,
                    "kind": agency.kind,
                    "parent": agency.parent.name if agency.parent else None,
                },
                # The facts the entry was judged on (frozen at submission), not the
                # innovation as its OPD may have edited it since.
                "innovation": {
                    "title": judged.title,
                    "brand_name": judged.brand_name,
                    "brand_long_form": judged.brand_long_form,
                    "description": innovation.description,
                    "started_on": _date(judged.started_on),
                    "trial_on": _date(judged.trial_on),
                    "stage": judged.stage,
                    "form": judged.form,
                    "is_digital": judged.is_digital,
                    "is_application": judged.is_application,
                    "initiator": judged.initiator,
                    "replicates": _replicates(innovation, region),
                },
                "innovators": [
                    {
                        "name": person.name,
                        "nip": person.nip,
                        "role": person.role,
                        "phone": person.phone,
                        "email": person.email,
                    }
                    for person in judged.innovators
                ],
                "sdgs": sorted(sdg.number for sdg in judged.sdgs),
                "awards": [
                    {
                        "level": award.level,
                        "year": award.year,
                        "label": award.label,
                        "rank": award.rank,
                        "decree_number": award.decree_number,
                        "decree_date": _date(award.decree_date),
                        "prize": award.prize,
                        "is_top_winner": award.is_top_winner,
                        "is_top_99": award.is_top_99,
                    }
                    for award in innovation.awards.all()
                ],
                "sections": _sections(
                    entry, round_sections, entry.answers.all(), forwarding.adaptations.all()
                ),
                "attachments": attachments,
            }
        )
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "package_id": uuid.uuid4().hex,
        "created_at": timezone.now().isoformat(),
        "source": _region(region),
        "round": _round(target),
        "entries": entries,
    }
    return manifest, files


def write_package(target: TargetRound, sink) -> dict:
    """Write the package ZIP to the binary file ``sink``; return its manifest.

    Each attachment is copied in 1 MB chunks and its SHA-256 taken from the bytes written,
    so the manifest states what is in the ZIP even if a stored checksum was stale.
    """
    manifest, files = manifest_for(target)
    by_path = {a["path"]: a for e in manifest["entries"] for a in e["attachments"]}
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, attachment in files:
            digest = hashlib.sha256()
            size = 0
            with attachment.file.open("rb") as source, archive.open(path, "w") as out:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
            by_path[path]["sha256"] = digest.hexdigest()
            by_path[path]["size"] = size
        archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
    return manifest
