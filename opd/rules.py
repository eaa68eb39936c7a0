"""Who a user is, as predicates shared by views, templates and the admin."""

import rules


@rules.predicate
def is_organiser(user):
    return user.is_authenticated and user.is_organiser


@rules.predicate
def is_judge(user):
    return user.is_authenticated and user.is_judge


@rules.predicate
def is_opd_staff(user):
    return user.is_authenticated and user.is_opd_staff
