"""Access guards shared by the competition views."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404


def _role_required(role: str, view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not getattr(request.user, role):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def organiser_required(view):
    """Only Bagian Organisasi: anonymous users go to the login page, everyone else gets 404.

    A 404 rather than a 403 so that OPD staff and judges cannot learn which organiser
    pages exist by guessing addresses.
    """
    return _role_required("is_organiser", view)


def opd_staff_required(view):
    """Only OPD staff, the same way: login page for anonymous users, 404 for the others."""
    return _role_required("is_opd_staff", view)


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
