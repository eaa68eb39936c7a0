"""``{% fixed %}``: the page chrome rendered once per language, and the pages that use it."""

import pytest
from django.template import Context, RequestContext, Template, TemplateSyntaxError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from kovablik.fixed import FixedNode
from tests import factories as f


def fixed(source: str) -> Template:
    return Template("{% load fixed i18n static %}{% fixed %}" + source + "{% endfixed %}")


def node(template: Template) -> FixedNode:
    return template.nodelist.get_nodes_by_type(FixedNode)[0]


def test_block_is_rendered_once_per_language():
    template = fixed("{% url 'profile' %} {% translate 'Profil' %}")

    with translation.override("id"):
        first = template.render(Context())
        again = template.render(Context())
    with translation.override("en"):
        english = template.render(Context())

    assert (first, again, english) == ("/akun/profil/ Profil",) * 2 + ("/akun/profil/ Profile",)
    assert len(node(template).rendered) == 2


def test_block_shows_no_variable_of_the_page():
    template = fixed("[{{ user.full_name }}]")

    assert template.render(Context({"user": {"full_name": "Staf Dinkes"}})) == "[]"


def test_block_resolves_namespaced_urls_against_the_current_app():
    template = fixed("{% url 'admin:index' %}")
    desk = RequestFactory().get("/")
    desk.current_app = "judge_desk"

    assert template.render(RequestContext(RequestFactory().get("/"))) == "/admin/"
    assert template.render(RequestContext(desk)) == "/penilaian/"


def test_changed_setting_renders_the_block_again(settings):
    template = fixed("{% static 'css/kovablik.css' %}")
    before = template.render(Context())

    settings.STATIC_URL = "/aset/"

    assert (before, template.render(Context())) == (
        "/static/css/kovablik.css",
        "/aset/css/kovablik.css",
    )


def test_block_is_rendered_every_time_under_debug(settings):
    settings.DEBUG = True
    template = fixed("{% translate 'Profil' %}")

    assert template.render(Context()) == "Profil"
    assert node(template).rendered == {}


def test_block_takes_no_arguments():
    with pytest.raises(TemplateSyntaxError):
        Template("{% load fixed %}{% fixed user %}{% endfixed %}")


# --- The pages' chrome ------------------------------------------------------------------------

MENUS = {
    "opd": [
        "competition:opd_dashboard",
        "competition:innovation_list",
        "competition:opd_results_latest",
    ],
    "judge": ["judge_desk:index"],
    "organiser": [
        "competition:dashboard",
        "admin:index",
        "competition:organiser_entries",
        "competition:organiser_compliance",
        "competition:judging_stages",
        "competition:results_index",
        "competition:exports",
    ],
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "labels"),
    [("id", ["Publik", "Profil", "Bahasa", "Ganti"]), ("en", ["Public", "Profile", "Language"])],
)
@pytest.mark.parametrize("persona", ["opd", "judge", "organiser"])
def test_signed_in_page_shows_the_role_menu_in_the_language(client, persona, language, labels):
    user = {
        "opd": f.UserFactory,
        "judge": f.JudgeFactory,
        "organiser": f.OrganiserFactory,
    }[persona](full_name="Nama Pengguna")
    client.force_login(user)

    for _ in range(2):
        page = client.get("/akun/profil/", headers={"accept-language": language}).content
        page = page.decode()

        for other, names in MENUS.items():
            for name in names:
                assert (f'href="{reverse(name)}"' in page) is (other == persona), (other, name)
        assert all(label in page for label in labels)
        assert 'href="/katalog/"' in page
        assert "Nama Pengguna" in page
        assert f'<option value="{language}" selected>' in page


@pytest.mark.django_db
def test_anonymous_page_shows_the_public_menu_and_sign_in(client):
    page = client.get("/").content.decode()

    assert 'class="nav-link" href="/katalog/"' in page
    assert 'href="/akun/masuk/"' in page
    assert ">Publik</button>" not in page
