"""Nobody but the owning OPD reaches its innovations, entries and files; text is escaped."""

import pytest
from django.urls import reverse

from competition.models import Attachment, Entry, EntryAnswer, EntryStatus, GroupCode, Innovation
from competition.services import entries as svc
from competition.services.status import entry_set_status
from tests import factories as f
from tests.uploads import attach, pdf_bytes, upload

# Every test here touches the database, some only through request.getfixturevalue,
# which pytest-django cannot see when it orders database tests before committing ones.
pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'


@pytest.fixture
def competition(db):
    return f.CompetitionFactory(open=True)


@pytest.fixture
def draft(agency_a, competition):
    """A draft of OPD A with one uploaded file."""
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
    )
    attach(
        entry=entry,
        kind=competition.attachment_kinds.get(key="sk"),
        upload=upload("sk.pdf", pdf_bytes()),
        user=None,
    )
    return entry


@pytest.fixture
def submitted(agency_a, staff_a, competition):
    return svc.entry_submit(
        entry=f.EntryFactory(
            competition=competition,
            innovation__agency=agency_a,
            category=competition.categories.first(),
            complete=True,
        ),
        user=staff_a,
    )


def owner_urls(entry):
    """Every OPD page of ``entry``, with the method to use."""
    innovation = entry.innovation.pk
    attachment = entry.attachments.first().pk
    return [
        ("get", reverse("competition:innovation_detail", args=[innovation])),
        ("get", reverse("competition:innovation_update", args=[innovation])),
        ("post", reverse("competition:innovation_update", args=[innovation])),
        ("get", reverse("competition:entry_open", args=[innovation])),
        ("post", reverse("competition:entry_open", args=[innovation])),
        ("get", reverse("competition:entry_detail", args=[entry.pk])),
        ("get", reverse("competition:entry_edit", args=[entry.pk])),
        ("post", reverse("competition:entry_edit", args=[entry.pk])),
        ("get", reverse("competition:entry_submit", args=[entry.pk])),
        ("post", reverse("competition:entry_submit", args=[entry.pk])),
        ("get", reverse("competition:entry_receipt", args=[entry.pk])),
        ("get", reverse("competition:entry_withdraw", args=[entry.pk])),
        ("post", reverse("competition:entry_withdraw", args=[entry.pk])),
        ("get", reverse("competition:attachment_download", args=[attachment])),
        ("get", reverse("competition:attachment_delete", args=[attachment])),
        ("post", reverse("competition:attachment_delete", args=[attachment])),
    ]


def snapshot(entry):
    return (
        Entry.objects.filter(pk=entry.pk).values_list("status", "version", "reference").get(),
        Attachment.objects.filter(entry=entry).count(),
        EntryAnswer.objects.filter(entry=entry).count(),
        Innovation.objects.get(pk=entry.innovation_id).title,
    )


@pytest.mark.parametrize("entry_fixture", ["draft", "submitted"])
def test_other_opd_gets_404_on_every_url_and_changes_nothing(
    client, staff_b, request, entry_fixture
):
    entry = request.getfixturevalue(entry_fixture)
    before = snapshot(entry)
    client.force_login(staff_b)

    for method, url in owner_urls(entry):
        data = {"title": "diambil alih", "version": entry.version, "action": "submit"}
        response = getattr(client, method)(url, data) if method == "post" else client.get(url)
        response.close()
        assert response.status_code == 404, (method, url)

    assert snapshot(entry) == before


@pytest.mark.parametrize("persona", ["judge", "organiser"])
def test_judges_and_organisers_cannot_use_opd_pages(client, request, draft, persona):
    client.force_login(request.getfixturevalue(persona))
    opd_only = [
        (m, u)
        for m, u in owner_urls(draft)
        if "unduh" not in u and u != reverse("competition:entry_detail", args=[draft.pk])
    ]

    for method, url in opd_only:
        response = getattr(client, method)(url) if method == "post" else client.get(url)
        assert response.status_code == 404, (method, url)
    assert client.get(reverse("competition:opd_dashboard")).status_code == 404
    assert client.get(reverse("competition:innovation_list")).status_code == 404


def test_judge_cannot_open_an_entry_even_when_assigned(client, judge, draft):
    f.AssignmentFactory(
        entry=draft, judge=judge, stage=f.StageFactory(competition=draft.competition)
    )
    client.force_login(judge)

    response = client.get(reverse("competition:entry_detail", args=[draft.pk]))

    assert response.status_code == 404


def test_a_non_youtube_video_address_is_never_a_link(client_a, agency_a, staff_a, competition):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
        complete=True,
        video_url="javascript:alert(1)",
    )

    html = client_a.get(reverse("competition:entry_detail", args=[entry.pk])).content.decode()

    assert 'href="javascript:' not in html
    assert "javascript:alert(1)" in html


def test_anonymous_is_sent_to_login_everywhere(client, draft):
    for method, url in owner_urls(draft):
        response = getattr(client, method)(url) if method == "post" else client.get(url)
        assert response.status_code == 302, (method, url)
        assert response.url.startswith(reverse("login") + "?next="), (method, url)


def test_unassigned_judge_cannot_download_but_assigned_declared_judge_can(client, judge, draft):
    url = reverse("competition:attachment_download", args=[draft.attachments.get().pk])
    client.force_login(judge)
    refused = client.get(url)
    stage = f.StageFactory(competition=draft.competition)
    f.AssignmentFactory(entry=draft, judge=judge, stage=stage)
    f.ConflictDeclarationFactory(entry=draft, judge=judge, stage=stage)

    allowed = client.get(url)

    assert refused.status_code == 404
    assert allowed.status_code == 200
    assert b"".join(allowed.streaming_content).startswith(b"%PDF-")
    allowed.close()


def test_organiser_sees_entry_and_downloads_its_files(client, organiser, submitted):
    client.force_login(organiser)

    page = client.get(reverse("competition:entry_detail", args=[submitted.pk]))
    download = client.get(
        reverse("competition:attachment_download", args=[submitted.attachments.get().pk])
    )

    assert submitted.innovation.title in page.content.decode()
    assert "Ubah proposal" not in page.content.decode()
    assert download.status_code == 200
    download.close()


def test_staff_of_the_parent_opd_reach_a_child_units_entry(client, staff_a, agency_a, competition):
    puskesmas = f.AgencyFactory(name="Puskesmas Wates", parent=agency_a)
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=puskesmas,
        category=competition.categories.first(),
    )
    client.force_login(staff_a)

    response = client.get(reverse("competition:entry_edit", args=[entry.pk]))

    assert response.status_code == 200


def test_child_unit_staff_do_not_reach_the_parent_opds_entry(client, agency_a, competition):
    puskesmas = f.AgencyFactory(name="Puskesmas Wates", parent=agency_a)
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
    )
    client.force_login(f.UserFactory(agency=puskesmas))

    response = client.get(reverse("competition:entry_edit", args=[entry.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("payload", [SCRIPT, IMG])
def test_every_text_field_renders_escaped(
    client_a, agency_a, staff_a, organiser, competition, payload
):
    innovation = f.InnovationFactory(
        agency=agency_a,
        title=f"Judul {payload}",
        brand_name=payload[:80],
        brand_long_form=payload,
        description=payload,
    )
    f.InnovatorFactory(innovation=innovation, name=payload, role=payload)
    f.AwardFactory(innovation=innovation, label=payload, decree_number=payload)
    entry = f.EntryFactory(
        competition=competition,
        category=competition.categories.first(),
        innovation=innovation,
        declaration_accepted=True,
    )
    for section in competition.sections.all():
        EntryAnswer.objects.create(entry=entry, section=section, text=payload, word_count=2)
    attach(
        entry=entry,
        kind=competition.attachment_kinds.get(key="sk"),
        upload=upload(f"{payload.replace('/', '')}.pdf", pdf_bytes()),
        user=staff_a,
    )
    competition.sections.filter(key="ringkasan").update(word_limit=50)
    svc.entry_submit(entry=entry, user=staff_a)
    entry_set_status(
        entry=entry,
        to_status=EntryStatus.RETURNED,
        actor=organiser,
        screening_reason=payload,
        revision_due_at=competition.submission_closes_at,
    )
    pages = [
        reverse("competition:opd_dashboard"),
        reverse("competition:innovation_list"),
        reverse("competition:innovation_detail", args=[innovation.pk]),
        reverse("competition:entry_detail", args=[entry.pk]),
        reverse("competition:entry_edit", args=[entry.pk]),
        reverse("competition:entry_submit", args=[entry.pk]),
        reverse("competition:entry_receipt", args=[entry.pk]),
        reverse("competition:attachment_delete", args=[entry.attachments.get().pk]),
    ]

    for url in pages:
        html = client_a.get(url).content.decode()
        assert "<script>alert(1)" not in html, url
        assert "<img src=x" not in html, url
        assert "&lt;" in html, url


def test_entry_open_refuses_a_group_the_form_does_not_offer(client_a, agency_a, competition):
    innovation = f.InnovationFactory(agency=agency_a)

    client_a.post(
        reverse("competition:entry_open", args=[innovation.pk]),
        {
            "group": competition.groups.get(invitation_only=True).pk,
            "category": competition.categories.get().pk,
        },
    )

    assert Entry.objects.count() == 0
    assert competition.groups.get(code=GroupCode.UMUM).entries.count() == 0
