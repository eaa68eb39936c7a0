"""Template context every page shares."""

from opd.models import RegionProfile


def region(request):
    """The organising region (kept per process, so no query per page)."""
    return {"region": RegionProfile.current()}
