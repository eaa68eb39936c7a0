"""An open competition and a draft entry of staff_a's agency, built from the factories."""

import datetime as dt

import pytest
from django.utils import timezone

from competition.models import GroupCode
from tests import factories as f


def media_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def competition(db):
    now = timezone.now().replace(microsecond=0)
    competition = f.CompetitionFactory(
        year=timezone.localdate().year,
        submission_opens_at=now - dt.timedelta(days=10),
        submission_closes_at=now + dt.timedelta(days=10),
    )
    f.CompetitionGroupFactory(competition=competition, code=GroupCode.UMUM)
    f.CategoryFactory(competition=competition, name="Kesehatan")
    f.SectionSpecFactory(competition=competition, key="ringkasan", label="Ringkasan")
    f.SectionSpecFactory(competition=competition, key="signifikansi", label="Signifikansi")
    f.AttachmentKindFactory(
        competition=competition, key="sk", label="SK Inovator", allowed_types=["pdf", "image"]
    )
    return competition


@pytest.fixture
def entry(competition, agency_a, staff_a):
    innovation = f.InnovationFactory(agency=agency_a)
    return f.EntryFactory(
        competition=competition,
        innovation=innovation,
        agency=agency_a,
        group=competition.groups.get(code=GroupCode.UMUM),
        category=competition.categories.get(),
        created_by=staff_a,
    )


def editor_post(entry, texts: dict[str, str], *, version=None, files=None) -> dict:
    """What the proposal editor's form sends: every section by key, plus files by kind key."""
    data = {
        "version": entry.version if version is None else version,
        "category": entry.category_id,
        "video_url": "",
    }
    for section in entry.competition.sections.all():
        data[f"section_{section.pk}"] = texts.get(section.key, "")
    for key, upload in (files or {}).items():
        data[f"file_{entry.competition.attachment_kinds.get(key=key).pk}"] = upload
    return data
