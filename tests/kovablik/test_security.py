"""Security headers and cookies under production settings, and templates fit for a strict CSP."""

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings as django_settings

from tests import factories as f
from tests.kovablik.csp import csp_violations

HOST = "kovablik.mojokertokota.go.id"
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "kovablik.settings",
    "DEBUG": "0",
    "SECRET_KEY": "k0vabl1k-pr0duct10n-l1ke-s3cret-f0r-tests-0nly-Zq8xW2vR5tY7uI9oP",
    "ALLOWED_HOSTS": HOST,
    "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
    "SITE_URL": f"https://{HOST}",
}
# Settings the environment decides; tests take them from settings.py read under PRODUCTION_ENV.
SECURITY_SETTINGS = [
    "DEBUG",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "X_FRAME_OPTIONS",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SECURE",
    "CONTENT_SECURITY_POLICY",
]
OVERRIDABLE = [
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "BEHIND_TLS_PROXY",
    "SILENCED_SYSTEM_CHECKS",
]


def production_environ() -> dict[str, str]:
    # The browser tests' fixture sets DJANGO_ALLOW_ASYNC_UNSAFE for the rest of the session;
    # a production environment never has it, and check --deploy rightly refuses it.
    unwanted = {*OVERRIDABLE, "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unwanted}
    env.update(PRODUCTION_ENV)
    return env


@pytest.fixture
def production(settings, monkeypatch):
    """The test settings with every security setting as settings.py computes it in production."""
    for name in OVERRIDABLE:
        monkeypatch.delenv(name, raising=False)
    for name, value in PRODUCTION_ENV.items():
        monkeypatch.setenv(name, value)
    computed = runpy.run_path(str(Path(django_settings.BASE_DIR) / "kovablik" / "settings.py"))
    for name in SECURITY_SETTINGS:
        setattr(settings, name, computed[name])
    return settings


@pytest.mark.django_db
def test_https_response_carries_strict_security_headers(client, production):
    response = client.get("/", secure=True, headers={"host": HOST})

    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp
    assert "'unsafe-eval'" not in csp
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "object-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https(client, production):
    response = client.get("/akun/masuk/", headers={"host": HOST})

    assert response.status_code == 301
    assert response["Location"] == f"https://{HOST}/akun/masuk/"


@pytest.mark.django_db
def test_request_the_tls_proxy_marks_as_https_is_served(client, production):
    response = client.get("/", headers={"host": HOST, "x-forwarded-proto": "https"})

    assert response.status_code == 200
    assert "Strict-Transport-Security" in response


@pytest.mark.django_db
def test_unknown_host_is_refused(client, production):
    response = client.get("/", secure=True, headers={"host": "evil.example.com"})

    assert response.status_code == 400


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_secure(client, production):
    user = f.UserFactory(email="staf@dinkes.go.id")

    login_page = client.get("/akun/masuk/", secure=True, headers={"host": HOST})
    response = client.post(
        "/akun/masuk/",
        {"username": user.email, "password": "kata-sandi-uji-123"},
        secure=True,
        headers={"host": HOST},
    )

    assert response.status_code == 302
    csrf = login_page.cookies[django_settings.CSRF_COOKIE_NAME]
    assert csrf["secure"] is True
    session = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - fixed arguments, our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deploy_check_passes_under_production_variables():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=production_environ())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = production_environ()
    del env["SECRET_KEY"]

    result = run_manage("check", env=env)

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


# --- Templates fit for a CSP without 'unsafe-inline' -----------------------------------------


def project_templates() -> list[Path]:
    """Every template of ours: the project folder and our apps' own template folders."""
    folders = [Path(folder) for folder in django_settings.TEMPLATES[0]["DIRS"]]
    base = Path(django_settings.BASE_DIR)
    for config in apps.get_app_configs():
        folder = Path(config.path) / "templates"
        if folder.is_dir() and base in folder.parents and ".venv" not in folder.parts:
            folders.append(folder)
    return sorted(path for folder in folders for path in folder.rglob("*.html"))


def test_templates_exist_to_scan():
    names = {path.name for path in project_templates()}

    assert {"base.html", "home.html"} <= names


def test_no_template_has_inline_script_or_style():
    found = {
        str(path.relative_to(django_settings.BASE_DIR)): problems
        for path in project_templates()
        if (problems := csp_violations(path.read_text(encoding="utf-8")))
    }

    assert found == {}


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>alert(1)</script>",
        '<script type="module">import x from "/y.js";</script>',
        "<style>p { color: red }</style>",
        '<script type="application/json">{"a": 1}</script>',
        '<p style="color: red">x</p>',
        '<button onclick="go()">x</button>',
        '<a href="javascript:go()">x</a>',
    ],
)
def test_scanner_catches_what_the_csp_would_block(snippet):
    assert csp_violations(snippet)


@pytest.mark.parametrize(
    "snippet",
    [
        "<script src=\"{% static 'js/kovablik.js' %}\"></script>",
        '{{ chart|json_script:"chart-data" }}',
        '<div data-style="x" data-confirm="Yakin?">one = two</div>',
    ],
)
def test_scanner_allows_external_scripts_and_data(snippet):
    assert csp_violations(snippet) == []
