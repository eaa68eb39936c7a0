"""Backup and restore: a populated installation comes back whole, row for row and byte for byte."""

import hashlib
import importlib
import io
import json
import shutil
import tarfile
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError

from competition import models as cm
from opd.models import User
from operations.backup import dumped_models
from tests import factories as f

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def populate() -> None:
    """Two OPDs' entries with answers and files, scored by two judges on three criteria."""
    agencies = [
        f.AgencyFactory(name="Dinas Kesehatan", short_name="Dinkes"),
        f.AgencyFactory(name="Dinas Lingkungan Hidup", short_name="DLH"),
    ]
    for agency in agencies:
        f.UserFactory(agency=agency)
    judges = [f.JudgeFactory(), f.JudgeFactory(agency=agencies[0])]
    organiser = f.OrganiserFactory()
    competition = f.CompetitionFactory(year=2026)
    sections = [f.SectionSpecFactory(competition=competition) for _ in range(2)]
    kinds = [
        f.AttachmentKindFactory(competition=competition),
        f.AttachmentKindFactory(competition=competition, allowed_types=["image"]),
    ]
    stage = f.StageFactory(competition=competition)
    criteria = [f.CriterionFactory(stage=stage, weight=Decimal("33.33")) for _ in range(3)]
    for number, agency in enumerate(agencies):
        entry = f.EntryFactory(
            competition=competition,
            innovation__agency=agency,
            innovation__title=f"Layanan Jemput Bola {agency.short_name}",
            status=cm.EntryStatus.SUBMITTED,
            reference=f"KOV-2026-{number + 1:03d}",
            created_by=organiser,
        )
        for section in sections:
            f.EntryAnswerFactory(
                entry=entry, section=section, text=f"Isian {section.label} - “kutip” ✓"
            )
        f.AttachmentFactory(
            entry=entry,
            kind=kinds[0],
            file=ContentFile(PDF + agency.name.encode(), name="sk.pdf"),
        )
        f.AttachmentFactory(
            entry=entry,
            kind=kinds[1],
            file=ContentFile(PNG + bytes([number]), name="foto.png"),
            original_name="foto sebelum.png",
            content_type="image/png",
        )
        for judge in judges:
            sheet = f.ScoreSheetFactory(stage=stage, entry=entry, judge=judge, general_comment="ok")
            for value, criterion in enumerate(criteria, start=70):
                f.ScoreFactory(sheet=sheet, criterion=criterion, value=Decimal(f"{value}.5"))
    # A frozen result: its rows refuse ordinary saves, so restoring must not go through them.
    snapshot = f.ResultSnapshotFactory(
        competition=competition, created_by=organiser, payload={"ranking": [1, 2]}
    )
    for rank, entry in enumerate(cm.Entry.objects.order_by("pk"), start=1):
        f.PlacementFactory(
            snapshot=snapshot,
            entry=entry,
            rank=rank,
            title=cm.PlacementTitle.JUARA_1 if rank == 1 else cm.PlacementTitle.JUARA_2,
        )


def database_state() -> dict[str, list[dict]]:
    """Every row of every table a backup covers, by model."""
    return {
        model._meta.label_lower: list(model._base_manager.order_by("pk").values())
        for model in dumped_models()
    }


def differences(before: dict, after: dict) -> list[str]:
    """Readable differences between two database states: model, primary key, field."""
    found = []
    for label in sorted(set(before) | set(after)):
        old = {row["id"]: row for row in before.get(label, [])}
        new = {row["id"]: row for row in after.get(label, [])}
        for pk in sorted(set(old) ^ set(new)):
            found.append(f"{label} #{pk}: {'lost' if pk in old else 'added'}")
        for pk in sorted(set(old) & set(new)):
            for field, value in old[pk].items():
                if new[pk].get(field) != value:
                    found.append(f"{label} #{pk}.{field}: {value!r} -> {new[pk].get(field)!r}")
    return found


def media_state() -> dict[str, str]:
    root = Path(settings.MEDIA_ROOT)
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def make_backup(folder: Path) -> Path:
    out = StringIO()
    call_command("backup", output_dir=folder, stdout=out)
    return Path(out.getvalue().strip())


def reseed_like_a_fresh_install() -> None:
    """What `migrate` leaves in an empty installation: the SDG rows of the data migration."""
    seed = importlib.import_module("competition.migrations.0002_seed_sdgs").seed
    seed(django_apps, None)


def rewrite_archive(source: Path, target: Path, change) -> None:
    """Copy an archive, passing each (name, bytes) through change(name, data) -> data."""
    with tarfile.open(source, "r:gz") as old, tarfile.open(target, "w:gz") as new:
        for member in old:
            data = old.extractfile(member).read()
            data = change(member.name, data)
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_then_restore_into_an_empty_installation_gives_everything_back(tmp_path):
    populate()
    rows_before = database_state()
    files_before = media_state()
    assert len(rows_before["competition.entry"]) == 2
    assert len(rows_before["competition.entryanswer"]) == 4
    assert len(rows_before["competition.scoresheet"]) == 4
    assert len(rows_before["competition.score"]) == 12
    assert len(rows_before["competition.placement"]) == 2
    assert len(files_before) == 4
    archive = make_backup(tmp_path / "backups")

    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT)
    reseed_like_a_fresh_install()
    assert not User.objects.exists()
    out = StringIO()
    call_command("restore", str(archive), stdout=out)

    assert differences(rows_before, database_state()) == []
    assert media_state() == files_before
    for attachment in cm.Attachment.objects.all():
        with attachment.file.open("rb") as stream:
            assert stream.read().startswith((PDF, PNG))
    assert "4 berkas" in out.getvalue()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_force_replaces_data_and_files_of_the_installation(tmp_path):
    populate()
    rows_before = database_state()
    files_before = media_state()
    archive = make_backup(tmp_path / "backups")
    later = f.AttachmentFactory(file=ContentFile(PDF, name="baru.pdf"))
    later_path = Path(later.file.path)

    call_command("restore", str(archive), force=True, stdout=StringIO())

    assert differences(rows_before, database_state()) == []
    assert media_state() == files_before
    assert not later_path.exists()


@pytest.mark.django_db
def test_backup_archive_holds_a_manifest_of_checksums_and_is_private(tmp_path):
    populate()

    archive = make_backup(tmp_path)

    assert archive.name.startswith("kovablik-backup-")
    assert archive.stat().st_mode & 0o777 == 0o600
    with tarfile.open(archive, "r:gz") as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = set(tar.getnames())
        for name, meta in manifest["files"].items():
            data = tar.extractfile(name).read()
            assert hashlib.sha256(data).hexdigest() == meta["sha256"]
    assert names == {"manifest.json", *manifest["files"]}
    assert manifest["counts"]["competition.score"] == 12
    assert "competition.0001_competition_data_model" in manifest["migrations"]
    assert not any(label.startswith(("sessions.", "axes.")) for label in manifest["counts"])


@pytest.mark.django_db
def test_restore_refuses_an_installation_that_has_data(tmp_path):
    populate()
    archive = make_backup(tmp_path)
    entry = cm.Entry.objects.first()
    entry.video_url = "https://youtu.be/baru"
    entry.save()

    with pytest.raises(CommandError, match="sudah berisi data"):
        call_command("restore", str(archive), stdout=StringIO())

    entry.refresh_from_db()
    assert entry.video_url == "https://youtu.be/baru"


@pytest.mark.django_db
def test_restore_refuses_a_tampered_archive_before_touching_anything(tmp_path):
    populate()
    archive = make_backup(tmp_path)
    tampered = tmp_path / "tampered.tar.gz"
    rewrite_archive(
        archive,
        tampered,
        lambda name, data: data.replace(b"70.5", b"99.5") if name == "database.xml" else data,
    )
    rows_before = database_state()

    with pytest.raises(CommandError, match=r"Checksum tidak cocok.*database\.xml"):
        call_command("restore", str(tampered), force=True, stdout=StringIO())

    assert database_state() == rows_before


@pytest.mark.django_db
def test_restore_refuses_an_archive_from_another_schema(tmp_path):
    archive = make_backup(tmp_path)
    other = tmp_path / "other.tar.gz"

    def older_schema(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["migrations"] = manifest["migrations"][:-1]
        return json.dumps(manifest).encode()

    rewrite_archive(archive, other, older_schema)

    with pytest.raises(CommandError, match="skema basis data yang berbeda"):
        call_command("restore", str(other), stdout=StringIO())


@pytest.mark.django_db
def test_restore_refuses_paths_that_leave_the_archive(tmp_path):
    hostile = tmp_path / "hostile.tar.gz"
    with tarfile.open(hostile, "w:gz") as tar:
        payload = b"owned"
        info = tarfile.TarInfo("media/../../escaped.txt")
        info.size = len(payload)
        tar.addfile(info, io.BytesIO(payload))

    with pytest.raises(CommandError, match="tidak aman"):
        call_command("restore", str(hostile), stdout=StringIO())

    assert not (tmp_path / "escaped.txt").exists()
    assert not any(tmp_path.parent.glob("escaped.txt"))


@pytest.mark.django_db
def test_restore_says_when_the_file_is_not_an_archive(tmp_path):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not a tarball")

    with pytest.raises(CommandError, match="tidak dapat dibaca"):
        call_command("restore", str(junk), stdout=StringIO())
