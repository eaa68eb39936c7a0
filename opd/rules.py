"""Who a user is, and what Bagian Organisasi may do with agencies, people and the region.

The role predicates here are shared by every app's ``rules.py``. Permissions are registered
with ``rules.add_perm`` and asked through ``user.has_perm`` (views, templates, services) or
``opd.admin_permissions.RulesAdminMixin`` (the admin); ``User.has_perm`` gives the superuser
no shortcut past them.
"""

import rules
from django.apps import apps
from django.contrib.auth import get_permission_codename

from .models import RegionProfile


@rules.predicate
def is_organiser(user):
    return user.is_authenticated and user.is_organiser


@rules.predicate
def is_judge(user):
    return user.is_authenticated and user.is_judge


@rules.predicate
def is_opd_staff(user):
    return user.is_authenticated and user.is_opd_staff


@rules.predicate
def is_superuser(user):
    return user.is_active and user.is_superuser


def grant_model_perms_to_organiser(app_config) -> None:
    """Bagian Organisasi may view, add, change and delete every model of ``app_config``
    (and enter its admin section) unless its ``rules.py`` registered that permission first.

    Granted by role rather than by permission rows, so that an organiser account works the
    moment it is approved and loses everything when deactivated.
    """
    rules.add_perm(app_config.label, is_organiser)
    for model in app_config.get_models():
        for action in ("view", "add", "change", "delete"):
            name = f"{app_config.label}.{get_permission_codename(action, model._meta)}"
            if not rules.perm_exists(name):
                rules.add_perm(name, is_organiser)


@rules.predicate
def agency_has_no_history(user, agency):
    """An agency with people, innovations or entries is deactivated, never deleted."""
    return agency is None or not (
        agency.members.exists()
        or agency.children.exists()
        or agency.innovations.exists()
        or agency.entries.exists()
    )


@rules.predicate
def is_not_above_user(user, account):
    """An organiser must not be able to take over a superuser (password, e-mail)."""
    return account is None or not account.is_superuser or user.is_superuser


@rules.predicate
def region_has_no_profile(user):
    return not RegionProfile.objects.exists()


rules.add_perm("opd.delete_agency", is_organiser & agency_has_no_history)
rules.add_perm("opd.change_user", is_organiser & is_not_above_user)
# Accounts leave traces (entries, sheets, decisions); they are deactivated instead.
rules.add_perm("opd.delete_user", is_superuser)
# One profile per installation.
rules.add_perm("opd.add_regionprofile", is_organiser & region_has_no_profile)
rules.add_perm("opd.delete_regionprofile", rules.always_deny)
grant_model_perms_to_organiser(apps.get_app_config("opd"))
