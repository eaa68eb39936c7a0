"""Access guards shared by the competition views."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404


def organiser_required(view):
    """Only Bagian Organisasi: anonymous users go to the login page, everyone else gets 404.

    A 404 rather than a 403 so that OPD staff and judges cannot learn which organiser
    pages exist by guessing addresses.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_organiser:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
