from django.contrib.auth.backends import BaseBackend

KOVABLIK_APPS = frozenset({"opd", "competition"})


class OrganiserPermissionBackend(BaseBackend):
    """Bagian Organisasi holds every model permission of Kovablik's own apps.

    Granted by role rather than by per-user permission rows, so that an organiser
    account works the moment it is approved and loses everything when deactivated.
    What an organiser may still not do (delete an agency with history, edit a frozen
    sheet) is refused by the admin classes and services themselves.
    """

    def has_perm(self, user_obj, perm, obj=None):
        return getattr(user_obj, "is_organiser", False) and perm.split(".", 1)[0] in KOVABLIK_APPS

    def has_module_perms(self, user_obj, app_label):
        return getattr(user_obj, "is_organiser", False) and app_label in KOVABLIK_APPS
