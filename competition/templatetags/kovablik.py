"""Template filters and tags shared by Kovablik's pages."""

from decimal import Decimal

from django import template
from django.utils.formats import get_format, number_format
from django.utils.html import conditional_escape, format_html

from competition import stats
from competition.eligibility import is_https_youtube_url
from competition.models import EntryStatus

register = template.Library()


@register.filter
def rupiah(value):
    """Money as Indonesians write it: ``Rp 15.000.000``. Empty for a missing amount."""
    if value is None or value == "":
        return ""
    return "Rp " + number_format(value, 0, force_grouping=True)


def _shown(value, places: int) -> str:
    """An already rounded Decimal in the page's language: ``83,716``; a dash when missing.

    Below a thousand no digit is grouped, so Django's ``number_format`` (several times
    the cost, on the hundreds of figures of a leaderboard page) prints nothing but the
    digits with the language's decimal separator; zero keeps its path, which drops the
    sign of a rounded -0.000.
    """
    if value is None:
        return "\N{EN DASH}"
    if type(value) is Decimal and value and -1000 < value < 1000:
        return f"{value:f}".replace(".", get_format("DECIMAL_SEPARATOR"))
    return number_format(value, places)


@register.filter
def score(value):
    """A score exactly as the PDF, CSV and XLSX print it and as ties compare it:
    half-up at ``stats.SCORE_PLACES`` decimals."""
    return _shown(stats.score_shown(value), stats.SCORE_PLACES)


@register.filter
def alpha(value):
    """Krippendorff's alpha as every output prints it (``stats.ALPHA_PLACES``, half-up)."""
    return _shown(stats.alpha_shown(value), stats.ALPHA_PLACES)


@register.filter
def figure(value):
    """A spread, range or mean as every output prints it (``stats.FIGURE_PLACES``)."""
    return _shown(stats.figure_shown(value), stats.FIGURE_PLACES)


@register.filter
def video_link(url):
    """A video address from user input: a link only for an https YouTube address,
    anything else (``javascript:``, another site) printed as text."""
    url = (url or "").strip()
    if not url:
        return ""
    if is_https_youtube_url(url):
        return format_html(
            '<a href="{}" rel="noopener noreferrer" target="_blank">{}</a>', url, url
        )
    return conditional_escape(url)


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """This page's address with only the page number (``halaman``) changed, so that a
    search or a filter survives paging."""
    query = context["request"].GET.copy()
    query["halaman"] = str(number)
    return "?" + query.urlencode()


# One colour per entry status, the same on the OPD's and the organiser's pages.
STATUS_TONES = {
    EntryStatus.SUBMITTED: "text-bg-primary",
    EntryStatus.RETURNED: "text-bg-warning",
    EntryStatus.PASSED: "text-bg-success",
    EntryStatus.FAILED: "text-bg-danger",
    EntryStatus.FINALIST: "text-bg-success",
}


@register.simple_tag
def status_badge(entry):
    return format_html(
        '<span class="badge {}">{}</span>',
        STATUS_TONES.get(entry.status, "text-bg-secondary"),
        entry.get_status_display(),
    )
