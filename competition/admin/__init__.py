"""The organiser's admin, one module per area; each module registers its own models."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import judging, results, rounds, setup  # noqa: F401

# Bagian Organisasi should see the portal's name here, not "Administrasi Django".
admin.site.site_header = _("Administrasi Kovablik")
admin.site.site_title = _("Administrasi Kovablik")
