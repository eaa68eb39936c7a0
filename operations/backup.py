"""Backup and restore of a whole installation: the database and the uploaded files in one archive.

The archive (``.tar.gz``) holds ``database.xml`` (a ``dumpdata`` of every table except the
ones Django rebuilds or that only hold transient state; XML because Django's JSON rounds
timestamps to milliseconds), ``media/`` (every file under
MEDIA_ROOT) and ``manifest.json`` (the SHA-256 of every file, the row count of every table and
the applied migrations). A restore verifies all of it before it touches the database, loads
everything in one transaction and copies the files last, so a failure leaves nothing half done.
Such a dump moves between SQLite and PostgreSQL; ``pg_dump`` is the faster choice on PostgreSQL.
"""

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE = "database.xml"
MEDIA = "media"
# Rebuilt by migrate (content types, permissions) or transient (sessions, login throttling).
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "axes"]
# An installation with any of these rows is not empty: a restore would mix two installations.
DATA_MODELS = ["opd.user", "opd.agency", "competition.competition", "competition.innovation"]
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message tells the operator what to do."""


@dataclass(frozen=True)
class RestoreResult:
    rows: int
    files: int
    created_at: str


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def dumped_models(using: str = DEFAULT_DB_ALIAS) -> list:
    """The models ``dumpdata`` writes with our exclusions, in the same way it chooses them."""
    excluded_apps = {label for label in EXCLUDED if "." not in label}
    excluded_models = {label for label in EXCLUDED if "." in label}
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label not in excluded_apps
        and model._meta.label_lower not in excluded_models
        and not model._meta.proxy
        and router.allow_migrate_model(using, model)
    ]


def row_counts(using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    return {
        model._meta.label_lower: model._base_manager.using(using).count()
        for model in dumped_models(using)
    }


def applied_migrations(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    recorder = MigrationRecorder(connections[using])
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file())


def backup_create(*, output_dir: Path, using: str = DEFAULT_DB_ALIAS) -> Path:
    """Write one archive of the database and MEDIA_ROOT into output_dir; return its path."""
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    archive = output_dir / f"kovablik-backup-{stamp}.tar.gz"
    media_root = Path(settings.MEDIA_ROOT)

    with tempfile.TemporaryDirectory(prefix="kovablik-backup-") as work:
        dump = Path(work) / DATABASE
        # One consistent snapshot: the dump and the counts see the same rows even while
        # the portal keeps serving (PostgreSQL needs REPEATABLE READ for that, set as the
        # first statement of the transaction; inside an outer one it is already decided).
        connection = connections[using]
        snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
        with transaction.atomic(using=using):
            if snapshot:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            call_command(
                "dumpdata",
                format="xml",
                natural_foreign=True,
                exclude=EXCLUDED,
                output=str(dump),
                database=using,
                verbosity=0,
            )
            counts = row_counts(using)
            migrations = applied_migrations(using)

        files = {DATABASE: {"sha256": sha256_of(dump), "size": dump.stat().st_size}}
        uploads = media_files(media_root)
        for path in uploads:
            name = str(PurePosixPath(MEDIA, *path.relative_to(media_root).parts))
            files[name] = {"sha256": sha256_of(path), "size": path.stat().st_size}
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "django": django.get_version(),
            "database_vendor": connections[using].vendor,
            "migrations": migrations,
            "counts": counts,
            "files": files,
        }

        partial = archive.with_name(archive.name + ".partial")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            payload = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(payload)
            info.mtime = int(dt.datetime.now(tz=dt.UTC).timestamp())
            info.mode = 0o600
            tar.addfile(info, io.BytesIO(payload))
            tar.add(dump, arcname=DATABASE, recursive=False)
            for path in uploads:
                arcname = str(PurePosixPath(MEDIA, *path.relative_to(media_root).parts))
                tar.add(path, arcname=arcname, recursive=False)
        partial.replace(archive)
    return archive


def safe_member_path(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(
            _("Arsip memuat jalur berkas yang tidak aman: %(name)s.") % {"name": name}
        )
    return path


def extract_members(tar: tarfile.TarFile, into: Path) -> dict[str, str]:
    """Write the regular files of an archive under a folder; return their SHA-256 by name."""
    seen: dict[str, str] = {}
    for member in tar:
        relative = safe_member_path(member.name)
        if member.isdir():
            continue
        if not member.isfile():
            raise BackupError(
                _("Arsip memuat entri yang bukan berkas biasa: %(name)s.") % {"name": member.name}
            )
        target = into.joinpath(*relative.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        source = tar.extractfile(member)
        digest = hashlib.sha256()
        with source, target.open("wb") as stream:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                stream.write(chunk)
        seen[str(relative)] = digest.hexdigest()
    return seen


def unpack(archive: Path, into: Path) -> dict:
    """Extract the archive into a folder and check every file against the manifest."""
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            seen = extract_members(tar, into)
    except (OSError, EOFError, tarfile.TarError) as error:
        raise BackupError(
            _("Arsip %(path)s tidak dapat dibaca (%(error)s).") % {"path": archive, "error": error}
        ) from error

    manifest_path = into / MANIFEST
    if MANIFEST not in seen:
        raise BackupError(_("Arsip ini bukan cadangan Kovablik: manifest.json tidak ada."))
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(_("Format arsip ini tidak dikenal oleh versi Kovablik ini."))
    listed = manifest["files"]
    present = {name for name in seen if name != MANIFEST}
    if present != set(listed):
        missing = sorted(set(listed) - present)
        extra = sorted(present - set(listed))
        raise BackupError(
            _("Isi arsip tidak sesuai manifest (hilang: %(missing)s; tak terdaftar: %(extra)s).")
            % {"missing": ", ".join(missing) or "-", "extra": ", ".join(extra) or "-"}
        )
    damaged = sorted(name for name in present if seen[name] != listed[name]["sha256"])
    if damaged:
        raise BackupError(
            _("Checksum tidak cocok, arsip rusak atau diubah: %(names)s.")
            % {"names": ", ".join(damaged)}
        )
    return manifest


def installation_has_data(using: str = DEFAULT_DB_ALIAS) -> bool:
    return any(apps.get_model(label)._base_manager.using(using).exists() for label in DATA_MODELS)


def backup_restore(*, archive: Path, force: bool = False, using: str = DEFAULT_DB_ALIAS):
    """Load an archive into this installation. Refuses a non-empty one unless ``force``."""
    archive = Path(archive)
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="kovablik-restore-") as work:
        folder = Path(work)
        manifest = unpack(archive, folder)

        if manifest["migrations"] != applied_migrations(using):
            raise BackupError(
                _(
                    "Arsip dibuat dengan skema basis data yang berbeda. Pulihkan ke versi "
                    "Kovablik yang sama dengan saat pencadangan (migrate dahulu), lalu "
                    "perbarui sesudahnya."
                )
            )
        if installation_has_data(using) and not force:
            raise BackupError(
                _(
                    "Basis data ini sudah berisi data. Pemulihan hanya ke instalasi kosong "
                    "yang sudah di-migrate; pakai --force untuk menimpa seluruh isinya."
                )
            )

        uploads = sorted(name for name in manifest["files"] if name.startswith(MEDIA + "/"))
        copied: list[Path] = []  # new files, removed again if the restore fails
        try:
            with transaction.atomic(using=using):
                # Rows seeded by migrations are in the dump too: start from no rows at all.
                call_command("flush", interactive=False, database=using, verbosity=0)
                call_command("loaddata", str(folder / DATABASE), database=using, verbosity=0)
                counts = row_counts(using)
                expected = manifest["counts"]
                wrong = sorted(
                    label for label in expected if counts.get(label, 0) != expected[label]
                )
                if wrong:
                    raise BackupError(
                        _("Jumlah baris tidak cocok sesudah pemulihan: %(labels)s.")
                        % {"labels": ", ".join(wrong)}
                    )
                for name in uploads:
                    relative = PurePosixPath(name).relative_to(MEDIA)
                    target = media_root.joinpath(*relative.parts)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    if not target.exists():
                        copied.append(target)
                    shutil.copyfile(folder / name, target)
        except Exception:
            for path in copied:
                path.unlink(missing_ok=True)
            raise

    if force:
        # Only once the database is committed: files of the replaced installation go.
        keep = {media_root.joinpath(*PurePosixPath(n).relative_to(MEDIA).parts) for n in uploads}
        for path in media_files(media_root):
            if path not in keep:
                path.unlink()
    return RestoreResult(
        rows=sum(manifest["counts"].values()), files=len(uploads), created_at=manifest["created_at"]
    )
