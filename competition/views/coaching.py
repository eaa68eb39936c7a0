"""Coaching before the deadline (pembinaan) and the judges' feedback after the result.

The coaching page of an entry is shared by its OPD (asks for a review, marks comments done)
and Bagian Organisasi or a coach (pembina) it designated for the year (comments per section,
closes the review); anyone else gets 404, judges included, and so does a coach on the drafts
of his or her own agency circle. Feedback is the OPD's own, once the result is published
and released.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from competition.forms.coaching import CommentForm, ReviewRequestForm
from competition.models import CoachingComment, Competition, Entry, ReviewRequest
from competition.selectors import coaching as selectors
from competition.selectors.opd import owned_q
from competition.selectors.snapshot import published_snapshot
from competition.services import coaching as services

from .access import permission_required, require_perm


def _entry_for_coaching(request, pk) -> Entry:
    entry = get_object_or_404(
        Entry.objects.select_related("competition", "innovation", "agency", "group", "category"),
        pk=pk,
    )
    require_perm(request, "competition.view_coaching", entry)
    return entry


def _act(request, entry):
    """One POST action of the coaching page; returns the message to show on success."""
    action = request.POST.get("action")
    user = request.user
    if action == "request" and user.has_perm("competition.request_coaching", entry):
        form = ReviewRequestForm(request.POST)
        message = form.cleaned_data["message"] if form.is_valid() else ""
        services.review_request_open(entry=entry, user=user, message=message)
        return _("Permintaan pembinaan terkirim ke Bagian Organisasi.")
    if action == "comment" and user.has_perm("competition.comment_coaching", entry):
        section_id = request.POST.get("section") or None
        section = None
        if section_id:
            section = get_object_or_404(
                entry.competition.sections.all(), pk=section_id if section_id.isdigit() else 0
            )
        form = CommentForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("Tulis catatannya dulu."))
        services.coaching_comment_add(
            entry=entry, section=section, text=form.cleaned_data["text"], author=user
        )
        return _("Catatan disimpan; OPD melihatnya di samping bagian tersebut.")
    if action == "close" and user.has_perm("competition.close_review", entry):
        review = get_object_or_404(ReviewRequest, entry=entry, closed_at__isnull=True)
        services.review_request_close(review=review, user=user)
        return _("Peninjauan ditandai selesai.")
    if action in {"done", "undo"} and user.has_perm("competition.tick_coaching_comment", entry):
        comment_id = request.POST.get("comment", "")
        comment = get_object_or_404(
            CoachingComment, entry=entry, pk=comment_id if comment_id.isdigit() else 0
        )
        services.coaching_comment_mark_done(comment=comment, user=user, done=action == "done")
        if action == "done":
            return _("Catatan ditandai selesai.")
        return _("Tanda selesai dibatalkan.")
    raise Http404


@require_http_methods(["GET", "POST"])
def coaching(request, pk):
    """The draft section by section with Bagian Organisasi's comments beside each."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    entry = _entry_for_coaching(request, pk)
    if request.method == "POST":
        try:
            messages.success(request, _act(request, entry))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect("competition:entry_coaching", pk=entry.pk)
    requests = list(entry.review_requests.select_related("requested_by"))
    return render(
        request,
        "competition/coaching/entry.html",
        {
            "entry": entry,
            "rows": selectors.coaching_sections(entry),
            "open_request": next((r for r in requests if r.is_open), None),
            "requests": requests,
            "request_form": ReviewRequestForm(),
            "comment_form": CommentForm(),
        },
    )


def section_versions(request, pk, section_pk):
    """Every saved version of one section, and what changed between two of them."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    entry = _entry_for_coaching(request, pk)
    section = get_object_or_404(entry.competition.sections.all(), pk=section_pk)
    versions = selectors.section_versions(entry, section)
    by_number = {v.number: v for v in versions}

    def pick(name, default):
        value = request.GET.get(name, "")
        return by_number.get(int(value)) if value.isdigit() else default

    new = pick("b", versions[-1] if versions else None)
    old = pick("a", by_number.get(new.number - 1) if new else None)
    return render(
        request,
        "competition/coaching/versions.html",
        {
            "entry": entry,
            "section": section,
            "versions": versions,
            "old": old,
            "new": new,
            "diff": selectors.text_diff(old.text if old else "", new.text) if new else "",
        },
    )


def review_list(request):
    """The queue of drafts whose OPD asked for a review, open ones first: all of them for
    Bagian Organisasi, those outside the coach's own agency circle for a coach (pembina)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    competition = Competition.objects.current()
    coaches = []
    require_perm(request, "competition.view_reviews", competition)
    if request.user.is_organiser:
        reviews = selectors.review_requests_for_organiser(competition) if competition else []
        if competition:
            coaches = list(
                competition.coaches.select_related("user__agency").order_by("user__full_name", "pk")
            )
    else:
        reviews = selectors.review_requests_for_coach(competition, request.user)
    return render(
        request,
        "competition/coaching/review_list.html",
        {"competition": competition, "reviews": list(reviews), "coaches": coaches},
    )


@permission_required("competition.use_opd_desk")
def entry_feedback(request, pk):
    """The judges' scores and comments on the OPD's own entry, without their names."""
    entry = get_object_or_404(
        Entry.objects.filter(owned_q(request.user)).select_related(
            "competition", "innovation", "agency"
        ),
        pk=pk,
    )
    require_perm(request, "competition.view_feedback", entry)
    snapshot = published_snapshot(entry.competition)
    return render(
        request,
        "competition/coaching/feedback.html",
        {"entry": entry, "sheets": selectors.entry_feedback(entry, snapshot)},
    )
