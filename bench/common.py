"""What the benchmark scripts share: where their databases live and how Django starts."""

from __future__ import annotations

import os
import sys
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
