"""The form renderer writes the plain widgets exactly as Django's templates do."""

from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.http import QueryDict
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from kovablik.renderers import (
    INPUT_TEMPLATES,
    RADIO_OPTION_TEMPLATE,
    SELECT_TEMPLATE,
    TEXTAREA_TEMPLATE,
    FastWidgetRenderer,
)

ATTRS = [
    {},
    {"class": "form-control", "rows": 6, "data-word-limit": 500, "aria-describedby": "a b"},
    {"required": True, "disabled": False, "placeholder": gettext_lazy("Nilai")},
    {"data-x": "\"<&>'", "title": mark_safe("<b>aman</b>"), "step": Decimal("0.01")},
    {"data-none": None, "maxlength": 0, "autofocus": True},
]
VALUES = [None, "", "teks biasa", 'kutip " <tag> & ampersand', mark_safe("<i>aman</i>"), 0, 82.5]


def both(template_name, widget):
    ours = FastWidgetRenderer().render(template_name, {"widget": widget})
    django = DjangoTemplates().render(template_name, {"widget": widget})
    return ours, django


@pytest.mark.parametrize("template_name", INPUT_TEMPLATES)
@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize("value", VALUES)
def test_inputs_are_written_as_the_template_writes_them(template_name, attrs, value):
    widget = {"name": "score_<1>", "type": "number", "value": value, "attrs": attrs}

    ours, django = both(template_name, widget)

    assert ours == django


@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize(
    "value", [None, "", "baris satu\nbaris dua\n", "<script>&", mark_safe("<p>")]
)
def test_text_areas_are_written_as_the_template_writes_them(attrs, value):
    widget = {"name": "section_1", "value": value, "attrs": attrs}

    ours, django = both(TEXTAREA_TEMPLATE, widget)

    assert ours == django


@pytest.mark.parametrize("attrs", [*ATTRS, {"id": "id_decision_0", "checked": True}])
@pytest.mark.parametrize("label", ["Tidak ada", '<b>&"', mark_safe("<i>aman</i>"), 7])
@pytest.mark.parametrize("wrap_label", [False, True, None])
def test_radio_buttons_are_written_as_the_template_writes_them(attrs, label, wrap_label):
    widget = {"name": "decision", "type": "radio", "value": "none", "label": label}
    widget["attrs"] = attrs
    if wrap_label is not None:
        widget["wrap_label"] = wrap_label

    ours, django = both(RADIO_OPTION_TEMPLATE, widget)

    assert ours == django


def test_bound_fields_render_the_same_through_either_renderer():
    class Sample(forms.Form):
        text = forms.CharField(widget=forms.Textarea(attrs={"class": "form-control"}))
        score = forms.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100)
        url = forms.URLField(required=False, assume_scheme="https")
        accepted = forms.BooleanField(required=False)
        version = forms.IntegerField(widget=forms.HiddenInput)
        kind = forms.ChoiceField(choices=[("a", "A"), ("b", "<B>")])
        grouped = forms.ChoiceField(
            choices=[("", "---"), (gettext_lazy("Kelompok <1>"), [(1, "Satu"), (2, "Dua")])]
        )
        numbered = forms.ChoiceField(choices=[(1, 1500), (2, gettext_lazy("Dua"))])
        many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")], required=False)
        decision = forms.ChoiceField(
            widget=forms.RadioSelect, choices=[("none", "Tidak <ada>"), (2, 2000)]
        )

    data = QueryDict(mutable=True)
    data.update({"text": "isi <b>", "score": "82.5", "url": "x", "accepted": "on"})
    data.update({"version": "3", "kind": "b", "grouped": "2", "numbered": "1"})
    data.update({"decision": "none"})
    data.setlist("many", ["x", "y"])
    rendered = {}
    for renderer in (FastWidgetRenderer(), DjangoTemplates()):
        bound, unbound = Sample(data, renderer=renderer), Sample(renderer=renderer)
        bound.is_valid()
        rendered[type(renderer)] = [str(f[name]) for f in (bound, unbound) for name in f.fields]
        # One radio button at a time, as the declaration pages write them.
        rendered[type(renderer)] += [
            html
            for f in (bound, unbound)
            for radio in f["decision"]
            for html in (radio.tag(), str(radio), radio.tag(wrap_label=True))
        ]

    assert rendered[FastWidgetRenderer] == rendered[DjangoTemplates]


def test_the_plain_widget_templates_are_the_ones_written_in_python():
    in_python = set(FastWidgetRenderer()._in_python)

    assert in_python == {
        *INPUT_TEMPLATES,
        TEXTAREA_TEMPLATE,
        SELECT_TEMPLATE,
        RADIO_OPTION_TEMPLATE,
    }


def test_what_a_user_typed_is_escaped_in_every_plain_widget():
    typed = "\"<>&'"
    escaped = "&quot;&lt;&gt;&amp;&#x27;"
    renderer = FastWidgetRenderer()
    attrs = {"placeholder": typed}

    text_area = renderer.render(
        TEXTAREA_TEMPLATE, {"widget": {"name": "section_1", "value": typed, "attrs": attrs}}
    )
    text_input = renderer.render(
        INPUT_TEMPLATES[0],
        {"widget": {"name": "video_url", "type": "text", "value": typed, "attrs": attrs}},
    )

    class Choice(forms.Form):
        kind = forms.ChoiceField(choices=[(typed, typed)])

    select = str(Choice({"kind": typed}, renderer=renderer)["kind"])

    assert text_area == (
        f'<textarea name="section_1" placeholder="{escaped}">\n{escaped}</textarea>'
    )
    assert text_input == (
        f'<input type="text" name="video_url" value="{escaped}" placeholder="{escaped}">'
    )
    assert f'<option value="{escaped}" selected>{escaped}</option>' in select
