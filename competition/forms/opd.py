"""Forms OPD staff fill in: their innovations, opening an entry, the proposal editor."""

from dataclasses import dataclass

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import localize
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from competition.eligibility import answer_length, count_words, is_youtube_url, too_long_message
from competition.models import Award, Category, Entry, Innovation, Innovator
from kovablik.text import NameField
from opd.forms import phone_validator
from opd.models import Agency


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class InnovationForm(forms.ModelForm):
    class Meta:
        model = Innovation
        fields = [
            "title",
            "brand_name",
            "brand_long_form",
            "description",
            "agency",
            "started_on",
            "trial_on",
            "stage",
            "form",
            "is_digital",
            "is_application",
            "initiator",
            "sdgs",
            "is_published",
            "replicates",
            "replicates_name",
            "replicates_region",
            "replicates_year",
            "replicates_award",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "started_on": DateInput(),
            "trial_on": DateInput(),
            "sdgs": forms.CheckboxSelectMultiple,
        }
        field_classes = {"title": NameField, "brand_name": NameField, "brand_long_form": NameField}
        help_texts = {
            "brand_name": _("Mis. Gayatri."),
            "brand_long_form": _("Mis. gerbang layanan terpadu dan terintegrasi."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Staff may register an innovation for their own OPD or one of its units.
        self.fields["agency"].queryset = Agency.objects.filter(
            Q(pk=user.agency_id) | Q(parent_id=user.agency_id)
        ).order_by("parent_id", "name")
        self.fields["agency"].empty_label = None
        if not self.instance.pk:
            self.fields["agency"].initial = user.agency_id
        # The innovation replicated: one of the OPD's own, one in the public catalogue or
        # one with an award; another OPD's unpublished innovations stay out of sight.
        own = Q(agency_id=user.agency_id) | Q(agency__parent_id=user.agency_id)
        visible = own | Q(pk__in=Innovation.objects.in_catalogue().values("pk"))
        visible |= Q(pk__in=Award.objects.values("innovation_id"))
        origins = Innovation.objects.filter(visible).select_related("agency").order_by("title")
        if self.instance.pk:
            origins = origins.exclude(pk=self.instance.pk)
        self.fields["replicates"].queryset = origins
        self.fields["replicates"].label_from_instance = lambda i: f"{i} ({i.agency})"
        self.fields["replicates"].empty_label = _("— bukan replikasi / inovasi asal di luar —")

    def clean_started_on(self):
        started_on = self.cleaned_data["started_on"]
        if started_on and started_on > timezone.localdate():
            raise forms.ValidationError(
                _("Tanggal mulai diterapkan tidak boleh di masa depan."), code="future"
            )
        return started_on


class InnovatorForm(forms.ModelForm):
    class Meta:
        model = Innovator
        fields = ["name", "nip", "role", "phone", "email"]
        field_classes = {"name": NameField, "role": NameField}
        error_messages = {
            "name": {"required": _("Isi nama inovator; paling sedikit satu inovator.")},
            "email": {
                "invalid": _("Tulis alamat e-mail yang lengkap, misalnya nama@instansi.go.id.")
            },
        }
        widgets = {
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The same rule as the sign-up phone: a contact the organiser can actually dial.
        self.fields["phone"].validators.append(phone_validator)

    def clean_phone(self):
        return " ".join(self.cleaned_data["phone"].split())


class BaseInnovatorFormSet(forms.BaseInlineFormSet):
    default_error_messages = {"too_few_forms": _("Isi paling sedikit satu inovator.")}

    def save(self, commit=True):
        innovators = super().save(commit=False)
        for obj in self.deleted_objects:
            obj.delete()
        for order, form in enumerate(f for f in self.forms if f not in self.deleted_forms):
            if form.instance.pk or form.has_changed():
                form.instance.innovation = self.instance
                form.instance.order = order
                form.instance.save()
        return innovators


InnovatorFormSet = forms.inlineformset_factory(
    Innovation,
    Innovator,
    form=InnovatorForm,
    formset=BaseInnovatorFormSet,
    extra=1,
    min_num=1,
    validate_min=True,
    can_delete=True,
)


class EntryOpenForm(forms.Form):
    # No default group: groups ask for different sections, so the OPD chooses.
    group = forms.ModelChoiceField(
        label=_("Kelompok"),
        queryset=None,
        empty_label=_("-- pilih kelompok --"),
        error_messages={
            "required": _("Pilih kelompok proposal; bagian yang harus diisi mengikuti kelompoknya.")
        },
    )
    category = forms.ModelChoiceField(label=_("Kategori"), queryset=None)

    def __init__(self, *args, competition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = competition.groups.filter(
            is_open=True, invitation_only=False
        )
        self.fields["category"].queryset = competition.categories.all()


# What the browser's file picker offers for each kind of content ``check_upload`` accepts.
ACCEPT = {
    "pdf": ".pdf,application/pdf",
    "image": ".jpg,.jpeg,.png,image/jpeg,image/png",
}


def accept_attribute(allowed_types) -> str:
    """The ``accept`` attribute for a kind: a photo picker offers images only."""
    return ",".join(ACCEPT[t] for t in ACCEPT if t in allowed_types)


class BootstrapBoundField(forms.BoundField):
    """A field that marks its widget ``is-invalid`` when it has errors (Bootstrap's cue)."""

    def build_widget_attrs(self, attrs, widget=None):
        widget = widget or self.field.widget
        attrs = super().build_widget_attrs(attrs, widget)
        if self.errors and not widget.is_hidden:
            css = attrs.get("class", widget.attrs.get("class", ""))
            attrs["class"] = f"{css} is-invalid".strip()
        return attrs


class CategoryField(forms.ModelChoiceField):
    """The year's categories. The entry's own category, which the request already holds, is
    taken as it is: nearly every save keeps it, and looking it up again costs a query."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.held = None

    def to_python(self, value):
        if (
            self.held is not None
            and value not in self.empty_values
            and str(value) == str(self.held.pk)
        ):
            return self.held
        return super().to_python(value)


@dataclass(frozen=True, slots=True)
class EditorSection:
    """One section of the editor as its template lays it out. The counter and the hint are
    written here once: template tags per section cost more than the text area itself."""

    section: object
    field: forms.BoundField
    words: int
    counter: str
    char_cap: str
    open_comments: list

    @property
    def over_limit(self) -> bool:
        return self.words > self.section.word_limit


@dataclass(frozen=True, slots=True)
class EditorKind:
    """One attachment kind of the editor: the files it holds and the file input for more."""

    kind: object
    files: list
    input_name: str
    input_id: str
    accept: str
    free_slots: int
    limits: str


class EntryEditorForm(forms.Form):
    """The proposal: one text area per section, video and declaration; the files chosen
    for each attachment kind go up with it (``uploads``).

    Nothing here enforces word limits or completeness: a draft keeps whatever was typed;
    ``competition.eligibility`` decides at submission. Only a section over its character
    cap is refused, with the cap in the message.
    """

    # Rendered with partials/field.html rather than crispy-forms: the editor is the page
    # the deadline rush loads most, after every save.
    bound_field_class = BootstrapBoundField

    version = forms.IntegerField(widget=forms.HiddenInput)
    category = CategoryField(
        label=_("Kategori"), queryset=None, widget=forms.Select(attrs={"class": "form-select"})
    )
    video_url = forms.CharField(
        label=_("Tautan video YouTube"),
        max_length=200,
        required=False,
        help_text=_("Mis. https://www.youtube.com/watch?v=… atau https://youtu.be/…"),
        widget=forms.URLInput(attrs={"placeholder": "https://youtu.be/…", "class": "form-control"}),
    )
    declaration_accepted = forms.BooleanField(
        label=_(
            "Saya menyatakan bahwa seluruh data dan keterangan dalam proposal ini benar. "
            "Data yang tidak benar dapat menggugurkan proposal."
        ),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def clean_video_url(self):
        """Only a YouTube address is kept; http is written as https."""
        url = self.cleaned_data["video_url"].strip()
        if url and not is_youtube_url(url):
            raise forms.ValidationError(
                _(
                    "Tautan video harus alamat YouTube, misalnya "
                    "https://www.youtube.com/watch?v=… atau https://youtu.be/…"
                ),
                code="video_url",
            )
        if url.lower().startswith("http://"):
            url = "https://" + url[len("http://") :]
        return url

    def __init__(self, *args, entry, sections, answers, **kwargs):
        """``answers`` (section pk to text) are the initial texts: a bound form does not
        show them, so it may be given none."""
        kwargs.setdefault(
            "initial",
            {
                "version": entry.version,
                "category": entry.category_id,
                "video_url": entry.video_url,
                "declaration_accepted": entry.declaration_accepted,
                **{f"section_{pk}": text for pk, text in answers.items()},
            },
        )
        super().__init__(*args, **kwargs)
        self.sections = sections
        category = self.fields["category"]
        category.queryset = Category.objects.filter(competition_id=entry.competition_id).order_by(
            "order", "name"
        )
        if (
            Entry.category.is_cached(entry)
            and entry.category.competition_id == entry.competition_id
        ):
            category.held = entry.category
        for section in sections:
            self.fields[f"section_{section.pk}"] = forms.CharField(
                label=section.label,
                required=False,
                strip=False,
                widget=forms.Textarea(
                    attrs={
                        "rows": 6,
                        "class": "form-control",
                        "data-word-limit": section.word_limit,
                        "data-counter": f"count-{section.pk}",
                        # Read the guidance and the word count with the field.
                        "aria-describedby": " ".join(
                            ([f"guidance-{section.pk}"] if section.guidance else [])
                            + [f"count-{section.pk}"]
                        ),
                    }
                ),
            )

    def clean(self):
        cleaned = super().clean()
        for section in self.sections:
            name = f"section_{section.pk}"
            length = answer_length(cleaned.get(name) or "")
            if length > section.char_limit:
                self.add_error(name, too_long_message(section, length))
        return cleaned

    def section_rows(self, open_comments=None) -> list[EditorSection]:
        """The sections in order, each with its field and its words now; ``open_comments``
        maps a section's pk to the texts of the coaching comments still open on it."""
        open_comments = open_comments or {}
        counter, cap = (
            gettext("%(n)s / %(limit)s kata"),
            gettext("paling banyak %(chars)s karakter"),
        )
        rows = []
        for section in self.sections:
            field = self[f"section_{section.pk}"]
            words = count_words(field.value() or "")
            rows.append(
                EditorSection(
                    section,
                    field,
                    words,
                    counter % {"n": localize(words), "limit": localize(section.word_limit)},
                    cap % {"chars": localize(section.char_limit)},
                    open_comments.get(section.pk, []),
                )
            )
        return rows

    def file_input(self, kind) -> tuple[str, str]:
        """The name and id of the file input of ``kind``."""
        name = self.add_prefix(f"file_{kind.pk}")
        return name, self.auto_id % name

    def kind_rows(self, kinds, attachments) -> list[EditorKind]:
        """The attachment kinds in order, each with its stored files and its file input."""
        rows = []
        for kind in kinds:
            files = [a for a in attachments if a.kind_id == kind.pk]
            name, input_id = self.file_input(kind)
            limits = gettext("Maksimal %(size)s MB per berkas, %(n)s berkas.") % {
                "size": localize(kind.max_size_mb),
                "n": localize(kind.max_files),
            }
            rows.append(
                EditorKind(
                    kind,
                    files,
                    name,
                    input_id,
                    accept_attribute(kind.allowed_types),
                    max(kind.max_files - len(files), 0),
                    limits,
                )
            )
        return rows

    def answers(self) -> dict[int, str]:
        return {s.pk: self.cleaned_data.get(f"section_{s.pk}") or "" for s in self.sections}

    def uploads(self, kinds):
        """(kind, uploaded file) for every file chosen in this post, several per kind."""
        return [
            (kind, upload)
            for kind in kinds
            for upload in self.files.getlist(self.file_input(kind)[0])
            if upload
        ]
