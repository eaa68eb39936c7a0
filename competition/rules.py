"""Every permission of the competition app, registered with ``rules.add_perm``.

Views ask ``request.user.has_perm("competition.<perm>", obj)`` (through
``competition.views.access``), templates ``{% has_perm "competition.<perm>" user obj %}``,
the admin through ``opd.admin_permissions.RulesAdminMixin``, and ``entry_set_status``
for the role its transition table names. An OPD owns its own entries and those of its
child units (UPT, puskesmas); the organiser sees everything; a judge sees only the
attachments of entries on his or her desk (see ``is_judging_entry``). Whether an entry
may still change also depends on the clock: see ``Entry.is_change_window_open``.
"""

import rules
from django.apps import apps
from django.db.models import Exists

from opd.rules import grant_model_perms_to_organiser, is_judge, is_opd_staff, is_organiser

from .models import Coach, EntryStatus, ReviewRequest
from .selectors.judging import judge_desk_assignments


def _owns_agency(user, agency) -> bool:
    """The agency is the user's own OPD or one of its child units."""
    return agency is not None and (
        agency.pk == user.agency_id
        or (agency.parent_id is not None and agency.parent_id == user.agency_id)
    )


@rules.predicate
def is_entry_owner(user, entry):
    if entry is None or not is_opd_staff(user):
        return False
    # An OPD's own entry says so by its key: the agency row is read only for a unit's entry.
    if entry.agency_id is not None and entry.agency_id == user.agency_id:
        return True
    return _owns_agency(user, entry.agency)


@rules.predicate
def is_judging_entry(user, entry):
    """The entry is on the judge's desk now and he or she has declared no conflict with it.

    The same gate as the scoring page, so that an attachment's address cannot show a
    judge what the desk would not: nothing before the declaration, nothing once the
    stage has closed (unless the organiser reopened the sheet).
    """
    return (
        entry is not None
        and is_judge(user)
        and judge_desk_assignments(user).filter(entry=entry, declared=True).exists()
    )


@rules.predicate
def entry_is_editable_now(user, entry):
    return entry is not None and entry.is_changeable()


@rules.predicate
def entry_is_withdrawable_now(user, entry):
    return (
        entry is not None
        and entry.status == EntryStatus.SUBMITTED
        and entry.competition.is_submission_open()
    )


can_view_entry = is_organiser | is_entry_owner
can_edit_entry = is_entry_owner & entry_is_editable_now
can_withdraw_entry = is_entry_owner & entry_is_withdrawable_now


@rules.predicate
def can_download_attachment(user, attachment):
    if attachment is None:
        return False
    entry = attachment.entry
    return is_organiser(user) or is_entry_owner(user, entry) or is_judging_entry(user, entry)


@rules.predicate
def can_delete_attachment(user, attachment):
    return attachment is not None and can_edit_entry(user, attachment.entry)


@rules.predicate
def is_coaching_entry(user, entry):
    """The user is a coach (pembina) of the entry's year, the entry's OPD asked for a
    review, and the entry is not of the coach's own agency, its parent or its units.
    One query, and none for the entry's own OPD."""
    if entry is None or not is_opd_staff(user) or _owns_agency(user, entry.agency):
        return False
    return (
        Coach.objects.filter(user=user, competition_id=entry.competition_id)
        .exclude(user__agency__parent_id=entry.agency_id)
        .filter(Exists(ReviewRequest.objects.filter(entry_id=entry.pk)))
        .exists()
    )


@rules.predicate
def is_coach_of_year(user, competition):
    return (
        competition is not None
        and is_opd_staff(user)
        and Coach.objects.filter(user=user, competition=competition).exists()
    )


# Coaching is between the entry's OPD, Bagian Organisasi and the coaches it designates for
# the year: judges are never in it.
can_view_coaching = is_organiser | is_entry_owner | is_coaching_entry
can_request_coaching = is_entry_owner & entry_is_editable_now
can_comment_coaching = (is_organiser | is_coaching_entry) & entry_is_editable_now
can_close_review = is_organiser | is_coaching_entry


@rules.predicate
def feedback_is_out(user, entry):
    """The year's result is published and the organiser released the judges' feedback."""
    competition = entry.competition
    return (
        competition.feedback_released
        and competition.snapshots.filter(published_at__isnull=False).exists()
    )


can_view_feedback = is_entry_owner & feedback_is_out


# The admin's own questions (``<action>_<model>``) with an object where it matters. What
# no one does through the admin goes to a service or page that applies the rule instead.


@rules.predicate
def stage_not_started(user, obj):
    """A stage's criteria change until judging starts; ``obj`` is the stage (inline) or a
    criterion, or None on a list."""
    stage = getattr(obj, "stage", obj)
    return stage is None or not stage.has_started()


@rules.predicate
def is_own_assignment(user, assignment):
    """A judge's desk lists his or her own assignments only."""
    return is_judge(user) and (assignment is None or assignment.judge_id == user.pk)


NOBODY = rules.always_deny

ADMIN_PERMS = {
    "add_criterion": is_organiser & stage_not_started,
    "delete_criterion": is_organiser & stage_not_started,
    # Judges see their own assignments on the desk; the organiser assigns in the admin.
    "view_assignment": is_organiser | is_own_assignment,
    "change_assignment": is_organiser | is_own_assignment,
    "add_assignment": is_organiser,
    # Withdrawn through the admin action, which keeps submitted sheets safe.
    "delete_assignment": NOBODY,
    # Only the judge declares, on the desk.
    "add_conflictdeclaration": NOBODY,
    "delete_conflictdeclaration": NOBODY,
    # Sheets are opened by assignment and never removed.
    "add_scoresheet": NOBODY,
    "delete_scoresheet": NOBODY,
    # A result snapshot is the record of a decree: read only.
    "add_resultsnapshot": NOBODY,
    "change_resultsnapshot": NOBODY,
    "delete_resultsnapshot": NOBODY,
    "add_placement": NOBODY,
    "change_placement": NOBODY,
    "delete_placement": NOBODY,
    # Forwarded and cancelled on the pipeline page, which applies the quota and refuses
    # once outcomes exist; outcomes are recorded there too and only corrected here.
    "add_forwarding": NOBODY,
    "delete_forwarding": NOBODY,
    "add_outcome": NOBODY,
    "delete_outcome": NOBODY,
    # Written by ``package_import`` and the reminder service.
    "add_importedpackage": NOBODY,
    "change_importedpackage": NOBODY,
    "add_compliancereminder": NOBODY,
    "change_compliancereminder": NOBODY,
}

# The pages: a role for a whole area, an object where the answer depends on one.
PAGE_PERMS = {
    "use_opd_desk": is_opd_staff,
    "use_judge_desk": is_judge,
    "view_dashboard": is_organiser,
    "screen_entries": is_organiser,
    "curate_catalogue": is_organiser,
    "manage_judging": is_organiser,
    "manage_results": is_organiser,
    "manage_rounds": is_organiser,
    "export_data": is_organiser,
    # The outbox app has no pages of its own; its failed mail is shown here.
    "manage_outbox": is_organiser,
    "view_reviews": is_organiser | is_coach_of_year,
    "view_entry": can_view_entry,
    # The OPD desk's pages of one entry (editor, checklist, receipt): its own OPD only.
    "view_own_entry": is_entry_owner,
    "edit_entry": can_edit_entry,
    "submit_entry": can_edit_entry,
    "withdraw_entry": can_withdraw_entry,
    "download_attachment": can_download_attachment,
    "remove_attachment": can_delete_attachment,
    "view_coaching": can_view_coaching,
    "request_coaching": can_request_coaching,
    "comment_coaching": can_comment_coaching,
    "close_review": can_close_review,
    "tick_coaching_comment": is_entry_owner,
    "view_feedback": can_view_feedback,
    # The roles ``entry_set_status``'s transition table names.
    "move_entry_as_owner": is_entry_owner,
    "move_entry_as_organiser": is_organiser,
}

for name, predicate in {**ADMIN_PERMS, **PAGE_PERMS}.items():
    rules.add_perm(f"competition.{name}", predicate)
grant_model_perms_to_organiser(apps.get_app_config("competition"))
