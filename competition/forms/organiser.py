"""The form of Bagian Organisasi's screening decision."""

from collections.abc import Iterable

from django import forms
from django.utils.translation import gettext_lazy as _

from competition.models import EntryStatus
from competition.selectors.screening import CheckItem

SCREENING_CHOICES = [
    (EntryStatus.PASSED, _("Lolos seleksi administrasi")),
    (EntryStatus.RETURNED, _("Kembalikan untuk perbaikan")),
    (EntryStatus.FAILED, _("Tidak lolos seleksi administrasi")),
]


def tick_field(key: str) -> str:
    return f"tick__{key}"


class ScreeningForm(forms.Form):
    """The decision, with one tick box per checklist item (pre-ticked when the check holds)."""

    outcome = forms.ChoiceField(
        label=_("Hasil seleksi"), choices=SCREENING_CHOICES, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Alasan / yang harus diperbaiki"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
        help_text=_(
            "Wajib bila tidak lolos atau dikembalikan; OPD membaca teks ini di dasbor dan e-mail."
        ),
    )
    revision_due_at = forms.DateTimeField(
        label=_("Batas perbaikan (WIB)"),
        required=False,
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local", "class": "form-control"}, format="%Y-%m-%dT%H:%M"
        ),
        help_text=_("Wajib bila dikembalikan untuk perbaikan."),
    )

    def __init__(
        self,
        *args,
        checklist: list[CheckItem],
        stored: dict | None = None,
        allowed: Iterable[str] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        if allowed is not None:
            # A returned entry may only be failed (its revision date passed) or resubmitted.
            allowed = set(allowed)
            self.fields["outcome"].choices = [c for c in SCREENING_CHOICES if c[0] in allowed]
        stored = stored or {}
        self.checklist = checklist
        for item in checklist:
            initial = stored[item.key] if item.key in stored else bool(item.ok)
            self.fields[tick_field(item.key)] = forms.BooleanField(
                label=item.label, required=False, initial=initial
            )

    def ticks(self) -> dict[str, bool]:
        return {item.key: self.cleaned_data[tick_field(item.key)] for item in self.checklist}

    def rows(self):
        """Each checklist item with its tick box, for the template."""
        return [(item, self[tick_field(item.key)]) for item in self.checklist]
