"""``{% fixed %}...{% endfixed %}``: a piece of every page rendered once per process and language.

The navbar's menus, the footer's choice of language and the links to the static files are
made of nothing but ``{% url %}``, ``{% static %}`` and ``{% translate %}``: the same for
every request in a language, yet about 0.4 ms of CPU on every page. A ``{% fixed %}`` block
is rendered the first time and repeated after, for as long as what those tags read stays the
same: the language, the URLconf, the script prefix, the current app that namespaced URLs
resolve against, and the settings (a changed setting, in tests, renders it again). With
DEBUG on it is rendered every time, so that edited translations show at once.

The block renders in an empty context: a variable put inside by mistake shows blank rather
than one person's data to the next.
"""

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

register = template.Library()

settings_version = 0


@receiver(setting_changed)
def count_settings_change(**kwargs):
    global settings_version
    settings_version += 1


def url_current_app(request):
    """The app ``{% url %}`` resolves namespaces against (django.template.defaulttags.URLNode)."""
    try:
        return request.current_app
    except AttributeError:
        try:
            return request.resolver_match.namespace
        except AttributeError:
            return None


class FixedNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist
        self.forget()

    def forget(self):
        self.rendered: dict[tuple, str] = {}
        self.settings_version = settings_version
        self.keep = not settings.DEBUG

    def render(self, context):
        if self.settings_version != settings_version:
            self.forget()
        if not self.keep:
            return self.nodelist.render(context.new())
        key = (
            get_language(),
            get_urlconf(),
            get_script_prefix(),
            url_current_app(getattr(context, "request", None)),
        )
        rendered = self.rendered.get(key)
        if rendered is None:
            rendered = self.rendered[key] = self.nodelist.render(context.new())
        return rendered


@register.tag
def fixed(parser, token):
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("{% fixed %} takes no arguments.")
    nodelist = parser.parse(("endfixed",))
    parser.delete_first_token()
    return FixedNode(nodelist)
