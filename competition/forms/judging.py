"""Forms of judging: the conflict declaration, the score sheet, and the organiser's tools."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import floatformat
from django.templatetags.l10n import unlocalize
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from competition.models import Category, ScoreSheet, SheetStatus, Stage
from competition.selectors.judging import judges_available


def score_field(criterion_id: int) -> str:
    return f"score_{criterion_id}"


def comment_field(criterion_id: int) -> str:
    return f"comment_{criterion_id}"


def _plain(value: Decimal) -> Decimal:
    """10.00 as 10 and 7.50 as 7.5, for bounds people read."""
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


class ScoreField(forms.DecimalField):
    """A score typed with ASCII digits only, with the sheet's own messages.

    Python reads Arabic-Indic or full-width digits (U+0665 U+0660) as 50; a judge who did
    not mean to type them would not see the number that was stored, so they are refused.
    """

    default_error_messages = {
        "not_ascii": _(
            "Tulis nilai dengan angka biasa 0-9, misalnya 75 atau 82.5; angka Arab-Indik "
            "atau angka lebar tidak diterima."
        ),
        "invalid": _("Isikan angka, misalnya 75 atau 82.5."),
        "min_value": _("Nilai tidak boleh kurang dari %(limit_value)s."),
        "max_value": _("Nilai tidak boleh lebih dari %(limit_value)s."),
        "max_decimal_places": _("Gunakan paling banyak dua angka di belakang koma."),
    }

    def to_python(self, value):
        if isinstance(value, str) and not value.isascii():
            raise forms.ValidationError(self.error_messages["not_ascii"], code="not_ascii")
        return super().to_python(value)


class ConflictDeclarationForm(forms.Form):
    NONE = "none"
    CONFLICT = "conflict"

    decision = forms.ChoiceField(
        label=_("Pernyataan"),
        widget=forms.RadioSelect,
        choices=[
            (NONE, _("Saya tidak memiliki konflik kepentingan dengan proposal ini.")),
            (CONFLICT, _("Saya memiliki konflik kepentingan dengan proposal ini.")),
        ],
        error_messages={"required": _("Pilih salah satu pernyataan.")},
    )
    reason = forms.CharField(
        label=_("Alasan konflik kepentingan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Misalnya: pernah terlibat dalam inovasi ini, hubungan keluarga dengan inovator, "
            "atau bekerja di OPD pengusul."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.CONFLICT and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Tuliskan alasan konflik kepentingan Anda."))
        return cleaned


class BulkConflictForm(forms.Form):
    """One declaration per assigned proposal, all on one page.

    A row left unanswered stays waiting (the judge may come back to it); at least one row
    must be answered, and a conflict needs its reason, as on the single page.
    """

    def __init__(self, *args, assignments, **kwargs):
        super().__init__(*args, **kwargs)
        self.assignments = list(assignments)
        for a in self.assignments:
            self.fields[f"decision_{a.pk}"] = forms.ChoiceField(
                label=a.entry.innovation.title,
                widget=forms.RadioSelect,
                required=False,
                choices=[
                    (ConflictDeclarationForm.NONE, _("Tidak ada konflik")),
                    (ConflictDeclarationForm.CONFLICT, _("Ada konflik")),
                ],
            )
            self.fields[f"reason_{a.pk}"] = forms.CharField(
                label=_("Alasan konflik kepentingan"),
                required=False,
                max_length=1000,
                widget=forms.TextInput(attrs={"size": 30}),
            )

    def clean(self):
        cleaned = super().clean()
        answered = 0
        for a in self.assignments:
            decision = cleaned.get(f"decision_{a.pk}")
            if decision:
                answered += 1
            if decision == ConflictDeclarationForm.CONFLICT and not (
                cleaned.get(f"reason_{a.pk}", "").strip()
            ):
                self.add_error(f"reason_{a.pk}", _("Tuliskan alasan konflik kepentingan Anda."))
        if not answered:
            raise forms.ValidationError(_("Pilih pernyataan untuk paling sedikit satu proposal."))
        return cleaned

    def declarations(self) -> list[tuple]:
        rows = []
        for a in self.assignments:
            decision = self.cleaned_data.get(f"decision_{a.pk}")
            if decision:
                has_conflict = decision == ConflictDeclarationForm.CONFLICT
                reason = self.cleaned_data.get(f"reason_{a.pk}", "") if has_conflict else ""
                rows.append((a, has_conflict, reason))
        return rows

    def rows(self) -> list[dict]:
        return [
            {
                "assignment": a,
                "decision": self[f"decision_{a.pk}"],
                "reason": self[f"reason_{a.pk}"],
            }
            for a in self.assignments
        ]


class ScoreInput(forms.NumberInput):
    def __init__(self, attrs=None):
        super().__init__({"class": "desk-score", "inputmode": "decimal", **(attrs or {})})


class CommentArea(forms.Textarea):
    def __init__(self, attrs=None):
        super().__init__({"rows": 2, **(attrs or {})})


class ScoreSheetForm(forms.Form):
    """One number and one comment per criterion, a general comment and the sheet version.

    Bounds are both HTML attributes (min, max, step) and server checks. A draft may
    leave criteria empty; submitting needs every criterion and the required comments.
    """

    general_comment = forms.CharField(
        label=_("Catatan umum untuk proposal ini"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # Not an IntegerField: a forged or garbled version must reach the service, which answers
    # with the two-tab message, rather than fail as a hidden field nobody sees.
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, criteria, sheet: ScoreSheet | None = None, **kwargs):
        self.criteria = list(criteria)
        self.stale_scores: dict[int, object] | None = None
        self._submit = False
        initial = {"version": sheet.version if sheet else 0}
        if sheet is not None:
            initial["general_comment"] = sheet.general_comment
            for s in sheet.scores.all():
                initial[score_field(s.criterion_id)] = s.value
                initial[comment_field(s.criterion_id)] = s.comment
        super().__init__(*args, initial=initial, **kwargs)
        # Widgets are given as classes: an instance would be deep-copied for every field.
        for c in self.criteria:
            low, high = _plain(c.min_score), _plain(c.max_score)
            self.fields[score_field(c.pk)] = ScoreField(
                label=c.label,
                required=False,
                min_value=low,
                max_value=high,
                max_digits=6,
                decimal_places=2,
                help_text=_("Skala %(min)s sampai %(max)s") % {"min": low, "max": high},
                widget=ScoreInput,
            )
            self.fields[comment_field(c.pk)] = forms.CharField(
                label=_("Catatan / saran (wajib)") if c.comment_required else _("Catatan / saran"),
                required=False,
                widget=CommentArea,
            )

    def add_error(self, field, error):
        """Show the service's errors about one criterion (``params["criterion"]``, see
        ``score_sheet_check``) beside that criterion's score or comment input."""
        if (
            field is None
            and isinstance(error, ValidationError)
            and not hasattr(error, "error_dict")
        ):
            general = []
            for item in error.error_list:
                criterion = (item.params or {}).get("criterion")
                if criterion is None:
                    general.append(item)
                    continue
                name = (comment_field if item.code == "comment_required" else score_field)(
                    criterion
                )
                super().add_error(name if name in self.fields else None, item)
            if not general:
                return
            error = ValidationError(general)
        super().add_error(field, error)

    def clean_version(self) -> int:
        value = self.cleaned_data["version"].strip()
        # -1 is never a sheet's version, so the save is refused as stale.
        return int(value) if value.isascii() and value.isdigit() else -1

    def is_valid(self, submit: bool = False) -> bool:
        self._submit = submit
        return super().is_valid()

    def clean(self):
        cleaned = super().clean()
        if not self._submit:
            return cleaned
        for c in self.criteria:
            if cleaned.get(score_field(c.pk)) is None and score_field(c.pk) not in self.errors:
                self.add_error(
                    score_field(c.pk), _("Isikan nilai untuk kriteria ini sebelum mengirim.")
                )
            if c.comment_required and not cleaned.get(comment_field(c.pk), "").strip():
                self.add_error(
                    comment_field(c.pk),
                    _("Catatan wajib diisi untuk kriteria ini sebelum mengirim."),
                )
        return cleaned

    def score_values(self) -> dict[int, object]:
        return {c.pk: self.cleaned_data.get(score_field(c.pk)) for c in self.criteria}

    def comment_values(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data.get(comment_field(c.pk), "") for c in self.criteria}

    def mark_stale(self, current: ScoreSheet | None) -> None:
        """Keep what was typed, but carry the current version and show the saved values."""
        self.data = self.data.copy()
        self.data["version"] = str(current.version if current else 0)
        self.stale_scores = (
            {s.criterion_id: s.value for s in current.scores.all()} if current else {}
        )

    def criterion_rows(self) -> list[dict]:
        """One row per criterion for the sheet's template, the weight and maximum as its
        data attributes and the weight's label written here rather than by the template's
        filters, which cost more than the rest of the row."""
        return [
            {
                "criterion": c,
                "weight": unlocalize(c.weight),
                "max_score": unlocalize(c.max_score),
                "weight_label": gettext("bobot %(w)s%%") % {"w": floatformat(c.weight, "-2")},
                "score": self[score_field(c.pk)],
                "comment": self[comment_field(c.pk)],
                "saved": None if self.stale_scores is None else self.stale_scores.get(c.pk),
            }
            for c in self.criteria
        ]

    @staticmethod
    def editable(stage: Stage, sheet: ScoreSheet | None) -> bool:
        """Whether the judge's sheet (None before the first save) takes input now."""
        if sheet is not None and sheet.status == SheetStatus.SUBMITTED:
            return False
        return ScoreSheet.judge_may_edit(stage, sheet)


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan membuka kembali"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Dicatat dalam riwayat lembar penilaian."),
    )


class JudgeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        where = obj.agency.short_name if obj.agency_id else obj.institution
        return f"{obj.full_name} ({where})" if where else obj.full_name


class AutoAssignForm(forms.Form):
    """The plan's choices; the preview is a GET, so the names are query parameters."""

    juri = JudgeChoiceField(
        label=_("Juri yang ikut dibagi"),
        queryset=judges_available().select_related("agency"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Kosongkan untuk memakai semua juri aktif."),
    )
    acak = forms.IntegerField(
        label=_("Nomor acak"),
        required=False,
        min_value=0,
        help_text=_("Angka lain menghasilkan pembagian lain yang sama adilnya."),
    )


class CategoryPanelForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Kategori"), queryset=Category.objects.none())
    judges = JudgeChoiceField(
        label=_("Panel juri"),
        queryset=judges_available().select_related("agency"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pilih paling sedikit satu juri.")},
    )

    def __init__(self, *args, stage: Stage, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(
            competition_id=stage.competition_id
        )


class StageCloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan menutup tahap"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wajib bila masih ada lembar yang belum dikirim. Dicatat dalam riwayat tahap."),
    )


class StageReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan membuka kembali tahap"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Dicatat dalam riwayat tahap dan dikirim kepada juri tahap ini."),
    )
    closes_at = forms.DateTimeField(
        label=_("Batas penilaian yang baru"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Wajib bila batas penilaian tahap ini sudah lewat."),
    )
