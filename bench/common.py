"""What the benchmark scripts share: where their databases live and how Django starts."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
OUT = BENCH_DIR / "out"
PG_HOST = os.environ.get("BENCH_PG_HOST", "127.0.0.1")
PG_PORT = os.environ.get("BENCH_PG_PORT", "5432")
PG_USER = os.environ.get("BENCH_PG_USER", "postgres")


def sqlite_url(scale: str) -> str:
    """A SQLite file per scale under bench/out/, never the developer's db.sqlite3."""
    return f"sqlite:///{OUT / f'bench-{scale}.sqlite3'}"


def postgres_url(name: str) -> str:
    return f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}"


def _admin_connection():
    import psycopg2

    connection = psycopg2.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres")
    connection.autocommit = True
    return connection


def _check_bench_name(name: str) -> None:
    if not name.startswith("kovablik_bench"):
        raise SystemExit(f"Refusing to touch {name!r}: benchmark databases are kovablik_bench*.")


def ensure_postgres_database(name: str) -> str:
    """Create the throwaway database ``name`` on the local server if it is missing."""
    from psycopg2 import sql

    _check_bench_name(name)
    connection = _admin_connection()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        connection.close()
    return postgres_url(name)


def drop_postgres_database(name: str) -> None:
    from psycopg2 import sql

    _check_bench_name(name)
    connection = _admin_connection()
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
    finally:
        connection.close()


def resolve_database_url(*, scale: str, database_url: str | None, postgres: bool) -> str:
    """``--database-url`` wins; ``--postgres`` means kovablik_bench_<scale> on 127.0.0.1."""
    if database_url:
        return database_url
    if postgres:
        return ensure_postgres_database(f"kovablik_bench_{scale}")
    return sqlite_url(scale)


def setup_django(database_url: str, *, media_root: Path | None = None) -> None:
    """Point Django at the benchmark database before any model is imported."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    OUT.mkdir(exist_ok=True)
    os.environ["DATABASE_URL"] = database_url
    os.environ["MEDIA_ROOT"] = str(media_root or OUT / "media")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["DJANGO_SETTINGS_MODULE"] = "kovablik.settings"
    import django

    django.setup()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(database_url: str, media: Path) -> dict[str, str]:
    """Production settings on loopback HTTP (bench/settings_load.py)."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media),
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "BEHIND_TLS_PROXY": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "settings_load",
        "PYTHONPATH": os.pathsep.join([str(BENCH_DIR), str(ROOT)]),
    }


def seed_rush(database_url: str, media: Path) -> None:
    """A fresh media folder and the city set shaped for the rush, in ``database_url``."""
    if media.exists():
        shutil.rmtree(media)
    subprocess.run(
        [sys.executable, str(BENCH_DIR / "seed.py"), "--scale", "city", "--rush",
         "--database-url", database_url],
        check=True, env=server_env(database_url, media), cwd=ROOT,
    )  # fmt: skip


def start_gunicorn(
    database_url: str,
    media: Path,
    *,
    workers: int = 2,
    threads: int = 1,
    name: str = "load",
    env_extra: dict[str, str] | None = None,
) -> tuple[subprocess.Popen, int]:
    """gunicorn on a free loopback port, once /healthz answers; logs under bench/out/."""
    port = free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    log = (OUT / f"{name}-gunicorn.log").open("w")
    access_log = OUT / f"{name}-access.log"
    access_log.unlink(missing_ok=True)  # gunicorn appends: keep one run's requests only
    server = subprocess.Popen(
        [str(gunicorn), "kovablik.wsgi:application", "--workers", str(workers),
         "--threads", str(threads), "--bind", f"127.0.0.1:{port}", "--timeout", "120",
         "--access-logfile", str(access_log)],
        env={**server_env(database_url, media), **(env_extra or {})}, cwd=ROOT, stdout=log,
        stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return server, port
        except OSError:
            time.sleep(0.5)
    stop_gunicorn(server)
    raise SystemExit(f"gunicorn did not answer /healthz within 60 s; see bench/out/{name}-*.log")


def stop_gunicorn(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def start_worker(
    database_url: str, media: Path, *, name: str, env_extra: dict[str, str] | None = None
) -> subprocess.Popen:
    """The background worker (``manage.py db_worker``) beside gunicorn; log under bench/out/."""
    log = (OUT / f"{name}-worker.log").open("w")
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "1"],
        env={**server_env(database_url, media), **(env_extra or {})}, cwd=ROOT, stdout=log,
        stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip


def stop_process_group(process: subprocess.Popen) -> None:
    """SIGTERM the group; SIGKILL it if it has not ended 10 s later (a worker stuck on SMTP)."""
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
