"""The one permission mechanism: every permission the code asks for is a registered rule, the
organiser holds the model permissions by role, and the superuser has no shortcut past a rule."""

import re
from pathlib import Path

import pytest
import rules
from django.urls import reverse

from opd.models import User
from tests import factories as f

ROOT = Path(__file__).resolve().parents[2]
# has_perm("app.perm" ...), permission_required("app.perm"), require_perm(request, "app.perm"
# ...), {% has_perm "app.perm" ... %}: every way the code asks.
ASKED = re.compile(
    r"""(?:has_perm\(\s*|permission_required\(\s*|require_perm\(\s*request,\s*|"""
    r"""{% has_perm\s+)["']([a-z_]+\.[a-z_]+)["']"""
)
ROLE_CONSTANT = re.compile(r"""^BY_\w+ = "([a-z_]+\.[a-z_]+)"$""", re.M)


def asked_permissions() -> set[str]:
    found = set()
    for folder in ("competition", "opd", "outbox", "kovablik", "templates"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in {".py", ".html"}:
                text = path.read_text(encoding="utf-8")
                found |= set(ASKED.findall(text)) | set(ROLE_CONSTANT.findall(text))
    return found


def test_every_permission_the_code_asks_for_is_registered():
    asked = asked_permissions()

    assert len(asked) > 20  # the scan finds the views, templates, admin and services
    assert sorted(p for p in asked if not rules.perm_exists(p)) == []


@pytest.mark.django_db
def test_organiser_holds_model_permissions_by_role_and_others_do_not(organiser, staff_a, judge):
    perms = ["competition.change_stage", "competition.view_resultsnapshot", "opd.add_agency"]

    assert [organiser.has_perm(p) for p in perms] == [True, True, True]
    assert [staff_a.has_perm(p) for p in perms] == [False, False, False]
    assert [judge.has_perm(p) for p in perms] == [False, False, False]
    assert (organiser.has_module_perms("competition"), judge.has_module_perms("competition")) == (
        True,
        False,
    )


@pytest.mark.django_db
def test_a_deactivated_organiser_holds_nothing(organiser):
    organiser.is_active = False
    organiser.save(update_fields=["is_active"])

    assert organiser.has_perm("competition.change_stage") is False


@pytest.mark.django_db
def test_superuser_is_refused_what_nobody_may_do_in_the_admin(client):
    boss = User.objects.create_superuser("boss@example.go.id", "x", full_name="Boss")
    client.force_login(boss)

    add_sheet = client.get(reverse("admin:competition_scoresheet_add"))
    stages = client.get(reverse("admin:competition_stage_changelist"))

    assert (boss.has_perm("competition.add_scoresheet"), add_sheet.status_code) == (False, 403)
    assert (boss.has_perm("competition.change_stage"), stages.status_code) == (True, 200)


@pytest.mark.django_db
def test_superuser_is_not_an_opd_on_the_opd_pages(client):
    boss = User.objects.create_superuser("boss@example.go.id", "x", full_name="Boss")
    client.force_login(boss)

    response = client.get(reverse("competition:innovation_list"))

    assert response.status_code == 404


@pytest.mark.django_db
def test_judge_desk_admin_opens_only_the_judges_own_assignment(judge, other_judge):
    assignment = f.AssignmentFactory(judge=judge)

    assert judge.has_perm("competition.change_assignment", assignment) is True
    assert other_judge.has_perm("competition.change_assignment", assignment) is False
    assert judge.has_perm("competition.delete_assignment", assignment) is False
