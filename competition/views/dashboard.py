"""The organiser's dashboard: one year's pipeline, judging progress and history."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from competition.models import Competition
from competition.selectors.dashboard import competition_dashboard
from opd.models import Approval, User
from outbox.models import Mail, MailStatus

from .access import permission_required


def selected_competition(request, params=None) -> Competition | None:
    """The year named in ``tahun`` (of ``params``, by default the query string), else the
    current one; 404 for an unknown year. Shared by the organiser's year-scoped pages."""
    year = (params or request.GET).get("tahun", "")
    if year:
        if not year.isdigit():
            raise Http404
        return get_object_or_404(Competition, year=int(year))
    return Competition.objects.current()


@permission_required("competition.view_dashboard")
def dashboard(request):
    competition = selected_competition(request)
    context = {
        "competition": competition,
        "years": Competition.objects.values_list("year", flat=True),
        "dashboard": competition_dashboard(competition) if competition else None,
        "pending_accounts": User.objects.filter(approval=Approval.PENDING).count(),
        "failed_mail": Mail.objects.filter(status=MailStatus.FAILED).count(),
    }
    return render(request, "competition/dashboard/dashboard.html", context)
