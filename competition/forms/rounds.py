"""Forms of the target-round pages."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from competition import defaults
from competition.models import TargetRound


class RoundCreateForm(forms.Form):
    """A new round from a starting format, or next year's copy of a series' latest round."""

    source = forms.ChoiceField(label=_("Dari"))
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        series = (
            TargetRound.objects.order_by("series", "-year")
            .distinct()
            .values_list("series", flat=True)
        )
        self.fields["source"].choices = [
            (f"format:{key}", _("Format bawaan: %(label)s") % {"label": spec["label"]})
            for key, spec in defaults.ROUND_FORMATS.items()
        ] + [
            (f"series:{name}", _("Salin putaran terakhir seri %(series)s") % {"series": name})
            for name in dict.fromkeys(series)
        ]


class PackageUploadForm(forms.Form):
    package = forms.FileField(
        label=_("Paket data (ZIP)"),
        help_text=_(
            "Paket penerusan dari kota atau kabupaten untuk putaran yang diselenggarakan "
            "daerah ini."
        ),
    )


class OutcomesUploadForm(forms.Form):
    outcomes = forms.FileField(
        label=_("Berkas hasil (JSON)"),
        help_text=_("Berkas hasil dari penyelenggara putaran (kovablik-hasil)."),
    )


class RoundForwardForm(forms.Form):
    entry = forms.IntegerField(widget=forms.HiddenInput)
    notes = forms.CharField(label=_("Catatan"), required=False, max_length=500)


class PublishedListForm(forms.Form):
    """A published list (CSV or XLSX) to match against the round's forwardings."""

    published = forms.FileField(
        label=_("Daftar terbit (CSV atau XLSX)"),
        help_text=_(
            "Baris pertama berisi judul kolom: “Nomor” atau “Judul” (atau keduanya) dan "
            "“Predikat”. Baris proposal daerah lain dibiarkan."
        ),
    )
    occurred_on = forms.DateField(
        label=_("Tanggal terbit"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_published(self):
        upload = self.cleaned_data["published"]
        name = upload.name.lower()
        if not name.endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Pilih berkas .csv atau .xlsx."))
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("Berkas paling besar 5 MB."))
        return upload
