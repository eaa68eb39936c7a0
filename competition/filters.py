"""The FilterSets of the portal's own lists, and one search per kind of object.

Each list a user narrows has exactly one FilterSet here, bound to the query string by the
selector that reads the list (the view passes ``request.GET`` and renders ``.form``). A value
that does not validate is left out of the filtering and shown on its field, so a stale or
hand-edited link narrows less instead of failing. Parameter names are Indonesian, like the
paths (the table is in docs/architecture.md).
"""

import django_filters as filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from competition.models import SDG, Category, Entry, EntryStatus, GroupCode, Innovation
from competition.models.entry import SUMMARY_SECTION
from opd.models import Agency, AgencyKind

SEARCH_MAX_LENGTH = 100

# The innovation facts a search reads, wherever they are kept: live on the innovation, frozen
# on an entry at submission (``facts``), or as the organiser approved them for the catalogue.
SEARCHED_FACTS = ("title", "brand_name", "brand_long_form")
SEARCHED_AGENCY = ("agency__name", "agency__short_name")

ENTRY_SEARCH = (
    "reference",
    # The list prints the judged facts: the frozen copy once submitted, the live innovation
    # while the OPD may still change the entry; a search finds either.
    *(f"facts__{name}" for name in SEARCHED_FACTS),
    *(f"innovation__{name}" for name in SEARCHED_FACTS),
    *SEARCHED_AGENCY,
)
INNOVATION_SEARCH = (*SEARCHED_FACTS, *SEARCHED_AGENCY)


def contains_any(word: str, lookups) -> Q:
    """``word`` is in one of the ``lookups`` (case-insensitive)."""
    condition = Q()
    for lookup in lookups:
        condition |= Q(**{f"{lookup}__icontains": word})
    return condition


def entry_search(entries: QuerySet[Entry], term: str) -> QuerySet[Entry]:
    """Entries by reference number, judged title, brand name and its long form, or OPD.
    Every word must match somewhere: "posko aman" narrows, it does not widen (as in the
    other searches here)."""
    for word in term.split():
        entries = entries.filter(contains_any(word, ENTRY_SEARCH))
    return entries


def innovation_search(innovations: QuerySet[Innovation], term: str) -> QuerySet[Innovation]:
    """Innovations by title, brand name and its long form, or OPD, as they are now."""
    for word in term.split():
        innovations = innovations.filter(contains_any(word, INNOVATION_SEARCH))
    return innovations


def catalogue_search(innovations: QuerySet[Innovation], term: str) -> QuerySet[Innovation]:
    """The innovation search over what the catalogue prints (the vetted copy, see
    ``selectors.catalogue``), so that an unvetted edit cannot be found either; the summary
    it prints is searched too. ``innovations`` carries the ``approved_*`` annotations."""
    screened = Entry.objects.screened_in()
    for word in term.split():
        vetted = screened.filter(
            contains_any(word, [f"facts__{name}" for name in SEARCHED_FACTS])
            | Q(answers__section__key=SUMMARY_SECTION, answers__text__icontains=word)
        )
        approved = [f"approved_{name}" for name in (*SEARCHED_FACTS, "description")]
        as_approved = contains_any(word, approved) & ~Q(pk__in=screened.values("innovation_id"))
        innovations = innovations.filter(
            Q(pk__in=vetted.values("innovation_id"))
            | as_approved
            | contains_any(word, SEARCHED_AGENCY)
        )
    return innovations


def search_field(placeholder) -> filters.CharFilter:
    return filters.CharFilter(
        method="search",
        label=_("Cari"),
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.TextInput(attrs={"placeholder": placeholder, "type": "search"}),
    )


class EntrySearchFilter(filters.FilterSet):
    """The organiser's export page: a year's entries by search alone."""

    cari = search_field(_("Nomor, judul atau OPD"))

    def search(self, entries, name, value):
        return entry_search(entries, value)


class EntryFilter(EntrySearchFilter):
    """The organiser's list of a year's entries."""

    cari = search_field(_("Judul, nama singkat, nomor, OPD"))
    opd = filters.ModelChoiceFilter(
        field_name="agency",
        label=_("OPD"),
        queryset=Agency.objects.all(),
        empty_label=_("Semua OPD"),
    )
    jenis = filters.ChoiceFilter(
        field_name="agency__kind",
        label=_("Jenis OPD"),
        choices=AgencyKind.choices,
        empty_label=_("Semua jenis"),
    )
    kategori = filters.ModelChoiceFilter(
        field_name="category",
        label=_("Kategori"),
        queryset=Category.objects.none(),
        empty_label=_("Semua kategori"),
    )
    kelompok = filters.ChoiceFilter(
        field_name="group__code",
        label=_("Kelompok"),
        choices=GroupCode.choices,
        empty_label=_("Semua kelompok"),
    )
    status = filters.ChoiceFilter(
        label=_("Status"), choices=EntryStatus.choices, empty_label=_("Semua status")
    )

    def __init__(self, data=None, queryset=None, *, competition, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["kategori"].queryset = Category.objects.filter(competition=competition)


class InnovationFilter(filters.FilterSet):
    """An OPD's own innovations."""

    cari = search_field(_("Cari judul atau nama singkat"))

    def search(self, innovations, name, value):
        return innovation_search(innovations, value)


class CatalogueFilter(filters.FilterSet):
    """The public catalogue. The choices offer only values some catalogue innovation has
    (``selectors.catalogue.catalogue_filter_choices``)."""

    cari = search_field(_("Judul, singkatan atau OPD"))
    tahun = filters.TypedChoiceFilter(
        label=_("Tahun"), coerce=int, empty_value=None, method="entered"
    )
    opd = filters.ModelChoiceFilter(
        field_name="agency", label=_("OPD"), queryset=Agency.objects.none(), empty_label=_("Semua")
    )
    kategori = filters.ChoiceFilter(label=_("Kategori"), empty_label=_("Semua"), method="entered")
    sdg = filters.ModelChoiceFilter(
        field_name="sdgs",
        label=_("TPB/SDG"),
        queryset=SDG.objects.none(),
        to_field_name="number",
        empty_label=_("Semua"),
    )

    def __init__(self, data=None, queryset=None, *, choices: dict, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["tahun"].extra["choices"] = [
            ("", _("Semua")),
            *((y, str(y)) for y in choices["years"]),
        ]
        self.filters["opd"].queryset = choices["agencies"]
        self.filters["kategori"].extra["choices"] = [(c, c) for c in choices["categories"]]
        self.filters["sdg"].queryset = choices["sdgs"]
        for name in ("tahun", "opd", "kategori", "sdg"):
            self.filters[name].extra["widget"] = forms.Select(attrs={"class": "form-select"})

    def search(self, innovations, name, value):
        return catalogue_search(innovations, value)

    def entered(self, innovations, name, value):
        """Year and category narrow the same entry: entered that year in that category."""
        data = self.form.cleaned_data
        if name == "kategori" and data.get("tahun") is not None:
            return innovations  # already narrowed together with the year
        entries = Entry.objects.entered()
        if data.get("tahun") is not None:
            entries = entries.filter(competition__year=data["tahun"])
        if data.get("kategori"):
            entries = entries.filter(category__name=data["kategori"])
        return innovations.filter(pk__in=entries.values("innovation_id"))
