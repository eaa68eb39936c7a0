"""Forms of Bagian Organisasi's pages: the entry list's filters and the screening decision."""

from collections.abc import Iterable

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from competition.models import Category, Entry, EntryStatus, GroupCode
from competition.selectors.screening import CheckItem
from opd.models import Agency, AgencyKind

SCREENING_CHOICES = [
    (EntryStatus.PASSED, _("Lolos seleksi administrasi")),
    (EntryStatus.RETURNED, _("Kembalikan untuk perbaikan")),
    (EntryStatus.FAILED, _("Tidak lolos seleksi administrasi")),
]


class EntryFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Cari"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Judul, nama singkat, nomor, OPD")}),
    )
    opd = forms.ModelChoiceField(
        label=_("OPD"), queryset=Agency.objects.all(), required=False, empty_label=_("Semua OPD")
    )
    jenis = forms.ChoiceField(
        label=_("Jenis OPD"),
        choices=[("", _("Semua jenis")), *AgencyKind.choices],
        required=False,
    )
    kategori = forms.ModelChoiceField(
        label=_("Kategori"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("Semua kategori"),
    )
    kelompok = forms.ChoiceField(
        label=_("Kelompok"), choices=[("", _("Semua kelompok")), *GroupCode.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Semua status")), *EntryStatus.choices], required=False
    )

    def __init__(self, *args, competition=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kategori"].queryset = Category.objects.filter(competition=competition)

    def filter(self, entries: QuerySet[Entry]) -> QuerySet[Entry]:
        """``entries`` narrowed by the valid filters; invalid ones are ignored."""
        if not self.is_valid():
            return entries
        data = self.cleaned_data
        if data["opd"]:
            entries = entries.filter(agency=data["opd"])
        if data["jenis"]:
            entries = entries.filter(agency__kind=data["jenis"])
        if data["kategori"]:
            entries = entries.filter(category=data["kategori"])
        if data["kelompok"]:
            entries = entries.filter(group__code=data["kelompok"])
        if data["status"]:
            entries = entries.filter(status=data["status"])
        if data["q"]:
            words = data["q"].split()
            for word in words:
                entries = entries.filter(
                    Q(innovation__title__icontains=word)
                    | Q(innovation__brand_name__icontains=word)
                    | Q(innovation__brand_long_form__icontains=word)
                    | Q(reference__icontains=word)
                    | Q(agency__name__icontains=word)
                    | Q(agency__short_name__icontains=word)
                )
        return entries


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
