"""QA: admin forms and filters name fields in Indonesian, not by their English code names."""

import pytest
from django.urls import reverse

from tests import factories as f


@pytest.mark.parametrize(
    ("url_name", "args", "labels", "english"),
    [
        (
            "admin:competition_assignment_add",
            [],
            ["Tahap penilaian:", "Proposal:", "Juri:"],
            ["Stage:", "Entry:", "Judge:"],
        ),
        (
            "admin:competition_assignment_changelist",
            [],
            ["Berdasarkan tahap penilaian"],
            ["Berdasarkan stage"],
        ),
        ("admin:competition_stage_add", [], ["Kompetisi:"], ["Competition:"]),
        ("admin:competition_award_add", [], ["Inovasi:"], ["Innovation:", "Outcome:"]),
    ],
)
def test_admin_pages_label_fields_in_indonesian(client, organiser, url_name, args, labels, english):
    f.StageFactory.create_batch(2)
    client.force_login(organiser)

    page = client.get(reverse(url_name, args=args)).content.decode()

    for label in labels:
        assert label in page
    for word in english:
        assert word not in page


def test_agency_and_user_forms_label_dates_and_decider_in_indonesian(client, organiser):
    agency = f.AgencyFactory()
    staff = f.UserFactory(agency=agency)
    client.force_login(organiser)

    agency_page = client.get(reverse("admin:opd_agency_change", args=[agency.pk])).content.decode()
    user_page = client.get(reverse("admin:opd_user_change", args=[staff.pk])).content.decode()

    assert "Dibuat pada:" in agency_page
    assert "Created at:" not in agency_page
    assert "Updated at:" not in agency_page
    assert "Diputuskan oleh:" in user_page
    assert "Decided by:" not in user_page
