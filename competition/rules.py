"""Who may see and change innovations, entries and attachments.

Predicates shared by views, templates (``{% load rules %}``) and the admin. An OPD
owns its own innovations and entries and those of its child units (UPT, puskesmas);
the organiser sees everything; a judge sees only the attachments of entries on his or
her desk (see ``is_judging_entry``). Whether an entry may still change also depends on
the clock: see ``Entry.is_change_window_open``.
"""

import rules
from django.db.models import Exists

from opd.rules import is_judge, is_opd_staff, is_organiser

from .models import Coach, EntryStatus, ReviewRequest
from .selectors.judging import judge_desk_assignments


def _owns_agency(user, agency) -> bool:
    """The agency is the user's own OPD or one of its child units."""
    return agency is not None and (
        agency.pk == user.agency_id
        or (agency.parent_id is not None and agency.parent_id == user.agency_id)
    )


@rules.predicate
def is_innovation_owner(user, innovation):
    return innovation is not None and is_opd_staff(user) and _owns_agency(user, innovation.agency)


@rules.predicate
def is_entry_owner(user, entry):
    return entry is not None and is_opd_staff(user) and _owns_agency(user, entry.agency)


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


can_view_innovation = is_organiser | is_innovation_owner
can_edit_innovation = is_innovation_owner
can_view_entry = is_organiser | is_entry_owner
can_edit_entry = is_entry_owner & entry_is_editable_now
can_submit_entry = can_edit_entry
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

rules.add_rule("competition.view_innovation_opd", can_view_innovation)
rules.add_rule("competition.edit_innovation_opd", can_edit_innovation)
rules.add_rule("competition.view_entry_opd", can_view_entry)
rules.add_rule("competition.edit_entry_opd", can_edit_entry)
rules.add_rule("competition.withdraw_entry_opd", can_withdraw_entry)
rules.add_rule("competition.download_attachment", can_download_attachment)
rules.add_rule("competition.delete_attachment", can_delete_attachment)
rules.add_rule("competition.view_coaching", can_view_coaching)
rules.add_rule("competition.request_coaching", can_request_coaching)
rules.add_rule("competition.comment_coaching", can_comment_coaching)
rules.add_rule("competition.close_review", can_close_review)
rules.add_rule("competition.view_feedback", can_view_feedback)
