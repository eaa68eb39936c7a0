"""Response headers that every page and download share."""

import functools

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.cache import patch_cache_control


class PrivateNoStoreMiddleware:
    """``Cache-Control: private, no-store`` on every page of a signed-in user and on every
    download (CSV, XLSX, PDF, ZIP, attachments).

    Pages behind a sign-in and the exports hold innovators' phones and e-mails, drafts and
    scores; on a shared office computer or behind a caching proxy they must not be kept for
    the next person. Public pages stay cacheable; static files never reach this middleware
    (whitenoise answers them first).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        download = response.get("Content-Disposition", "").startswith("attachment")
        if signed_in or download:
            patch_cache_control(response, private=True, no_store=True)
        return response


@functools.cache
def site_policy() -> str:
    """The ``Content-Security-Policy`` header settings.CONTENT_SECURITY_POLICY describes."""
    return build_policy()


@receiver(setting_changed)
def forget_site_policy(*, setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        site_policy.cache_clear()


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the site's one policy built once per process.

    django-csp builds the header from the settings for every response (0.05 ms of CPU);
    here every response carries the same policy: no view changes it with django-csp's
    decorators, no template asks for a nonce, and there is no report-only policy and no
    excluded path. A response that differs in any of these is django-csp's own.
    """

    def process_response(self, request, response):
        if (
            getattr(request, "_csp_nonce", None) is not None
            or self.get_policy_parts(request, response) != PolicyParts()
            or self.get_policy_parts(request, response, report_only=True) != PolicyParts()
            or getattr(response, "_csp_exempt", False)
            or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            or (settings.CONTENT_SECURITY_POLICY or {}).get("EXCLUDE_URL_PREFIXES")
            or (settings.DEBUG and response.status_code in (404, 500))
        ):
            return super().process_response(request, response)
        if policy := site_policy():
            response.headers.setdefault(HEADER, policy)
        # As django-csp: a nonce asked for once the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
