"""axe-core in Chromium finds no serious or critical accessibility problem on each role's pages.

Every page is filled with real content first (entries, scores, a published result), because an
empty table or a missing form hides most of what axe looks at. Rules with a lesser impact
("minor", "moderate") are reported by axe but do not fail the test.

axe-core is injected with Playwright's ``evaluate``, which goes through the DevTools protocol and
is not subject to the page's Content-Security-Policy, so the pages are checked under the real
``script-src 'self'`` policy, as visitors get them.

Forms are also checked after a refused submission: every field marked invalid must point
(``aria-describedby``) at an element that exists and carries its error, so a screen reader reads
the error with the field.
"""

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from competition.models import ConflictDeclaration, EntryStatus
from competition.services.snapshot import result_finalise, result_publish
from tests import factories as f

PASSWORD = "kata-sandi-uji-123"
BLOCKING = {"serious", "critical"}
DECREE = {"decree_number": "188.45/9/417.101/2026", "decree_date": dt.date(2026, 11, 20)}


# aria-describedby / aria-labelledby naming an id that is not on the page: axe lets it pass when
# another id in the list exists, yet the missing help or error is then never read.
MISSING_REFERENCES_JS = """
() => Array.from(document.querySelectorAll('[aria-describedby], [aria-labelledby]'))
  .flatMap((el) => ['aria-describedby', 'aria-labelledby']
    .flatMap((attr) => (el.getAttribute(attr) || '').split(/\\s+/).filter(Boolean))
    .filter((id) => !document.getElementById(id))
    .map((id) => `${el.name || el.id || el.tagName.toLowerCase()} -> #${id}`))
"""


def problems(page, url=None):
    """Opens ``url`` (or stays on the current page) and describes each blocking axe violation
    and each ARIA reference to an element that is not there."""
    if url is not None:
        response = page.goto(url)
        assert response.ok, f"{url} answered {response.status}"
    results = Axe().run(page)
    return [
        f"{page.url} [{v['impact']}] {v['id']} ({v['help']}): {node['target']}"
        f" {node['failureSummary'].splitlines()[-1].strip()}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
        for node in v["nodes"]
    ] + [f"{page.url} missing reference {ref}" for ref in page.evaluate(MISSING_REFERENCES_JS)]


# Fields marked invalid whose aria-describedby misses its error or names an id not on the page.
UNLINKED_ERRORS_JS = """
() => Array.from(document.querySelectorAll('[aria-invalid=true], .is-invalid'))
  .filter((field) => ['INPUT', 'SELECT', 'TEXTAREA'].includes(field.tagName))
  .filter((field) => {
    const ids = (field.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean);
    const described = ids.map((id) => document.getElementById(id));
    return described.includes(null)
      || !described.some((el) => el.id.endsWith('_error') && el.textContent.trim());
  })
  .map((field) => field.name || field.id)
"""


def error_problems(page):
    """axe's findings plus the invalid fields whose error is not linked to them."""
    unlinked = page.evaluate(UNLINKED_ERRORS_JS)
    return problems(page) + [f"{page.url} error not linked to field {name}" for name in unlinked]


def assert_accessible(page, urls):
    """Checks every page before failing, so one run lists all that needs fixing."""
    found = [problem for url in urls for problem in problems(page, url)]
    assert not found, "axe found accessibility problems:\n" + "\n".join(found)


def published_year(organiser):
    """Four scored entries, three winners, finalised and published; returns the scored stage."""
    judges = [f.JudgeFactory(full_name=f"Juri {n}") for n in (1, 2)]
    stage = f.StageFactory(closed=True, rubric=(60, 40))
    summary = f.SectionSpecFactory(competition=stage.competition, key="ringkasan")
    for ref, (a, b) in zip("ABCD", [(90, 88), (85, 84), (80, 79), (61, 63)], strict=True):
        entry = f.EntryFactory(
            competition=stage.competition,
            reference=f"KIPP-{ref}",
            titled_by_reference=True,
            screened_in=True,
        )
        f.EntryAnswerFactory(entry=entry, section=summary, text=f"Ringkasan inovasi {ref}.")
        f.ScoreSheetFactory(
            stage=stage, entry=entry, judge=judges[0], submitted=True, assigned=True, scores=[a, a]
        )
        f.ScoreSheetFactory(
            stage=stage, entry=entry, judge=judges[1], submitted=True, assigned=True, scores=[b, b]
        )
    snapshot = result_finalise(competition=stage.competition, actor=organiser, **DECREE)
    result_publish(snapshot=snapshot, actor=organiser)
    return stage


@pytest.mark.e2e
def test_public_pages_are_accessible(page):
    organiser = f.OrganiserFactory()
    competition = published_year(organiser).competition
    award = f.AwardFactory(
        label="Top 99 KIPP",
        level="national",
        year=2024,
        innovation=f.InnovationFactory(in_catalogue=True),
    )

    assert_accessible(
        page,
        [
            reverse("home"),
            reverse("login"),
            reverse("competition:public_announcements"),
            reverse("opd:register"),
            reverse("competition:public_announcement", args=[competition.year]),
            reverse("competition:public_catalogue"),
            reverse("competition:public_catalogue_detail", args=[award.innovation_id]),
            reverse("competition:public_hall_of_fame"),
        ],
    )


def submit(page, button="main form button[type=submit]"):
    with page.expect_navigation():
        page.click(button)


@pytest.mark.e2e
def test_public_forms_with_errors_are_accessible(page):
    f.AgencyFactory(name="Dinas Kesehatan")
    found = []

    page.goto(reverse("opd:register"))
    submit(page)
    assert page.locator(".invalid-feedback").count() > 0
    found += error_problems(page)

    page.goto(reverse("login"))
    page.fill("input[name=username]", "tidak-ada@example.go.id")
    page.fill("input[name=password]", "salah")
    submit(page)
    found += error_problems(page)

    assert not found, "accessibility problems on refused forms:\n" + "\n".join(found)


@pytest.mark.e2e
def test_opd_pages_are_accessible(page, log_in):
    competition = f.CompetitionFactory(open=True)
    agency = f.AgencyFactory(name="Dinas Kesehatan", short_name="Dinkesppkb")
    f.UserFactory(email="dinkes@example.go.id", agency=agency)
    ringkasan = competition.sections.get(key="ringkasan")
    ringkasan.guidance = "Apa masalahnya dan apa yang berubah."
    ringkasan.save()
    draft = f.EntryFactory(
        competition=competition,
        innovation__agency=agency,
        category=competition.categories.first(),
    )
    f.EntryAnswerFactory(entry=draft, section=ringkasan, text="Satu pintu.")
    last_year = f.CompetitionFactory(open=True, year=competition.year - 1)
    submitted = f.EntryFactory(
        competition=last_year,
        innovation__agency=agency,
        category=last_year.categories.first(),
        submitted=True,
        reference=f"KIPP-{competition.year - 1}-0001",
    )

    log_in("dinkes@example.go.id", PASSWORD)
    assert_accessible(
        page,
        [
            reverse("competition:opd_dashboard"),
            reverse("competition:innovation_list"),
            reverse("competition:innovation_create"),
            reverse("competition:innovation_detail", args=[draft.innovation.pk]),
            reverse("competition:entry_detail", args=[draft.pk]),
            reverse("competition:entry_edit", args=[draft.pk]),
            reverse("competition:entry_submit", args=[draft.pk]),
            reverse("competition:entry_receipt", args=[submitted.pk]),
        ],
    )

    # A screen reader reads a section's guidance and word count with its text box.
    page.goto(reverse("competition:entry_edit", args=[draft.pk]))
    described = page.get_attribute(f"textarea[name=section_{ringkasan.pk}]", "aria-describedby")
    assert described == f"guidance-{ringkasan.pk} count-{ringkasan.pk}"

    page.goto(reverse("competition:innovation_create"))
    submit(page)
    found = error_problems(page)
    assert not found, "accessibility problems on the refused form:\n" + "\n".join(found)


@pytest.mark.e2e
def test_judge_pages_are_accessible(page, log_in):
    stage = f.StageFactory(rubric=(60, 40))
    criteria = list(stage.criteria.order_by("order"))
    judge = f.JudgeFactory(email="juri@example.ac.id")
    declared = f.EntryFactory(
        competition=stage.competition,
        reference="KIPP-2026-0001",
        titled_by_reference=True,
        screened_in=True,
    )
    f.EntryAnswerFactory(entry=declared, section__label="Ringkasan", text="Warga menabung.")
    f.ScoreSheetFactory(stage=stage, entry=declared, judge=judge, assigned=True, scores=[80, 70])
    ConflictDeclaration.objects.create(stage=stage, entry=declared, judge=judge, has_conflict=False)
    undeclared = f.EntryFactory(
        competition=stage.competition,
        reference="KIPP-2026-0002",
        titled_by_reference=True,
        screened_in=True,
    )
    f.AssignmentFactory(stage=stage, entry=undeclared, judge=judge)
    desk = {
        a.entry_id: reverse("judge_desk:competition_assignment_change", args=[a.pk])
        for a in judge.assignments.all()
    }

    log_in("juri@example.ac.id", PASSWORD)
    assert_accessible(
        page,
        [
            reverse("judge_desk:index"),
            reverse("judge_desk:competition_assignment_declare_all"),
            desk[undeclared.pk],
            desk[declared.pk],
        ],
    )

    # A score above the scale is refused, and the error is read with the score field.
    page.fill(f"input[name=score_{criteria[0].pk}]", "120")
    page.evaluate("document.querySelector('.desk-sheet form').noValidate = true")
    submit(page, "button[value=draft]")
    assert page.get_attribute(f"input[name=score_{criteria[0].pk}]", "aria-invalid") == "true"
    found = error_problems(page)
    assert not found, "accessibility problems on the refused sheet:\n" + "\n".join(found)


@pytest.mark.e2e
def test_organiser_pages_are_accessible(page, log_in):
    organiser = f.OrganiserFactory(email="organisasi@example.go.id")
    stage = published_year(organiser)
    competition = stage.competition
    year = competition.year
    entry = competition.entries.order_by("reference").first()
    screening = f.EntryFactory(
        competition=competition,
        reference="",
        innovation__title="Inovasi ",
        status=EntryStatus.SUBMITTED,
    )
    # An unweighted stage still open, for the page that asks before closing it.
    open_stage = f.StageFactory(competition=competition, order=stage.order + 9, final_weight=0)

    log_in("organisasi@example.go.id", PASSWORD)
    assert_accessible(
        page,
        [
            reverse("competition:judging_close", args=[open_stage.pk]),
            reverse("competition:judging_reopen", args=[stage.pk]),
            reverse("competition:dashboard"),
            reverse("competition:organiser_entries"),
            reverse("competition:organiser_entry_detail", args=[screening.pk]),
            reverse("competition:organiser_entry_detail", args=[entry.pk]),
            reverse("competition:organiser_compliance"),
            reverse("competition:judging_progress", args=[stage.pk]),
            reverse("competition:results_stage", args=[stage.pk]),
            reverse("competition:results_final", args=[year]),
            reverse("competition:exports"),
            reverse("admin:index"),
            reverse("competition:judging_stages"),
            reverse("competition:results_index"),
            reverse("competition:results_snapshot", args=[year, 1]),
            reverse("competition:results_pipeline", args=[year]),
            reverse("password_change"),
        ],
    )

    # Returning an entry without saying what to fix is refused next to the reason field.
    page.goto(reverse("competition:organiser_entry_detail", args=[screening.pk]))
    page.check("input[name=outcome][value=returned]")
    page.once("dialog", lambda dialog: dialog.accept())
    submit(page, "form[action$='seleksi/'] button[type=submit]")
    assert page.locator("#id_reason_error").count() == 1
    found = error_problems(page)
    assert not found, "accessibility problems on the refused screening:\n" + "\n".join(found)
