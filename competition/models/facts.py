"""The innovation facts an entry is judged on, frozen at submission.

An innovation lives for years and its OPD may edit it at any time; the entry of one
year keeps the version that was submitted, screened and judged (``Entry.facts``).
``innovation_facts`` makes that copy (plain JSON: codes, not labels, ISO dates),
``JudgedFacts`` reads it back with the same names the innovation has, and
``facts_diff`` says what changed since.
"""

import datetime as dt
from functools import cached_property
from types import SimpleNamespace

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from .innovation import Initiator, InnovationForm, InnovationStage, age_in_months, title_key

FACTS_FORMAT = 1


def innovation_facts(innovation) -> dict:
    """The judged facts of ``innovation`` as they are now (innovators and SDGs in their
    order; uses a prefetch when there is one)."""
    return {
        "format": FACTS_FORMAT,
        "title": innovation.title,
        "title_key": title_key(innovation.title),
        "brand_name": innovation.brand_name,
        "brand_long_form": innovation.brand_long_form,
        "agency": {"id": innovation.agency_id, "name": innovation.agency.name},
        "started_on": innovation.started_on.isoformat(),
        "trial_on": innovation.trial_on.isoformat() if innovation.trial_on else None,
        "stage": innovation.stage,
        "form": innovation.form,
        "is_digital": innovation.is_digital,
        "is_application": innovation.is_application,
        "initiator": innovation.initiator,
        "innovators": [
            {
                "name": p.name,
                "nip": p.nip,
                "role": p.role,
                "phone": p.phone,
                "email": p.email,
            }
            for p in sorted(innovation.innovators.all(), key=lambda p: (p.order, p.pk))
        ],
        "sdgs": [
            {"number": s.number, "name": s.name}
            for s in sorted(innovation.sdgs.all(), key=lambda s: s.number)
        ],
    }


def _date(value):
    return dt.date.fromisoformat(value) if value else None


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value or ""


class JudgedFacts:
    """Read access to a facts dict under the names templates use for an innovation.

    ``JudgedFacts.live(innovation)`` gives the same view of an innovation as it is now
    (an entry not yet submitted); its team, SDGs and agency are read only when asked
    for, so a list of titles costs no query per row.
    """

    def __init__(self, facts: dict):
        self._facts = facts
        self.title = facts.get("title", "")
        self.brand_name = facts.get("brand_name", "")
        self.brand_long_form = facts.get("brand_long_form", "")
        self.started_on = _date(facts.get("started_on"))
        self.trial_on = _date(facts.get("trial_on"))
        self.stage = facts.get("stage", "")
        self.form = facts.get("form", "")
        self.is_digital = bool(facts.get("is_digital"))
        self.is_application = bool(facts.get("is_application"))
        self.initiator = facts.get("initiator", "")

    @classmethod
    def live(cls, innovation) -> "JudgedFacts":
        facts = cls.__new__(cls)
        facts._innovation = innovation
        for name in (
            "title",
            "brand_name",
            "brand_long_form",
            "started_on",
            "trial_on",
            "stage",
            "form",
            "is_digital",
            "is_application",
            "initiator",
        ):
            setattr(facts, name, getattr(innovation, name))
        return facts

    @cached_property
    def data(self) -> dict:
        if hasattr(self, "_innovation"):
            return innovation_facts(self._innovation)
        return self._facts

    @cached_property
    def agency_name(self) -> str:
        return (self.data.get("agency") or {}).get("name", "")

    @cached_property
    def innovators(self) -> list:
        return [SimpleNamespace(**p) for p in self.data.get("innovators", [])]

    @cached_property
    def sdgs(self) -> list:
        return [SimpleNamespace(**s) for s in self.data.get("sdgs", [])]

    def __str__(self):
        # As Innovation.__str__: many OPDs already write the brand into the title.
        if not self.brand_name or self.title.lower().startswith(self.brand_name.lower()):
            return self.title
        return f"{self.brand_name}: {self.title}"

    def get_stage_display(self) -> str:
        return _label(InnovationStage, self.stage)

    def get_form_display(self) -> str:
        return _label(InnovationForm, self.form)

    def get_initiator_display(self) -> str:
        return _label(Initiator, self.initiator)

    def age_in_months(self, on) -> int:
        return age_in_months(self.started_on, on)


def _people(facts: dict) -> str:
    return "; ".join(
        ", ".join(
            part for part in (p["name"], p.get("nip"), p.get("phone"), p.get("email")) if part
        )
        for p in facts.get("innovators", [])
    )


def _sdg_list(facts: dict) -> str:
    return ", ".join(str(s["number"]) for s in facts.get("sdgs", []))


def _show_date(value) -> str:
    return formats.date_format(_date(value), "j F Y") if value else ""


def _yes_no(value) -> str:
    return str(_("Ya") if value else _("Tidak"))


# (label, how to print the value of one facts dict)
DIFF_FIELDS = [
    (_("Judul inovasi"), lambda f: f.get("title", "")),
    (_("Nama singkat (akronim)"), lambda f: f.get("brand_name", "")),
    (_("Kepanjangan"), lambda f: f.get("brand_long_form", "")),
    (_("OPD/UPT pemilik"), lambda f: (f.get("agency") or {}).get("name", "")),
    (_("Tanggal mulai diterapkan"), lambda f: _show_date(f.get("started_on"))),
    (_("Tanggal uji coba"), lambda f: _show_date(f.get("trial_on"))),
    (_("Tahapan"), lambda f: _label(InnovationStage, f.get("stage"))),
    (_("Bentuk"), lambda f: _label(InnovationForm, f.get("form"))),
    (_("Inovasi digital"), lambda f: _yes_no(f.get("is_digital"))),
    (_("Berupa aplikasi"), lambda f: _yes_no(f.get("is_application"))),
    (_("Inisiator"), lambda f: _label(Initiator, f.get("initiator"))),
    (_("Inovator"), _people),
    (_("TPB/SDG"), _sdg_list),
]


def facts_diff(before: dict, after: dict) -> list[tuple[str, str, str]]:
    """(label, as submitted, as now) for every judged fact that differs."""
    rows = []
    for label, show in DIFF_FIELDS:
        old, new = show(before), show(after)
        if old != new:
            rows.append((str(label), old, new))
    return rows
