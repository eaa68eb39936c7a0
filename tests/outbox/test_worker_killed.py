"""A real worker process killed with SIGKILL between claim and send does not lose the mail.

The worker, the cron command and the code that queues the mail each run as their own
``manage.py`` process, as in production, on a throwaway SQLite file (pytest-django's test
database lives in this process and cannot be shared). The test reads that file directly.
"""

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.outbox.conftest import SilentServer, SMTPServer, free_port

MANAGE = Path(__file__).resolve().parents[2] / "manage.py"
ADDRESS = "juri.satu@example.go.id"

QUEUE_ONE_MAIL = f"""
from django.db import transaction
from opd.models import Role, User
from outbox.services import mail_queue

with transaction.atomic():
    user = User.objects.create_user({ADDRESS!r}, full_name="Juri Satu", role=Role.JUDGE)
    mail_queue(
        subject="Akun Kovablik disetujui",
        template="opd/email/account_approved.txt",
        context={{"login_url": "http://127.0.0.1:8000/masuk/"}},
        recipient=user,
        kind="account_approved",
    )
"""


def _environment(database: Path, smtp_port: int, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    # Whatever the suite runs on (CI sets DATABASE_URL to PostgreSQL), these processes share
    # the temporary SQLite file and talk real SMTP.
    env.update(
        DJANGO_SETTINGS_MODULE="kovablik.settings",
        DATABASE_URL=f"sqlite:///{database}",
        DEBUG="1",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        EMAIL_USE_TLS="0",
        EMAIL_TIMEOUT="10",
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        LOG_LEVEL="WARNING",
    )
    env.pop("OUTBOX_CLAIM_SECONDS", None)
    env.update(extra)
    return env


def _manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, str(MANAGE), *args],
        env=env,
        cwd=MANAGE.parent,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, f"manage.py {args[0]} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _mail_rows(database: Path) -> list[tuple]:
    with contextlib.closing(sqlite3.connect(database, timeout=10)) as db:
        return db.execute(
            "SELECT status, attempts, claimed_at, sent_at FROM outbox_mail ORDER BY id"
        ).fetchall()


def _task_statuses(database: Path) -> list[str]:
    with contextlib.closing(sqlite3.connect(database, timeout=10)) as db:
        rows = db.execute("SELECT status FROM django_tasks_database_dbtaskresult ORDER BY id")
        return [status for (status,) in rows.fetchall()]


def _wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up after {seconds} s waiting for {what}")
        time.sleep(0.1)


def test_a_worker_process_killed_after_claiming_a_mail_does_not_lose_it(tmp_path):
    database = tmp_path / "outbox.sqlite3"
    worker_log = tmp_path / "worker.log"
    silent = SilentServer()
    working = SMTPServer(free_port())
    worker = None
    try:
        # Arrange: a migrated database with one queued mail, and a mail server that hangs.
        hanging = _environment(database, silent.port, EMAIL_TIMEOUT="300")
        _manage(hanging, "migrate", "--verbosity", "0")
        _manage(hanging, "shell", "--command", QUEUE_ONE_MAIL)
        assert [row[0] for row in _mail_rows(database)] == ["pending"]

        with worker_log.open("w") as log:
            worker = subprocess.Popen(  # noqa: S603 (our own manage.py, fixed arguments)
                [sys.executable, str(MANAGE), "db_worker", "--no-reload", "--no-startup-delay"],
                env=hanging,
                cwd=MANAGE.parent,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

        def claimed_and_talking_to_smtp() -> bool:
            if worker.poll() is not None:
                pytest.fail(f"the worker exited early:\n{worker_log.read_text()}")
            return _mail_rows(database)[0][0] == "sending" and len(silent.held) == 1

        _wait_for(claimed_and_talking_to_smtp, 60, "the worker to claim the mail")
        claim_seen = time.monotonic()

        # Act: kill the worker mid-send, for real.
        worker.send_signal(signal.SIGKILL)
        assert worker.wait(timeout=10) == -signal.SIGKILL

        (status, attempts, claimed_at, sent_at) = _mail_rows(database)[0]
        assert (status, attempts, sent_at) == ("sending", 1, None)
        assert claimed_at is not None

        # The mail server is back. A restarted worker does not run the dead one's task again
        # (the queue still says "running"), and while the dead worker's claim is live (the
        # default OUTBOX_CLAIM_SECONDS, ten minutes) cron's send_outbox leaves the mail alone...
        working.start()
        back = _environment(database, working.port)
        _manage(back, "db_worker", "--batch", "--no-reload", "--no-startup-delay")
        assert _task_statuses(database) == ["RUNNING"]
        assert _manage(back, "send_outbox").strip() == "0"
        assert working.messages == []
        assert _mail_rows(database)[0][0] == "sending"

        # ...and once the claim has expired it delivers the mail, once.
        expired = _environment(database, working.port, OUTBOX_CLAIM_SECONDS="2")
        time.sleep(max(0.0, claim_seen + 2.5 - time.monotonic()))
        assert _manage(expired, "send_outbox").strip() == "sent: 1"
        assert _manage(expired, "send_outbox").strip() == "0"

        # Assert
        assert len(working.messages) == 1
        assert working.messages[0]["To"] == ADDRESS
        assert working.messages[0]["Subject"] == "Akun Kovablik disetujui"
        assert (
            "Akun Kovablik Anda telah disetujui"
            in working.messages[0].get_payload(decode=True).decode()
        )
        (status, attempts, _claimed_at, sent_at) = _mail_rows(database)[0]
        assert (status, attempts) == ("sent", 2)
        assert sent_at is not None
    finally:
        if worker is not None and worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)
        working.stop()
        silent.close()
