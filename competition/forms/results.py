"""Forms of the organiser's result pages."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from competition.models import ForwardingLevel, OutcomeStep
from competition.uploads import check_upload

EVIDENCE_MAX_MB = 5


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ModerationNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Keputusan panel dan alasannya"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Mis. nilai dipertahankan karena juri ahli menilai dari sudut yang berbeda."),
    )


class FinalistsForm(forms.Form):
    """Top N, or hand-picked entries (ids of the leaderboard rows) with a reason."""

    MODE_TOP = "top"
    MODE_PICK = "pick"

    mode = forms.ChoiceField(
        label=_("Cara memilih"),
        choices=[(MODE_TOP, _("N nilai tertinggi")), (MODE_PICK, _("Pilih sendiri"))],
        widget=forms.RadioSelect,
        initial=MODE_TOP,
    )
    top_n = forms.IntegerField(label=_("Jumlah finalis"), min_value=1, required=False)
    entries = forms.TypedMultipleChoiceField(
        label=_("Proposal terpilih"), coerce=int, required=False
    )
    reason = forms.CharField(
        label=_("Alasan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Wajib bila pilihan berbeda dari urutan nilai tertinggi."),
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entries"].choices = choices

    def clean(self):
        data = super().clean()
        if data.get("mode") == self.MODE_TOP and not data.get("top_n"):
            self.add_error("top_n", _("Isi jumlah finalis."))
        if data.get("mode") == self.MODE_PICK and not data.get("entries"):
            self.add_error("entries", _("Centang proposal yang menjadi finalis."))
        return data


class SlotForm(forms.Form):
    entry = forms.TypedChoiceField(label=_("Finalis"), coerce=int)
    starts_at = forms.DateTimeField(label=_("Mulai"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Selesai"), widget=DateTimeInput())
    room = forms.CharField(label=_("Tempat"), max_length=100, required=False)

    def __init__(self, *args, finalists=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].choices = [
            (e.pk, f"{e.reference} · {e.innovation.title}") for e in finalists
        ]


def parse_chair_order(text: str, references: dict[str, int]) -> tuple[list[int], list[str]]:
    """The chair's order of tied entries, typed as registration numbers separated by commas
    or lines: (entry ids in that order, numbers not in the ranking)."""
    refs = [part.strip() for part in (text or "").replace("\n", ",").split(",") if part.strip()]
    known = [references[r] for r in refs if r in references]
    return known, [r for r in refs if r not in references]


class FinaliseForm(forms.Form):
    """The decree, the harapan count, the chair's decision on ties, and who wins what.

    The winner fields start at the computed order; choosing otherwise is an override
    that needs a reason.
    """

    decree_number = forms.CharField(label=_("Nomor SK penetapan pemenang"), max_length=150)
    decree_date = forms.DateField(label=_("Tanggal SK"), widget=DateInput())
    harapan = forms.TypedChoiceField(
        label=_("Juara harapan"),
        coerce=int,
        choices=[(0, _("Tanpa juara harapan")), (1, "1"), (2, "2"), (3, "3")],
        initial=0,
    )
    # Also a query parameter (the page previews the ranking with it), so named in Indonesian.
    urutan_ketua = forms.CharField(
        label=_("Keputusan ketua dewan juri atas nilai seri"),
        required=False,
        help_text=_("Nomor registrasi proposal yang seri, dipisah koma, terbaik lebih dulu."),
    )
    reason = forms.CharField(
        label=_("Alasan (wajib untuk versi baru atau penetapan di luar urutan nilai)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    TITLE_FIELDS = [
        ("juara_1", _("Juara I")),
        ("juara_2", _("Juara II")),
        ("juara_3", _("Juara III")),
        ("harapan_1", _("Harapan I")),
        ("harapan_2", _("Harapan II")),
        ("harapan_3", _("Harapan III")),
    ]

    def __init__(self, *args, ranking_rows=(), references=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.references = references or {}
        choices = [("", "—")] + [
            (r.entry.id, f"{r.rank}. {r.entry.reference} · {r.entry.title}") for r in ranking_rows
        ]
        for position, (name, label) in enumerate(self.TITLE_FIELDS):
            self.fields[name] = forms.TypedChoiceField(
                label=label, choices=choices, coerce=int, required=False, empty_value=None
            )
            if position < len(ranking_rows):
                self.fields[name].initial = ranking_rows[position].entry.id

    def clean_urutan_ketua(self):
        order, unknown = parse_chair_order(self.cleaned_data["urutan_ketua"], self.references)
        if unknown:
            raise ValidationError(
                _("Nomor registrasi %(ref)s tidak ada dalam peringkat."), params={"ref": unknown[0]}
            )
        return order

    def winners(self) -> list[tuple[int, str]]:
        """(entry id, title) for each title field filled, in title order."""
        harapan = self.cleaned_data.get("harapan") or 0
        names = [n for n, _label in self.TITLE_FIELDS[: 3 + harapan]]
        return [(self.cleaned_data[n], n) for n in names if self.cleaned_data.get(n)]


class ForwardForm(forms.Form):
    entry = forms.TypedChoiceField(label=_("Proposal"), coerce=int)
    level = forms.ChoiceField(label=_("Diteruskan ke"), choices=ForwardingLevel.choices)
    notes = forms.CharField(
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, placements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].choices = [
            (
                p.entry_id,
                f"{p.get_title_display()} · {p.entry.reference} · {p.entry.innovation.title}",
            )
            for p in placements
        ]


def check_evidence(upload):
    """Evidence is checked by its content (a real PDF or image), wherever it is uploaded."""
    if upload and isinstance(upload, UploadedFile):
        check_upload(upload, allowed_types=["pdf", "image"], max_size_mb=EVIDENCE_MAX_MB)
    return upload


class OutcomeForm(forms.Form):
    step = forms.ChoiceField(label=_("Tahap"), choices=OutcomeStep.choices)
    label = forms.CharField(
        label=_("Predikat"),
        max_length=150,
        required=False,
        help_text=_("Mis. Top 45 Kovablik, Top 99, Top 45 KIPP, Outstanding Achievement."),
    )
    rank = forms.IntegerField(label=_("Peringkat"), min_value=1, required=False)
    decree_number = forms.CharField(label=_("Nomor SK"), max_length=150, required=False)
    occurred_on = forms.DateField(label=_("Tanggal"), widget=DateInput())
    notes = forms.CharField(
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = forms.FileField(
        label=_("Bukti (PDF atau foto)"),
        required=False,
        help_text=_("Maksimal %(mb)s MB.") % {"mb": EVIDENCE_MAX_MB},
    )
    is_top_winner = forms.BooleanField(
        label=_("Pemenang utama (membatasi keikutsertaan tahun berikutnya)"), required=False
    )
    is_top_99 = forms.BooleanField(label=_("Top 99 nasional"), required=False)

    def __init__(self, *args, target_round=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A forwarding to a target round picks its step and award label from the round's lists.
        if target_round is not None and target_round.steps:
            self.fields["round_step"] = forms.ChoiceField(
                label=_("Tahap di %(round)s") % {"round": target_round.name},
                choices=[("", "—")] + [(s, s) for s in target_round.steps],
                required=False,
            )
            self.order_fields(["step", "round_step"])
        if target_round is not None and target_round.award_labels:
            self.fields["label"] = forms.ChoiceField(
                label=_("Predikat"),
                choices=[("", "—")] + [(label, label) for label in target_round.award_labels],
                required=False,
            )

    def clean_evidence(self):
        return check_evidence(self.cleaned_data.get("evidence"))


class RevisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan membuka versi baru hasil"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Mis. sanggah OPD diterima dewan juri. Dicatat dalam riwayat kompetisi; versi "
            "lama tetap tersimpan dan terlihat."
        ),
    )
