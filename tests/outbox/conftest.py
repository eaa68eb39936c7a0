"""Real mail servers for the outbox tests: aiosmtpd on a free local port, one that refuses,
and one that accepts the connection and never says a word. Delivery runs on the database
task backend with the worker in this process, as in production but without a second one."""

import contextlib
import socket
import threading
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from django_tasks_db.management.commands.db_worker import Worker


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """aiosmtpd handler that keeps every message it accepts."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.original_content or envelope.content))
        return "250 OK"


class SMTPServer:
    def __init__(self, port: int):
        self.port = port
        self.inbox = Inbox()
        self.controller = None

    @property
    def messages(self):
        return self.inbox.messages

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


class SilentServer:
    """Accepts TCP connections and never answers (a mail server that hangs)."""

    def __init__(self):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        self.held = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                conn, _addr = self.listener.accept()
            except OSError:
                return
            self.held.append(conn)

    def close(self):
        # shutdown wakes the accept() call so the thread can end before the socket closes.
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        self.thread.join(timeout=5)
        for conn in self.held:
            conn.close()


def _smtp_settings(settings, port: int) -> None:
    # setup_test_environment swaps in locmem; these tests need the real SMTP path.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 1
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def smtp(settings):
    """A working mail server, not yet started: call ``smtp.start()``; refused until then."""
    server = SMTPServer(free_port())
    _smtp_settings(settings, server.port)
    yield server
    server.stop()


@pytest.fixture
def silent_smtp(settings):
    server = SilentServer()
    _smtp_settings(settings, server.port)
    yield server
    server.close()


def run_worker() -> None:
    """``manage.py db_worker --batch``: run every task that is ready, then return."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()
