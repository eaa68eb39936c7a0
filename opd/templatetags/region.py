"""``{% region_profile as region %}`` for templates rendered outside a request (e-mails)."""

from django import template

from opd.models import RegionProfile

register = template.Library()


@register.simple_tag
def region_profile():
    return RegionProfile.current()
