"""PDF documents rendered by WeasyPrint from HTML templates, with no network access.

Templates live under ``templates/competition/exports/``. Text is set in DejaVu Sans
(Debian package ``fonts-dejavu-core``), which covers every Indonesian character.
Resources may only come from the project's static folders or ``data:`` URIs: the
fetcher refuses any other URL, so user text such as ``<img src="http://...">`` can
never make the server call out (it is escaped anyway; this is the second lock).
"""

from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

STYLESHEET = Path(__file__).with_name("export.css")


def static_roots() -> list[Path]:
    roots = [Path(path).resolve() for path in settings.STATICFILES_DIRS]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT).resolve())
    return roots


class LocalOnlyFetcher(URLFetcher):
    """Fetches ``data:`` URIs and files under the static folders; refuses the rest."""

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        if parts.scheme == "file":
            path = Path(unquote(parts.path)).resolve()
            if any(path.is_relative_to(root) for root in static_roots()):
                return super().fetch(url, headers)
        raise ValueError(f"Refused non-local resource in a PDF export: {url}")


def render(template_name: str, context: dict) -> bytes:
    html = render_to_string(template_name, context)
    return html_to_pdf(html)


def html_to_pdf(html: str, stylesheets: list[Path] | None = None) -> bytes:
    base = Path(settings.STATICFILES_DIRS[0]).resolve()
    document = HTML(string=html, base_url=f"{base.as_uri()}/", url_fetcher=LocalOnlyFetcher())
    sheets = [CSS(filename=str(path)) for path in [STYLESHEET, *(stylesheets or [])]]
    return document.write_pdf(stylesheets=sheets)


def response(content: bytes, filename: str) -> HttpResponse:
    result = HttpResponse(content, content_type="application/pdf")
    result["Content-Disposition"] = f'attachment; filename="{filename}"'
    return result
