"""What a shared office computer or a caching proxy may keep, and what the sign-up page
tells a stranger (issue 17)."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from competition.exports import registry
from competition.services.rounds import round_create_from_format
from opd.models import User
from tests import factories as f
from tests.competition.test_exports import _package_entry, scored_year

# Every test here touches the database, some only through request.getfixturevalue,
# which pytest-django cannot see when it orders database tests before committing ones.
pytestmark = pytest.mark.django_db

SIGN_UP = "/opd/daftar/"


def _export_urls(stage, entry, target_round) -> list[str]:
    """Every export kind in every format it is offered in."""
    urls = []
    for kind in registry.KINDS.values():
        for fmt in kind.formats:
            if kind.scope == registry.COMPETITION:
                args = ("competition:export_competition", [2026, kind.key, fmt])
            elif kind.scope == registry.STAGE:
                args = ("competition:export_stage", [2026, stage.order, kind.key, fmt])
            elif kind.scope == registry.ROUND:
                args = ("competition:round_package", [target_round.slug])
            else:
                args = ("competition:export_entry", [entry.pk, kind.key, fmt])
            urls.append(reverse(args[0], args=args[1]))
    return urls


def test_every_export_kind_and_format_is_private_and_not_stored(client, organiser):
    _competition, stage, _entries = scored_year(2, organiser)
    package = _package_entry(_competition)
    client.force_login(organiser)

    target_round = round_create_from_format(format_key="kovablik-jatim", year=2027)
    urls = _export_urls(stage, package, target_round)
    assert {url.rsplit(".", 1)[-1] for url in urls} == {"csv", "xlsx", "pdf", "zip"}
    for url in urls:
        response = client.get(url)
        b"".join(response.streaming_content)
        response.close()
        assert response.status_code == 200, url
        assert response["Content-Disposition"].startswith("attachment"), url
        assert set(response["Cache-Control"].split(", ")) == {"private", "no-store"}, url


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("staff_a", "competition:opd_dashboard"),
        ("staff_a", "competition:innovation_list"),
        ("organiser", "competition:dashboard"),
        ("organiser", "competition:exports"),
    ],
)
def test_pages_behind_a_sign_in_are_private_and_not_stored(client, persona, url, request):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse(url))

    assert response.status_code == 200
    assert set(response["Cache-Control"].split(", ")) >= {"private", "no-store"}


def test_judge_desk_is_private_and_not_stored(client, judge):
    client.force_login(judge)

    response = client.get("/penilaian/")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_public_home_page_stays_cacheable(client, db):
    home = client.get("/")

    assert home.status_code == 200
    assert "Cache-Control" not in home


def _sign_up(client, agency, email):
    return client.post(
        SIGN_UP,
        {
            "full_name": "Rina Kusuma",
            "nip": "199001012015032001",
            "email": email,
            "phone": "0812-1111-2222",
            "agency": agency.pk,
            "password1": "pelayanan-prima-2026",
            "password2": "pelayanan-prima-2026",
        },
        follow=True,
    )


def _page(response) -> str:
    """The page without the address it names back and the per-session CSRF token."""
    page = response.content.decode()
    page = page.replace("baru@example.go.id", "@").replace("lama@example.go.id", "@")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def test_sign_up_answers_alike_for_a_new_and_an_existing_address_and_mails_the_owner(
    agency_a, django_capture_on_commit_callbacks
):
    owner = f.UserFactory(email="lama@example.go.id", full_name="Ibu Lama", agency=agency_a)

    with django_capture_on_commit_callbacks(execute=True):
        new = _sign_up(Client(), agency_a, "baru@example.go.id")
        taken = _sign_up(Client(), agency_a, "LAMA@example.go.id")

    assert [r.redirect_chain for r in (new, taken)] == [[("/opd/daftar/terkirim/", 302)]] * 2
    assert new.status_code == taken.status_code == 200
    assert _page(new) == _page(taken)
    assert "sudah terdaftar" not in taken.content.decode()
    assert User.objects.filter(email__iexact="lama@example.go.id").count() == 1
    assert User.objects.get(email="lama@example.go.id").pk == owner.pk
    receipt, warning = mail.outbox
    assert receipt.to == ["baru@example.go.id"]
    assert warning.to == ["lama@example.go.id"]
    assert warning.subject == "Ada yang mencoba mendaftar di Kovablik dengan e-mail Anda"
    assert "Yth. Ibu Lama" in warning.body
    assert "tidak ada akun baru yang dibuat" in warning.body
    assert "/lupa-sandi/" in warning.body and "/masuk/" in warning.body
