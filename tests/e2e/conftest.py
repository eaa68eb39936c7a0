"""Browser journeys on Debian's Chromium, driven by Playwright against Django's live server.

Playwright's browser is never downloaded: we launch ``/usr/bin/chromium`` (the Debian package
``chromium``; ``.ci/run`` installs it when it is missing). Tests here are marked
``@pytest.mark.e2e`` and use the ``page`` fixture, which brings ``live_server`` and
``transactional_db`` with it, so the server thread sees what the test wrote.
"""

import os
import shutil

import pytest
from django.db import connections
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Long enough for a shared CI machine, short enough that a broken journey fails quickly.
TIMEOUT_MS = 30_000


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run.

    Playwright's sync API keeps an asyncio loop on the main thread while it runs, and Django
    refuses ORM calls when it sees one. The test code and the browser take turns on one thread
    (no real concurrency), so we allow it for as long as the browser lives, and no longer.
    """
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        yield chromium
    finally:
        # While Playwright's loop runs on this thread, Django keeps this thread's database
        # connections apart from the plain thread-local ones (asgiref's Local switches to
        # context-variable storage when a loop is running), so the test database's
        # teardown, run after the loop has stopped, would never see or close them: the
        # last one stayed behind as an idle PostgreSQL session and blocked dropping the
        # database. Close them while they can still be reached.
        connections.close_all()
        chromium.close()
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server, transactional_db):
    """A fresh Indonesian-speaking browser tab whose relative URLs go to the live server."""
    context = browser.new_context(locale="id-ID", base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    try:
        yield tab
    finally:
        context.close()


@pytest.fixture
def log_in(page):
    """Signs a user in through the real login form, as a person would.

    Usage: ``log_in("dinkes@example.go.id", "kata-sandi")``; returns the page, now showing
    where the login led.
    """

    def _log_in(email: str, password: str):
        page.goto("/akun/masuk/")
        page.fill("input[name=username]", email)
        page.fill("input[name=password]", password)
        with page.expect_navigation():
            page.click("form button[type=submit]")
        return page

    return _log_in
