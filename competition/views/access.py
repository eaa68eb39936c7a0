"""Access guards shared by the competition views: each asks ``user.has_perm``."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404


def permission_required(perm: str):
    """The view runs only for users with ``perm`` (a rule in ``<app>/rules.py``).

    Anonymous users go to the login page; everyone else without the permission gets 404
    rather than 403, so that nobody learns which pages exist by guessing addresses. For a
    permission on one object, the view fetches it and calls ``require_perm``.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            require_perm(request, perm)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def require_perm(request, perm: str, obj=None) -> None:
    """404 unless the user has ``perm`` on ``obj``: what is not yours does not exist."""
    if not request.user.has_perm(perm, obj):
        raise Http404


def private_download(handle, *, filename: str, content_type: str | None = None) -> FileResponse:
    """A file only some people may fetch: always a download, never sniffed, never cached,
    so that a shared office proxy or browser cache does not hand it to the next user."""
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# A file shown inside the portal (the judges' desk) is its own sandboxed document: no
# script, no form, no plugin, no request anywhere, only framed by the portal itself.
INLINE_POLICY = (
    "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
    "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
)


def private_inline(handle, *, filename: str, content_type: str) -> FileResponse:
    """A file only some people may see, shown in the browser rather than downloaded."""
    response = FileResponse(handle, filename=filename, content_type=content_type)
    response["Content-Disposition"] = response["Content-Disposition"].replace(
        "attachment", "inline", 1
    )
    response["Content-Security-Policy"] = INLINE_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["Cache-Control"] = "private, no-store"
    return response
