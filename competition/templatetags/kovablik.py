"""Template filters shared by Kovablik's pages."""

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def rupiah(value):
    """Money as Indonesians write it: ``Rp 15.000.000``. Empty for a missing amount."""
    if value is None or value == "":
        return ""
    return "Rp " + number_format(value, 0, force_grouping=True)
