"""Response headers that every page and download share."""

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
