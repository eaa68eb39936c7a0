"""What the benchmark scripts share: where their databases live and how Django starts."""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
# The tree whose portal is measured: this checkout, or the temporary worktree of the
# revision a comparison runs against (``--against``); the bench scripts stay this tree's.
ROOT = Path(os.environ.get("BENCH_APP_ROOT") or BENCH_DIR.parent).resolve()
OUT = BENCH_DIR / "out"
# What the rush's clients read off the portal's forms.
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
SECTION = re.compile(r'name="(section_\d+)"')
SCORE = re.compile(r'name="score_(\d+)"')
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
    # The script's own folder is sys.path[0]; the measured tree's packages come right after.
    if str(ROOT) not in sys.path:
        sys.path.insert(1, str(ROOT))
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


def server_env(database_url: str, media: Path, root: Path = ROOT) -> dict[str, str]:
    """Production settings on loopback HTTP (bench/settings_load.py) for the tree ``root``."""
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
        "PYTHONPATH": os.pathsep.join([str(BENCH_DIR), str(root)]),
        "BENCH_APP_ROOT": str(root),
    }


@contextlib.contextmanager
def revision_tree(rev: str) -> Iterator[tuple[Path, str]]:
    """``rev`` checked out in a temporary detached worktree, removed afterwards.

    Yields the worktree's path and the revision's short hash and subject, for the report.
    """
    git = ["git", "-C", str(BENCH_DIR.parent)]
    described = subprocess.run(
        [*git, "log", "-1", "--format=%h %s", rev], capture_output=True, text=True
    )
    if described.returncode:
        raise SystemExit(f"git does not know the revision {rev!r}: {described.stderr.strip()}")
    tree = Path(tempfile.mkdtemp(prefix="kovablik-against-")) / "tree"
    subprocess.run([*git, "worktree", "add", "--detach", "--quiet", str(tree), rev], check=True)
    try:
        yield tree, described.stdout.strip()
    finally:
        subprocess.run([*git, "worktree", "remove", "--force", str(tree)], check=False)
        shutil.rmtree(tree.parent, ignore_errors=True)


def describe_tree(root: Path) -> str:
    """This checkout's short hash and subject, marked when it has uncommitted changes."""
    git = ["git", "-C", str(root)]
    head = subprocess.run(
        [*git, "log", "-1", "--format=%h %s"], capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        [*git, "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True
    ).stdout.strip()
    return head + (" (+ uncommitted changes)" if dirty else "")


def seed_database(
    database_url: str, media: Path, *, scale: str, rush: bool, root: Path = ROOT
) -> str:
    """A fresh media folder and ``scale``'s set (flushed first) in ``database_url``.

    The set is written by this tree's bench/seed.py on the code of the tree ``root``, so two
    trees compared get the same rows. Should the other tree's models not take them (an older
    schema), that tree's own bench/seed.py seeds it instead, with the same fixed seed. Returns
    which seed script wrote the rows, for the report.
    """
    arguments = ["--scale", scale, *(["--rush"] if rush else []), "--reset"]
    arguments += ["--database-url", database_url]
    env = server_env(database_url, media, root)
    if media.exists():
        shutil.rmtree(media)
    script = BENCH_DIR / "seed.py"
    seeded = subprocess.run([sys.executable, str(script), *arguments], env=env, cwd=root)
    own = root / "bench" / "seed.py"
    if seeded.returncode and root.resolve() != BENCH_DIR.parent.resolve() and own.exists():
        print(f"seeding {root} with its own bench/seed.py instead", file=sys.stderr, flush=True)
        if media.exists():
            shutil.rmtree(media)
        script = own
        seeded = subprocess.run([sys.executable, str(script), *arguments], env=env, cwd=root)
    if seeded.returncode:
        raise SystemExit(f"seeding {scale} into {database_url} failed (see above)")
    return (
        "this tree's bench/seed.py" if script == BENCH_DIR / "seed.py" else "its own bench/seed.py"
    )


def seed_rush(database_url: str, media: Path, *, scale: str = "city", root: Path = ROOT) -> str:
    """A fresh media folder and the set shaped for the rush, in ``database_url``."""
    return seed_database(database_url, media, scale=scale, rush=True, root=root)


def start_gunicorn(
    database_url: str,
    media: Path,
    *,
    workers: int | None = None,
    threads: int | None = None,
    name: str = "load",
    env_extra: dict[str, str] | None = None,
    root: Path = ROOT,
) -> tuple[subprocess.Popen, int]:
    """gunicorn on a free loopback port, once /healthz answers; logs under bench/out/.

    Workers and threads not given come from the tree's own ``gunicorn.conf.py`` (the
    server configuration is part of what is measured); a tree without one gets 2 sync
    workers, as the load test always ran them.
    """
    port = free_port()
    config = root / "gunicorn.conf.py"
    if workers is None and not config.exists():
        workers = 2
    sizing = [*(["--workers", str(workers)] if workers else []),
              *(["--threads", str(threads)] if threads else [])]  # fmt: skip
    gunicorn = Path(sys.executable).with_name("gunicorn")
    log = (OUT / f"{name}-gunicorn.log").open("w")
    access_log = OUT / f"{name}-access.log"
    access_log.unlink(missing_ok=True)  # gunicorn appends: keep one run's requests only
    server = subprocess.Popen(
        [str(gunicorn), *(["--config", str(config)] if config.exists() else []),
         "kovablik.wsgi:application", *sizing, "--bind", f"127.0.0.1:{port}",
         "--timeout", "120", "--access-logfile", str(access_log)],
        env={**server_env(database_url, media, root), **(env_extra or {})}, cwd=root, stdout=log,
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


def group_cpu_seconds(leader: subprocess.Popen) -> float:
    """CPU seconds used so far by the process group ``leader`` started (gunicorn and its workers).

    Read from /proc: each live member's own time plus the time of the children it reaped (a
    worker that ended counts in its arbiter's). Unlike answer times, which include waiting for
    a core that the machine's other load decides, this is what the server's code cost.
    """
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        if int(fields[2]) == leader.pid:  # the process group
            ticks += sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def postgres_cpu_seconds() -> float:
    """CPU seconds used so far by PostgreSQL: its live processes and the backends that ended.

    The database shares the machine's cores with gunicorn and the load generator. A backend
    that ended counts in the postmaster's reaped children's time (cutime, cstime).
    """
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            name, rest = stat.read_text().split("(", 1)[1].rsplit(")", 1)
        except OSError:
            continue
        if name == "postgres":
            ticks += sum(int(value) for value in rest.split()[11:15])  # utime stime cutime cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def stop_gunicorn(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def start_worker(
    database_url: str,
    media: Path,
    *,
    name: str,
    env_extra: dict[str, str] | None = None,
    root: Path = ROOT,
) -> subprocess.Popen:
    """The background worker (``manage.py db_worker``) beside gunicorn; log under bench/out/."""
    log = (OUT / f"{name}-worker.log").open("w")
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "1"],
        env={**server_env(database_url, media, root), **(env_extra or {})}, cwd=root, stdout=log,
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


def padded_pdf(size: int) -> bytes:
    """A valid one-page PDF of about ``size`` bytes: the padding is an unused stream."""
    padding = bytes(random.Random(7).getrandbits(8) for _ in range(1024)) * (size // 1024)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        b"<< /Length %d >>\nstream\n" % len(padding) + padding + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (5, xref))
    return out.getvalue()


class TreeWorker:
    """A ``--serve`` process measuring one tree, asked one thing at a time over a pipe
    (JSON lines: ``[op, *args]`` out, the answer back)."""

    def __init__(self, label: str, command: list[str], *, env: dict, cwd: Path):
        self.label = label
        self.process = subprocess.Popen(
            command, env=env, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def call(self, op: str, *args):
        self.process.stdin.write(json.dumps([op, *args]) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"the {self.label} tree's worker died (its traceback is above)")
        return json.loads(line)

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=60)


def serve_requests(make_worker) -> int:
    """Worker mode: answer a :class:`TreeWorker`'s JSON lines on stdin with the methods of
    ``make_worker()``; nothing else goes to stdout."""
    channel = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # whatever the portal prints goes to stderr, not into the channel
    worker = make_worker()
    for line in sys.stdin:
        op, *args = json.loads(line)
        channel.write(json.dumps(getattr(worker, op)(*args)) + "\n")
        channel.flush()
    return 0
