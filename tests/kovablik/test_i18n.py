"""Indonesian by default, English on request, Indonesian number and time formats."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import translation


@pytest.mark.django_db
def test_home_is_indonesian_by_default(client):
    response = client.get("/")

    page = response.content.decode()
    assert '<html lang="id">' in page
    assert "Satu OPD, satu inovasi: setiap OPD wajib" in page


@pytest.mark.django_db
def test_set_language_switches_the_home_page_to_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"

    page = client.get("/").content.decode()

    assert '<html lang="en">' in page
    assert "One agency, one innovation: every OPD must enter" in page
    assert "Satu OPD, satu inovasi: setiap OPD wajib" not in page


@pytest.mark.django_db
def test_browser_asking_for_english_gets_english(client):
    page = client.get("/", headers={"accept-language": "en-GB,en;q=0.9"}).content.decode()

    assert "One agency, one innovation: every OPD must enter" in page


def render(source: str, **context) -> str:
    return Template("{% load kovablik %}" + source).render(Context(context))


def test_rupiah_groups_thousands_the_indonesian_way():
    with translation.override("id"):
        assert render("{{ amount|rupiah }}", amount=15_000_000) == "Rp 15.000.000"


def test_rupiah_is_empty_for_a_missing_amount():
    with translation.override("id"):
        assert render("{{ amount|rupiah }}", amount=None) == ""


def test_datetime_renders_in_jakarta_time_with_indonesian_month_names():
    # 18:00 UTC on 16 August is already 01:00 on Independence Day in Jakarta (UTC+7).
    moment = dt.datetime(2026, 8, 16, 18, 0, tzinfo=dt.UTC)

    with translation.override("id"):
        rendered = render("{{ moment|date:'j F Y H:i' }}", moment=moment)

    assert rendered == "17 Agustus 2026 01:00"


def test_numbers_use_indonesian_separators():
    with translation.override("id"):
        assert render("{{ value }}", value=1234567.5) == "1.234.567,5"
