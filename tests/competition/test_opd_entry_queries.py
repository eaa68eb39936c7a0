"""The OPD's pages of one entry, the deadline rush's pages, run a fixed number of queries
however many sections, attachment kinds and files the year and the entry have."""

import pytest
from django.urls import reverse

from competition.services import entries as svc
from tests import factories as f
from tests.competition.hardening.conftest import editor_post
from tests.uploads import image_bytes, upload

# The session and the user, then the page's own reads.
EDITOR_QUERIES = 9
DRAFT_SAVE_QUERIES = 13  # 11 in production: the test's transaction adds a savepoint pair
UPLOAD_IN_PLACE_QUERIES = 20  # the save, the upload and the part: no page after it
CHECKLIST_QUERIES = 9
RECEIPT_QUERIES = 6


@pytest.fixture
def competition(db):
    return f.CompetitionFactory(open=True)


def full_entry(agency, competition, extra: int):
    """A complete entry with ``extra`` more answered sections and ``extra`` more kinds,
    each with a file."""
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency,
        category=competition.categories.first(),
        complete=True,
    )
    f.EntryAnswerFactory.create_batch(extra, entry=entry)
    f.AttachmentFactory.create_batch(extra, entry=entry)
    return entry


@pytest.mark.parametrize("extra", [0, 6])
def test_editor_page(client_a, agency_a, competition, django_assert_num_queries, extra):
    entry = full_entry(agency_a, competition, extra)

    with django_assert_num_queries(EDITOR_QUERIES):
        response = client_a.get(reverse("competition:entry_edit", args=[entry.pk]))

    html = response.content.decode()
    assert html.count("<textarea") == competition.sections.count()
    for kind in competition.attachment_kinds.all():
        assert kind.label in html
    for attachment in entry.attachments.all():
        assert reverse("competition:attachment_download", args=[attachment.pk]) in html


# Posted, the save answers a redirect to the editor; from the editor's script ("Simpan
# draf" in place, or autosave), the same save answers JSON.
@pytest.mark.parametrize("in_place", [False, True], ids=["posted", "in-place"])
@pytest.mark.parametrize("extra", [0, 6])
def test_draft_save(client_a, agency_a, competition, django_assert_num_queries, extra, in_place):
    entry = full_entry(agency_a, competition, extra)
    keys = competition.sections.values_list("key", flat=True)
    data = editor_post(entry, {key: f"Uraian {key}." for key in keys})
    headers = {"HTTP_X_KOVABLIK_AUTOSAVE": "1"} if in_place else {}

    with django_assert_num_queries(DRAFT_SAVE_QUERIES):
        response = client_a.post(
            reverse("competition:entry_edit", args=[entry.pk]), data, **headers
        )

    if in_place:
        assert response.json()["saved"] is True
    else:
        assert response.status_code == 302
    assert set(entry.answers.values_list("text", flat=True)) == {f"Uraian {key}." for key in keys}


@pytest.mark.parametrize("extra", [0, 6])
def test_upload_saved_in_place(client_a, agency_a, competition, django_assert_num_queries, extra):
    """The editor's script saving with a photo chosen: the save, the upload and the
    attachments' part of the page, with no page after it."""
    entry = full_entry(agency_a, competition, extra)
    photo = competition.attachment_kinds.get(key="foto")
    data = editor_post(entry, {})
    data[f"file_{photo.pk}"] = upload("sesudah.png", image_bytes())

    with django_assert_num_queries(UPLOAD_IN_PLACE_QUERIES):
        response = client_a.post(
            reverse("competition:entry_edit", args=[entry.pk]),
            data,
            HTTP_X_KOVABLIK_AUTOSAVE="1",
        )

    body = response.json()
    assert body["refused"] == []
    assert body["attachments"].count("/unduh/") == entry.attachments.count()


@pytest.mark.parametrize("extra", [0, 6])
def test_checklist(client_a, agency_a, competition, django_assert_num_queries, extra):
    entry = full_entry(agency_a, competition, extra)

    with django_assert_num_queries(CHECKLIST_QUERIES):
        response = client_a.get(reverse("competition:entry_submit", args=[entry.pk]))

    assert response.status_code == 200
    assert response.context["problems"] == []


@pytest.mark.parametrize("extra", [0, 6])
def test_receipt(client_a, agency_a, staff_a, competition, django_assert_num_queries, extra):
    entry = full_entry(agency_a, competition, extra)
    svc.entry_submit(entry=entry, user=staff_a)
    entry.refresh_from_db()

    with django_assert_num_queries(RECEIPT_QUERIES):
        response = client_a.get(reverse("competition:entry_receipt", args=[entry.pk]))

    assert entry.reference in response.content.decode()
