"""QA: pages name an icon that exists, so browsers do not log a 404 for /favicon.ico."""

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

ICON = '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">'


def test_icon_file_exists():
    assert finders.find("img/favicon.svg")


@pytest.mark.django_db
def test_portal_pages_link_the_icon(client):
    page = client.get(reverse("competition:public_catalogue")).content.decode()

    assert ICON in page


def test_admin_and_judge_desk_pages_link_the_icon(client, organiser, judge):
    client.force_login(organiser)
    admin_page = client.get(reverse("admin:index")).content.decode()
    client.force_login(judge)
    desk_page = client.get("/penilaian/").content.decode()

    assert ICON in admin_page
    assert ICON in desk_page
    assert "Administrasi Kovablik" in admin_page
