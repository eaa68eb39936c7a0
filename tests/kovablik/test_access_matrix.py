"""Every URL pattern, requested as every persona with GET and with POST, gives the outcome the
tables below say.

The table is explicit on purpose: a new view without a row fails
``test_every_url_pattern_has_a_row``, so nobody adds a page without deciding who may see it.
Outcomes: ``OK`` (200), ``LOGIN`` (redirect to a login page), ``NOT_FOUND`` (404: what a
user may not see does not exist for him or her), ``REDIRECT`` (another redirect, e.g. back to
a page after a POST-only action), ``NOT_ALLOWED`` (405: GET on a POST-only address).

POSTs carry a valid CSRF token (the client enforces CSRF checks as a browser's would) and no
form data: enough to see who gets through the door, and that an allowed POST is never refused
for its token. Each POST is rolled back, so that one persona's action does not change the
next one's world.

Personas: anonymous; staff of OPD A (owner of the entry, attachment and innovation used in the
addresses); staff of OPD B; the judge assigned to OPD A's entry in an open stage; a judge with no
assignment; the organiser.
"""

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from PIL import Image

from competition.models import (
    EntryStatus,
    Forwarding,
    ForwardingLevel,
    Innovation,
    OutcomeStep,
    StageKind,
)
from competition.services import rounds as round_services
from competition.services.forwarding import entry_forward
from competition.services.snapshot import result_finalise, result_publish
from outbox.models import Mail
from tests import factories as f
from tests.kovablik.csp import csp_violations

OK = 200
NOT_FOUND = 404
NOT_ALLOWED = 405
LOGIN = "login"
REDIRECT = "redirect"

PERSONAS = ("anonymous", "opd_a", "opd_b", "judge", "other_judge", "organiser")

# Plumbing that is not a page of ours: the admin sites' own views (the organiser's admin is
# tested by its owners; its index is in the table), Django's language switch (POST, tested in
# test_i18n) and the health check (tests/test_smoke.py).
SKIPPED = {
    "set_language",
    "healthz",
    "judge_desk:login",
    "judge_desk:logout",
    "judge_desk:password_change",
    "judge_desk:password_change_done",
    "judge_desk:autocomplete",
    "judge_desk:jsi18n",
    "judge_desk:view_on_site",
    "judge_desk:app_list",
}


def row(anonymous, opd_a, opd_b, judge, other_judge, organiser) -> dict:
    return dict(
        zip(PERSONAS, (anonymous, opd_a, opd_b, judge, other_judge, organiser), strict=True)
    )


EVERYONE = row(OK, OK, OK, OK, OK, OK)
ORGANISER_ONLY = row(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK)
SIGNED_IN = row(LOGIN, OK, OK, OK, OK, OK)
ALWAYS_REDIRECT = row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT)
# POST-only actions of the organiser: GET is refused after the access check.
ORGANISER_POST = row(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_ALLOWED)
# ... and POSTed, the organiser's action runs and goes back to its page.
ORGANISER_ACTION = row(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, REDIRECT)
GET_ONLY = row(NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED)


@dataclass
class World:
    competition: object
    stage: object
    open_stage: object
    entry_a: object
    draft_a: object
    innovation_a: object
    attachment_a: object
    photo_a: object
    snapshot: object
    forwarding: object
    outcome: object
    assignment: object
    judge: object
    section: object
    target_round: object = None
    round_forwarding: object = None


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "navy").save(buffer, "PNG")
    return buffer.getvalue()


# url name -> (path parameters from the world, expected outcome per persona)
Params = Callable[[World], dict]
NONE: Params = lambda w: {}  # noqa: E731
ENTRY: Params = lambda w: {"pk": w.entry_a.pk}  # noqa: E731
DRAFT: Params = lambda w: {"pk": w.draft_a.pk}  # noqa: E731
INNOVATION: Params = lambda w: {"pk": w.innovation_a.pk}  # noqa: E731
STAGE: Params = lambda w: {"pk": w.stage.pk}  # noqa: E731
YEAR: Params = lambda w: {"year": w.competition.year}  # noqa: E731
VERSION: Params = lambda w: {"year": w.competition.year, "version": w.snapshot.version}  # noqa: E731


def FAILED_MAIL(w: World) -> dict:
    mail, _ = Mail.objects.get_or_create(
        to_email="gagal@example.go.id",
        defaults={
            "subject": "Uji",
            "body": "Uji",
            "language": "id",
            "status": "failed",
            "next_attempt_at": timezone.now(),
        },
    )
    return {"pk": mail.pk}


TABLE: dict[str, tuple[Params, dict]] = {
    # Public pages and accounts
    "home": (NONE, row(OK, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT)),
    "login": (NONE, row(OK, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT)),
    "logout": (
        NONE,
        row(NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ),
    "profile": (NONE, SIGNED_IN),
    "password_change": (NONE, SIGNED_IN),
    "password_change_done": (NONE, SIGNED_IN),
    "password_reset": (NONE, EVERYONE),
    "password_reset_done": (NONE, EVERYONE),
    "password_reset_confirm": (lambda w: {"uidb64": "MQ", "token": "bukan-token"}, EVERYONE),
    "password_reset_complete": (NONE, EVERYONE),
    "opd:register": (NONE, row(OK, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT)),
    "opd:register_done": (NONE, ALWAYS_REDIRECT),
    "competition:public_announcements": (NONE, EVERYONE),
    "competition:public_announcement": (YEAR, EVERYONE),
    "competition:public_photo": (
        lambda w: {"year": w.competition.year, "pk": w.photo_a.pk},
        EVERYONE,
    ),
    "competition:public_catalogue": (NONE, EVERYONE),
    # Target rounds (organiser)
    "competition:round_list": (NONE, ORGANISER_ONLY),
    "competition:round_detail": (lambda w: {"slug": w.target_round.slug}, ORGANISER_ONLY),
    "competition:round_forward": (lambda w: {"slug": w.target_round.slug}, ORGANISER_POST),
    "competition:round_package": (lambda w: {"slug": w.target_round.slug}, ORGANISER_ONLY),
    "competition:package_upload": (NONE, ORGANISER_ONLY),
    "competition:round_published_list": (
        lambda w: {"slug": w.target_round.slug},
        ORGANISER_ONLY,
    ),
    "competition:outcomes_upload": (lambda w: {"slug": w.target_round.slug}, ORGANISER_ONLY),
    # Nothing imported for this round here: 404 for the organiser too.
    "competition:outcomes_download": (
        lambda w: {"round_slug": w.target_round.slug},
        row(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ),
    # No logo in this world: 404 for everyone (tests/competition/test_region.py serves one).
    "competition:public_region_logo": (
        NONE,
        row(NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ),
    # The published winner's innovation is consented and approved; the draft's is not (404).
    "competition:public_catalogue_detail": (
        lambda w: {"pk": w.entry_a.innovation_id},
        EVERYONE,
    ),
    "competition:public_hall_of_fame": (NONE, EVERYONE),
    # OPD staff: their own agency's innovations and entries
    "competition:opd_dashboard": (NONE, row(LOGIN, OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND)),
    "competition:innovation_list": (NONE, row(LOGIN, OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND)),
    "competition:innovation_create": (NONE, row(LOGIN, OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND)),
    "competition:innovation_detail": (
        INNOVATION,
        row(LOGIN, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ),
    "competition:innovation_update": (
        INNOVATION,
        row(LOGIN, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ),
    "competition:entry_open": (
        INNOVATION,
        row(LOGIN, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ),
    "competition:entry_detail": (ENTRY, row(LOGIN, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK)),
    # The OPD adapts its own forwarded proposal to the round's format; nobody else sees it.
    "competition:forwarding_adapt": (
        lambda w: {"pk": w.round_forwarding.pk},
        row(LOGIN, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ),
    "competition:entry_edit": (DRAFT, row(LOGIN, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND)),
    "competition:entry_submit": (
        DRAFT,
        row(LOGIN, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ),
    "competition:entry_receipt": (
        ENTRY,
        row(LOGIN, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ),
    "competition:entry_withdraw": (
        ENTRY,
        row(LOGIN, REDIRECT, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ),
    "competition:attachment_download": (
        lambda w: {"pk": w.attachment_a.pk},
        row(LOGIN, OK, NOT_FOUND, OK, NOT_FOUND, OK),
    ),
    "competition:attachment_inline": (
        lambda w: {"pk": w.attachment_a.pk},
        row(LOGIN, OK, NOT_FOUND, OK, NOT_FOUND, OK),
    ),
    "competition:attachment_delete": (
        lambda w: {"pk": w.attachment_a.pk},
        row(LOGIN, REDIRECT, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ),
    "competition:opd_results_latest": (
        NONE,
        row(LOGIN, REDIRECT, REDIRECT, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ),
    "competition:opd_results": (YEAR, row(LOGIN, OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND)),
    # Coaching is between the entry's OPD and the organiser; judges never reach it.
    "competition:entry_coaching": (DRAFT, row(LOGIN, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK)),
    "competition:entry_section_versions": (
        lambda w: {"pk": w.draft_a.pk, "section_pk": w.section.pk},
        row(LOGIN, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK),
    ),
    "competition:entry_feedback": (
        ENTRY,
        row(LOGIN, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ),
    "competition:organiser_reviews": (NONE, ORGANISER_ONLY),
    # The organiser's pages
    "competition:organiser_entries": (NONE, ORGANISER_ONLY),
    "competition:organiser_bulk_pass": (NONE, ORGANISER_POST),
    "competition:organiser_entry_detail": (ENTRY, ORGANISER_ONLY),
    "competition:organiser_entry_screen": (ENTRY, ORGANISER_POST),
    "competition:organiser_innovation_catalogue": (INNOVATION, ORGANISER_POST),
    "competition:organiser_compliance": (NONE, ORGANISER_ONLY),
    "competition:organiser_compliance_remind": (NONE, ORGANISER_POST),
    "competition:outbox": (NONE, ORGANISER_ONLY),
    "competition:outbox_resend": (FAILED_MAIL, ORGANISER_POST),
    "competition:results_index": (NONE, ORGANISER_ONLY),
    "competition:results_stage": (STAGE, ORGANISER_ONLY),
    "competition:results_moderation": (
        lambda w: {"pk": w.stage.pk, "entry_pk": w.entry_a.pk},
        ORGANISER_ONLY,
    ),
    "competition:results_finalists": (STAGE, ORGANISER_POST),
    "competition:results_schedule": (STAGE, ORGANISER_ONLY),
    "competition:results_finalist_remove": (
        lambda w: {"pk": w.stage.pk, "entry_pk": w.entry_a.pk},
        ORGANISER_POST,
    ),
    "competition:results_schedule_csv": (STAGE, ORGANISER_ONLY),
    "competition:results_final": (YEAR, ORGANISER_ONLY),
    "competition:results_snapshot": (VERSION, ORGANISER_ONLY),
    "competition:results_publish": (VERSION, ORGANISER_POST),
    "competition:results_revision": (YEAR, ORGANISER_POST),
    "competition:results_pipeline": (YEAR, ORGANISER_ONLY),
    "competition:results_outcome": (lambda w: {"pk": w.forwarding.pk}, ORGANISER_ONLY),
    "competition:results_forwarding_cancel": (
        lambda w: {"pk": w.forwarding.pk},
        ORGANISER_POST,
    ),
    "competition:results_evidence": (lambda w: {"pk": w.outcome.pk}, ORGANISER_ONLY),
    "competition:dashboard": (NONE, ORGANISER_ONLY),
    "competition:exports": (NONE, ORGANISER_ONLY),
    "competition:export_competition": (
        lambda w: {"year": w.competition.year, "kind": "finalis", "fmt": "csv"},
        ORGANISER_ONLY,
    ),
    "competition:export_stage": (
        lambda w: {
            "year": w.competition.year,
            "order": w.stage.order,
            "kind": "rekap-nilai",
            "fmt": "xlsx",
        },
        ORGANISER_ONLY,
    ),
    "competition:export_entry": (
        lambda w: {"pk": w.entry_a.pk, "kind": "lampiran", "fmt": "zip"},
        ORGANISER_ONLY,
    ),
    "competition:judging_stages": (NONE, ORGANISER_ONLY),
    "competition:judging_progress": (STAGE, ORGANISER_ONLY),
    "competition:judging_auto_assign": (STAGE, ORGANISER_ONLY),
    "competition:judging_category_assign": (STAGE, ORGANISER_ONLY),
    "competition:judging_top_up": (
        lambda w: {"pk": w.open_stage.pk, "entry_pk": w.entry_a.pk},
        ORGANISER_POST,
    ),
    "competition:judging_remind": (STAGE, ORGANISER_POST),
    # The world's stage is closed: its close page sends the organiser back to progress.
    "competition:judging_close": (
        STAGE,
        row(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, REDIRECT),
    ),
    "competition:judging_reopen": (STAGE, ORGANISER_ONLY),
    "competition:judging_audit_entry": (ENTRY, ORGANISER_ONLY),
    "competition:judging_audit_judge": (lambda w: {"pk": w.judge.pk}, ORGANISER_ONLY),
    # The organiser's admin and the judges' desk
    "admin:index": (NONE, row(LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, OK)),
    "judge_desk:index": (NONE, row(LOGIN, LOGIN, LOGIN, OK, OK, LOGIN)),
    "judge_desk:competition_assignment_changelist": (
        NONE,
        row(LOGIN, LOGIN, LOGIN, OK, OK, LOGIN),
    ),
    # Every assignment of both judges is declared already: back to the list.
    "judge_desk:competition_assignment_declare_all": (
        NONE,
        row(LOGIN, LOGIN, LOGIN, REDIRECT, REDIRECT, LOGIN),
    ),
    "judge_desk:competition_assignment_change": (
        lambda w: {"object_id": w.assignment.pk},
        row(LOGIN, LOGIN, LOGIN, OK, NOT_FOUND, LOGIN),
    ),
}


# POST: the GET outcome (ORGANISER_ACTION for an ORGANISER_POST row), except for these.
POST_TABLE: dict[str, dict] = {
    "logout": ALWAYS_REDIRECT,
    "password_change_done": row(
        LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED
    ),
    "password_reset_done": GET_ONLY,
    "password_reset_complete": GET_ONLY,
    # A POST names its action; none at all is nothing to do, so 404 for those let in too.
    "competition:entry_coaching": row(LOGIN, *[NOT_FOUND] * 5),
    "competition:forwarding_adapt": row(LOGIN, *[NOT_FOUND] * 5),
    "competition:organiser_innovation_catalogue": row(LOGIN, *[NOT_FOUND] * 5),
    # The world's entry is not a finalist of the stage: nothing to remove.
    "competition:results_finalist_remove": row(LOGIN, *[NOT_FOUND] * 5),
    # The assignment page's form, posted empty, assigns nothing and goes back.
    "competition:judging_auto_assign": ORGANISER_ACTION,
}


def expected_post(name: str) -> dict:
    expected = TABLE[name][1]
    if name in POST_TABLE:
        return POST_TABLE[name]
    return ORGANISER_ACTION if expected is ORGANISER_POST else expected


def named_patterns(patterns, namespace=None):
    """(full name, pattern) of every named URL pattern, through includes and namespaces."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from named_patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


def project_url_names() -> set[str]:
    names = set()
    for name, _pattern in named_patterns(get_resolver().url_patterns):
        if name.startswith("admin:") and name != "admin:index":
            continue
        if name not in SKIPPED:
            names.add(name)
    return names


def test_every_url_pattern_has_a_row():
    names = project_url_names()

    assert sorted(names - set(TABLE)) == [], "add these URLs to TABLE with who may see them"
    assert sorted(set(TABLE) - names) == [], "these URLs no longer exist: remove their rows"
    assert sorted(set(POST_TABLE) - names) == [], "these URLs no longer exist: remove their rows"


@pytest.fixture
def world(agency_a, agency_b, staff_a, staff_b, judge, other_judge, organiser):
    """OPD A's passed entry scored, ranked Juara I and published, forwarded with an outcome;
    OPD A's draft entry; OPD A's entry assigned to ``judge`` in an open presentation stage."""
    # This year's, so that it is the current competition whatever other tests created first.
    this_year = f.CompetitionFactory(year=timezone.localdate().year)
    # The judges' feedback is released, so that only ownership decides who reads it.
    this_year.feedback_released = True
    this_year.save(update_fields=["feedback_released"])
    stage = f.StageFactory(competition=this_year, closed=True, rubric=(60, 40))
    competition = stage.competition
    entry_a = f.EntryFactory(
        competition=competition,
        reference="KOV-A",
        titled_by_reference=True,
        innovation__agency=agency_a,
        screened_in=True,
        submitted_at=timezone.now(),
    )
    entry_b = f.EntryFactory(
        competition=competition,
        reference="KOV-B",
        titled_by_reference=True,
        innovation__agency=agency_b,
        screened_in=True,
    )
    scorers = [f.JudgeFactory(), f.JudgeFactory()]
    for entry, values in ((entry_a, (90, 88)), (entry_b, (70, 72))):
        for scorer, value in zip(scorers, values, strict=True):
            f.ScoreSheetFactory(
                stage=stage,
                entry=entry,
                judge=scorer,
                submitted=True,
                assigned=True,
                scores=[value, value],
            )
    photo_kind = f.AttachmentKindFactory(competition=competition, allowed_types=["image"])
    photo_a = f.AttachmentFactory(
        entry=entry_a,
        kind=photo_kind,
        file=ContentFile(png(), name="foto.png"),
        original_name="foto.png",
        content_type="image/png",
    )
    attachment_a = f.AttachmentFactory(entry=entry_a)
    snapshot = result_finalise(
        competition=competition,
        actor=organiser,
        decree_number="188.45/9/417.101/2026",
        decree_date=dt.date(2026, 11, 20),
    )
    result_publish(snapshot=snapshot, actor=organiser)
    Innovation.objects.filter(pk=entry_a.innovation_id).update(
        is_published=True, catalogue_approved_at=timezone.now()
    )
    forwarding = entry_forward(entry=entry_a, level=ForwardingLevel.PROVINCE, actor=organiser)
    outcome = f.OutcomeFactory(
        forwarding=forwarding,
        step=OutcomeStep.REGISTERED,
        evidence=ContentFile(b"%PDF-1.4\n%%EOF\n", name="bukti.pdf"),
    )
    open_stage = f.StageFactory(
        competition=competition, order=stage.order + 1, kind=StageKind.PRESENTATION
    )
    f.CriterionFactory(stage=open_stage)
    assignment = f.AssignmentFactory(stage=open_stage, entry=entry_a, judge=judge)
    f.ConflictDeclarationFactory(stage=open_stage, entry=entry_a, judge=judge)
    innovation_a = f.InnovationFactory(agency=agency_a, title="Inovasi Baru Dinkes")
    draft_a = f.EntryFactory(
        competition=competition,
        reference=None,
        innovation__title="Inovasi None",
        innovation__agency=agency_a,
        status=EntryStatus.DRAFT,
        created_by=staff_a,
    )
    section = f.SectionSpecFactory(competition=competition)
    assert competition.is_submission_open(timezone.now())
    target_round = round_services.round_create_from_format(
        format_key="kovablik-jatim", year=competition.year
    )
    round_forwarding = Forwarding.objects.create(
        entry=entry_a, level=target_round.level, round=target_round, forwarded_by=organiser
    )
    return World(
        section=section,
        competition=competition,
        stage=stage,
        open_stage=open_stage,
        entry_a=entry_a,
        draft_a=draft_a,
        innovation_a=innovation_a,
        attachment_a=attachment_a,
        photo_a=photo_a,
        snapshot=snapshot,
        forwarding=forwarding,
        outcome=outcome,
        assignment=assignment,
        judge=judge,
        target_round=target_round,
        round_forwarding=round_forwarding,
    )


def finish(response) -> None:
    """Read a streamed response (a download, an export) to its end.

    The test client then closes it, and its file, the way a WSGI server would. Calling
    ``close()`` directly instead would also close the test's database connection on
    PostgreSQL, in the middle of the test's transaction.
    """
    if response.streaming:
        b"".join(response.streaming_content)


def outcome_of(response):
    if response.status_code in (301, 302, 303):
        location = response["Location"]
        if "/akun/masuk/" in location or "/login/" in location:
            return LOGIN
        return REDIRECT
    return response.status_code


def post_with_token(client, url):
    """POST with the CSRF token the browser would send, rolled back afterwards."""
    with transaction.atomic():
        response = client.post(url, {"csrfmiddlewaretoken": client.cookies["csrftoken"].value})
        finish(response)
        transaction.set_rollback(True)
    return response


def sign_in(client, user) -> None:
    """Sign in as ``user`` (or stay anonymous) and pick up a CSRF cookie from a form page."""
    client.logout()
    if user is not None:
        client.force_login(user)
    client.get(reverse("password_reset"))


@pytest.mark.django_db
def test_every_url_gives_each_persona_the_expected_outcome(
    world, staff_a, staff_b, judge, other_judge, organiser
):
    client = Client(enforce_csrf_checks=True)
    users = {
        "anonymous": None,
        "opd_a": staff_a,
        "opd_b": staff_b,
        "judge": judge,
        "other_judge": other_judge,
        "organiser": organiser,
    }
    wrong = []
    for persona, user in users.items():
        sign_in(client, user)
        for name in sorted(project_url_names() & set(TABLE)):
            params, expected = TABLE[name]
            url = reverse(name, kwargs=params(world))
            response = client.get(url)
            finish(response)
            got = outcome_of(response)
            if got != expected[persona]:
                wrong.append(f"{persona:12} GET  {name}: expected {expected[persona]}, got {got}")
            got = outcome_of(post_with_token(client, url))
            if got != expected_post(name)[persona]:
                wrong.append(
                    f"{persona:12} POST {name}: expected {expected_post(name)[persona]}, got {got}"
                )
            if name == "logout":
                sign_in(client, user)

    assert wrong == [], "\n".join(wrong)


@pytest.mark.django_db
def test_a_post_without_its_csrf_token_is_refused(world, organiser):
    client = Client(enforce_csrf_checks=True)
    sign_in(client, organiser)
    url = reverse("competition:results_revision", kwargs={"year": world.competition.year})

    refused = client.post(url)
    allowed = post_with_token(client, url)

    assert (refused.status_code, outcome_of(allowed)) == (403, REDIRECT)


@pytest.mark.django_db
def test_pages_the_organiser_sees_have_no_inline_script_or_style(client, world, organiser):
    client.force_login(organiser)
    found = {}
    for name in sorted(project_url_names() & set(TABLE)):
        params, expected = TABLE[name]
        if expected["organiser"] != OK or name.startswith(("admin:", "judge_desk:")):
            continue
        response = client.get(reverse(name, kwargs=params(world)))
        finish(response)
        if response.get("Content-Type", "").startswith("text/html"):
            page = response.content.decode()
            if problems := csp_violations(page, allow_json_data=True):
                found[name] = problems

    assert found == {}
