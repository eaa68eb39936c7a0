"""The organiser's admin, one module per area; each module registers its own models."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import desk, judging, results, rounds, setup  # noqa: F401

# Bagian Organisasi should see the portal's name here, not "Administrasi Django".
admin.site.site_header = _("Administrasi Kovablik")
admin.site.site_title = _("Administrasi Kovablik")
# The admin's model sidebar takes 300 of a 1366-pixel laptop's pixels beside each list's
# filters, and pushed columns such as "Status akun" out of view; the breadcrumbs and the
# admin's front page lead to every list.
admin.site.enable_nav_sidebar = False
