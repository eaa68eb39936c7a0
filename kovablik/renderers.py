"""The form renderer: Django's own, with its plainest widget templates written in Python.

The deadline rush's busiest pages are forms: the proposal editor (nine text areas, loaded
again after every save) and the judge's score sheet (eight score inputs and nine text
areas). Through Django's widget templates every ``<input>``, ``<textarea>`` and
``<option>`` costs an include of ``attrs.html`` and a template loop over its attributes,
0.1-0.2 ms of CPU each. ``input.html``, ``textarea.html`` and ``attrs.html`` are three
lines of markup, so this renderer writes exactly what they write, character for
character, and so for ``select.html`` with its options and for one radio button
(``radio_option.html``, as a template's ``{{ radio.tag }}`` asks for it); every other
template (a whole radio list, labels, errors, the admin's own widgets) stays with the
template engine.

It only takes over a template while the engine would load Django's own file for it: an
app that ships its own ``django/forms/widgets/...`` template keeps it rendered as written.
``tests/kovablik/test_renderers.py`` renders every case both ways and compares.
"""

from __future__ import annotations

import html
from pathlib import Path

import django
from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise, cached_property
from django.utils.safestring import SafeData

WIDGETS = "django/forms/widgets/"
# Widget templates whose whole content is ``{% include "django/forms/widgets/input.html" %}``.
INPUT_TEMPLATES = [
    f"{WIDGETS}{name}.html"
    for name in ("input", "text", "number", "email", "url", "password", "hidden", "checkbox")
]
TEXTAREA_TEMPLATE = f"{WIDGETS}textarea.html"
SELECT_TEMPLATE = f"{WIDGETS}select.html"
OPTION_TEMPLATE = f"{WIDGETS}select_option.html"
# ``radio_option.html`` is ``{% include "django/forms/widgets/input_option.html" %}``.
RADIO_OPTION_TEMPLATE = f"{WIDGETS}radio_option.html"
INPUT_OPTION_TEMPLATE = f"{WIDGETS}input_option.html"
DJANGO_FORMS_TEMPLATES = Path(django.__file__).parent / "forms" / "templates"


def _escape(value) -> str:
    """``conditional_escape`` without its wrapper for lazy arguments and its ``SafeString``:
    the same characters, for text that is joined into one string at once. A few hundred
    attributes per editor page paid for those two."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _stringformat(value) -> str:
    """``{{ value|stringformat:'s' }}`` with autoescaping: safe strings stay as they are."""
    try:
        text = "%s" % value  # noqa: UP031 - exactly what the filter does
    except (TypeError, ValueError):
        return ""
    return text if isinstance(value, SafeData) else html.escape(text)


def _attrs(attrs: dict) -> str:
    """``attrs.html``: `` name="value"`` per attribute, bare for True, none for False."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {_escape(name)}")
        if value is not True:
            out.append(f'="{_stringformat(value)}"')
    return "".join(out)


def _input(widget: dict) -> str:
    value = widget["value"]
    shown = f' value="{_stringformat(value)}"' if value is not None else ""
    return (
        f'<input type="{_escape(widget["type"])}" '
        f'name="{_escape(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'
    )


def _textarea(widget: dict) -> str:
    value = widget["value"]
    return (
        f'<textarea name="{_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{_escape(value) if value else ''}</textarea>"
    )


def _printable(value) -> bool:
    """A value ``{{ value }}`` prints unchanged: text, not a number the template localises."""
    return isinstance(value, str | Promise)


def _select(widget: dict) -> str | None:
    """``select.html`` with its ``select_option.html`` options, or None when an option
    label is not plain text (the template would localise it) or an option names a template
    of its own."""
    out = [f'<select name="{_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            if not _printable(group_name):
                return None
            out.append(f'\n  <optgroup label="{_escape(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION_TEMPLATE or not _printable(option["label"]):
                return None
            out.append(
                f'\n  <option value="{_stringformat(option["value"])}"{_attrs(option["attrs"])}>'
                # The included option template keeps its own final newline.
                f"{_escape(option['label'])}</option>\n"
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


def _radio_option(widget: dict) -> str | None:
    """``input_option.html``: the input, inside its label when ``wrap_label`` (its two
    lines joined by the template's newline), or None when the label or the id is not
    plain text."""
    if not widget.get("wrap_label"):
        return _input(widget)
    label, id_ = widget["label"], widget["attrs"].get("id")
    if not _printable(label) or (id_ and not _printable(id_)):
        return None
    target = f' for="{_escape(id_)}"' if id_ else ""
    return f"<label{target}>{_input(widget)}\n {_escape(label)}</label>"


class FastWidgetRenderer(DjangoTemplates):
    """``DjangoTemplates`` (the default ``FORM_RENDERER``), except for the plain widgets."""

    @cached_property
    def _in_python(self) -> dict:
        """The templates rendered here: only those the engine would read from Django."""
        python = {}
        own = {
            name: Path(self.engine.get_template(name).origin.name).is_relative_to(
                DJANGO_FORMS_TEMPLATES
            )
            for name in [
                *INPUT_TEMPLATES,
                TEXTAREA_TEMPLATE,
                SELECT_TEMPLATE,
                OPTION_TEMPLATE,
                RADIO_OPTION_TEMPLATE,
                INPUT_OPTION_TEMPLATE,
            ]
        }
        for name in INPUT_TEMPLATES:
            if own[name]:
                python[name] = _input
        if own[TEXTAREA_TEMPLATE]:
            python[TEXTAREA_TEMPLATE] = _textarea
        if own[SELECT_TEMPLATE] and own[OPTION_TEMPLATE]:
            python[SELECT_TEMPLATE] = _select
        if own[RADIO_OPTION_TEMPLATE] and own[INPUT_OPTION_TEMPLATE] and own[INPUT_TEMPLATES[0]]:
            python[RADIO_OPTION_TEMPLATE] = _radio_option
        return python

    def render(self, template_name, context, request=None):
        write = self._in_python.get(template_name)
        widget = context.get("widget") if write is not None else None
        # A text area's value is printed as the template would localise it: text only.
        if widget is None or (write is _textarea and not _printable(widget["value"] or "")):
            return super().render(template_name, context, request=request)
        html = write(widget)
        if html is None:
            return super().render(template_name, context, request=request)
        return html
