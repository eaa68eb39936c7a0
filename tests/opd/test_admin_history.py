"""QA: the admin's history page of an object (django-simple-history's list)."""

from django.urls import reverse

from tests import factories as f
from tests.kovablik.csp import csp_violations


def test_history_page_has_no_inline_style_and_no_english_or_none(client, organiser):
    agency = f.AgencyFactory(name="Dinas Perhubungan")
    client.force_login(organiser)

    page = client.get(reverse("admin:opd_agency_history", args=[agency.pk])).content.decode()

    assert "Dinas Perhubungan" in page
    assert csp_violations(page, allow_json_data=True) == []
    assert "Perubahan</th>" in page
    assert ">Changes<" not in page
    assert "None" not in page
