"""The server's clock decides the deadline, and a stale tab never silently overwrites.

Service-level checks live in ``tests/competition/test_opd_services.py``; these go
through the real pages, with a browser that claims another time.
"""

import datetime as dt

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from competition.eligibility import entry_problems
from competition.models import Attachment, Entry, EntryAnswer, EntryStatus, StatusChange
from tests.competition.hardening.conftest import editor_post
from tests.uploads import pdf_bytes

# What a tampered browser might send to look early.
FORGED = {"HTTP_DATE": "Mon, 01 Jan 2024 00:00:00 GMT"}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def complete(entry, staff):
    """Fill every section, attach the SK and declare, so only the clock can refuse."""
    for section in entry.competition.sections.all():
        EntryAnswer.objects.create(entry=entry, section=section, text="Isi singkat.", word_count=2)
    Attachment.objects.create(
        entry=entry,
        kind=entry.competition.attachment_kinds.get(key="sk"),
        file=SimpleUploadedFile("sk.pdf", pdf_bytes()),
        original_name="sk.pdf",
        content_type="application/pdf",
        size=100,
        sha256="0" * 64,
        uploaded_by=staff,
    )
    Entry.objects.filter(pk=entry.pk).update(
        declaration_accepted=True, video_url="https://youtu.be/dQw4w9WgXcQ"
    )
    entry.refresh_from_db()
    assert entry_problems(entry) == []
    return entry


def test_editor_save_one_second_before_deadline_is_accepted(competition, entry, staff_a):
    closes = competition.submission_closes_at

    with time_machine.travel(closes - dt.timedelta(seconds=1), tick=False):
        response = signed_in(staff_a).post(
            reverse("competition:entry_edit", args=[entry.pk]),
            editor_post(entry, {"ringkasan": "tepat waktu"}),
            **FORGED,
        )

    assert response.status_code == 302
    assert EntryAnswer.objects.get(entry=entry, section__key="ringkasan").text == "tepat waktu"


def test_editor_save_at_deadline_second_is_refused_and_text_shown_again(
    competition, entry, staff_a
):
    closes = competition.submission_closes_at
    data = editor_post(entry, {"ringkasan": "terlambat satu detik"})
    # A browser cannot buy time by claiming it, in the form or in the headers.
    data["client_time"] = (closes - dt.timedelta(hours=1)).isoformat()

    with time_machine.travel(closes, tick=False):
        response = signed_in(staff_a).post(
            reverse("competition:entry_edit", args=[entry.pk]), data, **FORGED
        )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Pendaftaran telah ditutup" in page
    assert "terlambat satu detik" in page
    assert not EntryAnswer.objects.filter(entry=entry, text="terlambat satu detik").exists()


def test_submit_one_second_before_deadline_is_accepted(competition, entry, staff_a):
    complete(entry, staff_a)
    closes = competition.submission_closes_at

    with time_machine.travel(closes - dt.timedelta(seconds=1), tick=False):
        response = signed_in(staff_a).post(
            reverse("competition:entry_submit", args=[entry.pk]), **FORGED
        )

    entry.refresh_from_db()
    assert response.status_code == 302
    assert entry.status == EntryStatus.SUBMITTED
    assert entry.submitted_at == closes - dt.timedelta(seconds=1)
    assert entry.reference


def test_submit_at_deadline_second_is_refused(competition, entry, staff_a):
    complete(entry, staff_a)
    closes = competition.submission_closes_at

    with time_machine.travel(closes, tick=False):
        response = signed_in(staff_a).post(
            reverse("competition:entry_submit", args=[entry.pk]), follow=True, **FORGED
        )

    entry.refresh_from_db()
    assert "Pendaftaran telah ditutup" in response.content.decode()
    assert entry.status == EntryStatus.DRAFT
    assert entry.reference is None
    assert not StatusChange.objects.filter(entry=entry).exists()


def test_two_tabs_saving_never_silently_overwrite(entry, staff_a):
    url = reverse("competition:entry_edit", args=[entry.pk])
    first, second = signed_in(staff_a), signed_in(staff_a)
    loaded_version = entry.version

    first.post(url, editor_post(entry, {"ringkasan": "dari tab pertama"}, version=loaded_version))
    response = second.post(
        url, editor_post(entry, {"ringkasan": "dari tab kedua"}, version=loaded_version)
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "sudah diubah di tab atau oleh pengguna lain" in page
    assert "dari tab kedua" in page
    assert EntryAnswer.objects.get(entry=entry, section__key="ringkasan").text == (
        "dari tab pertama"
    )


def test_second_tab_may_overwrite_after_seeing_the_warning(entry, staff_a):
    url = reverse("competition:entry_edit", args=[entry.pk])
    first, second = signed_in(staff_a), signed_in(staff_a)
    loaded_version = entry.version
    first.post(url, editor_post(entry, {"ringkasan": "dari tab pertama"}, version=loaded_version))
    warned = second.post(
        url, editor_post(entry, {"ringkasan": "dari tab kedua"}, version=loaded_version)
    )

    resend_version = warned.context["form"]["version"].value()
    second.post(url, editor_post(entry, {"ringkasan": "dari tab kedua"}, version=resend_version))

    assert EntryAnswer.objects.get(entry=entry, section__key="ringkasan").text == "dari tab kedua"
