"""The OPD journey's services: drafts, submission, reference numbers, deadline, files."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import DatabaseError

from competition.models import Attachment, Entry, EntryAnswer, EntryStatus, GroupCode, StatusChange
from competition.services import entries as svc
from tests import factories as f
from tests.uploads import attach, image_bytes, pdf_bytes, upload


@pytest.fixture
def competition(db):
    return f.CompetitionFactory(open=True)


def media_files(settings):
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_entry_open_creates_a_draft_for_the_innovation(competition, agency_a, staff_a):
    innovation = f.InnovationFactory(agency=agency_a)

    entry = svc.entry_open(
        innovation=innovation,
        competition=competition,
        group=competition.groups.get(code=GroupCode.UMUM),
        category=competition.categories.first(),
        user=staff_a,
    )

    assert (entry.status, entry.agency, entry.created_by) == (EntryStatus.DRAFT, agency_a, staff_a)


def test_entry_open_refuses_a_second_entry_of_the_same_innovation(competition, agency_a, staff_a):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
    )

    with pytest.raises(ValidationError) as excinfo:
        svc.entry_open(
            innovation=entry.innovation,
            competition=competition,
            group=competition.groups.get(code=GroupCode.UMUM),
            category=competition.categories.first(),
            user=staff_a,
        )

    assert excinfo.value.code == "exists"


def test_entry_open_respects_the_limit_of_entries_per_agency(agency_a, staff_a, db):
    competition = f.CompetitionFactory(open=True, max_entries_per_agency=1)
    f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
    )

    with pytest.raises(ValidationError) as excinfo:
        svc.entry_open(
            innovation=f.InnovationFactory(agency=agency_a),
            competition=competition,
            group=competition.groups.get(code=GroupCode.UMUM),
            category=competition.categories.first(),
            user=staff_a,
        )

    assert excinfo.value.code == "quota"
    assert "batasnya 1 per OPD" in excinfo.value.messages[0]


def test_entry_open_refuses_an_invitation_only_group(competition, agency_a, staff_a):
    with pytest.raises(ValidationError):
        svc.entry_open(
            innovation=f.InnovationFactory(agency=agency_a),
            competition=competition,
            group=competition.groups.get(invitation_only=True),
            category=competition.categories.first(),
            user=staff_a,
        )


def test_entry_save_draft_keeps_over_limit_text_and_counts_words(competition, agency_a, staff_a):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
    )
    section = competition.sections.get(key="ringkasan")

    svc.entry_save_draft(
        entry=entry,
        user=staff_a,
        version=entry.version,
        answers={section.pk: "satu dua tiga empat lima enam tujuh"},
        video_url="bukan tautan",
    )

    answer = EntryAnswer.objects.get(entry=entry, section=section)
    assert (answer.text, answer.word_count) == ("satu dua tiga empat lima enam tujuh", 7)
    entry.refresh_from_db()
    assert (entry.video_url, entry.version) == ("bukan tautan", 2)


def test_entry_save_draft_refuses_a_stale_version(competition, agency_a, staff_a):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
    )
    section = competition.sections.get(key="ringkasan")
    svc.entry_save_draft(entry=entry, user=staff_a, version=1, answers={section.pk: "tab satu"})

    with pytest.raises(ValidationError) as excinfo:
        svc.entry_save_draft(entry=entry, user=staff_a, version=1, answers={section.pk: "tab dua"})

    assert excinfo.value.code == "stale"
    assert EntryAnswer.objects.get(entry=entry, section=section).text == "tab satu"


def test_entry_submit_gives_sequential_references_and_records_the_change(
    competition, agency_a, agency_b, staff_a, staff_b, django_capture_on_commit_callbacks
):
    first = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
        complete=True,
    )
    second = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_b,
        category=competition.categories.first(),
        complete=True,
    )

    with django_capture_on_commit_callbacks(execute=True):
        svc.entry_submit(entry=first, user=staff_a)
        svc.entry_submit(entry=second, user=staff_b)

    year = competition.year
    assert first.reference == f"KIPP-{year}-0001"
    assert second.reference == f"KIPP-{year}-0002"
    assert first.status == EntryStatus.SUBMITTED
    assert first.submitted_at is not None
    change = StatusChange.objects.get(entry=first)
    assert (change.from_status, change.to_status, change.actor) == (
        EntryStatus.DRAFT,
        EntryStatus.SUBMITTED,
        staff_a,
    )
    assert [m.to for m in mail.outbox] == [[staff_a.email], [staff_b.email]]
    assert f"KIPP-{year}-0001" in mail.outbox[0].subject


def test_entry_submit_twice_makes_one_submission(competition, agency_a, staff_a):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
        complete=True,
    )

    svc.entry_submit(entry=entry, user=staff_a)
    svc.entry_submit(entry=Entry.objects.get(pk=entry.pk), user=staff_a)

    assert StatusChange.objects.filter(entry=entry).count() == 1
    assert Entry.objects.filter(reference__isnull=False).count() == 1


def test_entry_submit_uses_the_competition_prefix(agency_a, staff_a, db):
    competition = f.CompetitionFactory(open=True, reference_prefix="KOVA")

    entry = svc.entry_submit(
        entry=f.EntryFactory(
            competition=competition,
            innovation__agency=agency_a,
            category=competition.categories.first(),
            complete=True,
        ),
        user=staff_a,
    )

    assert entry.reference == f"KOVA-{competition.year}-0001"


def test_entry_submit_lists_every_problem(competition, agency_a, staff_a):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
    )

    with pytest.raises(ValidationError) as excinfo:
        svc.entry_submit(entry=entry, user=staff_a)

    codes = {e.code for e in excinfo.value.error_list}
    assert codes == {
        "section:ringkasan",
        "section:latar-belakang",
        "attachment:sk",
        "declaration",
    }
    entry.refresh_from_db()
    assert (entry.status, entry.reference) == (EntryStatus.DRAFT, None)


def test_entry_withdraw_returns_to_draft_keeping_the_reference(competition, agency_a, staff_a):
    entry = svc.entry_submit(
        entry=f.EntryFactory(
            competition=competition,
            innovation__agency=agency_a,
            category=competition.categories.first(),
            complete=True,
        ),
        user=staff_a,
    )
    reference = entry.reference

    svc.entry_withdraw(entry=entry, user=staff_a)
    resubmitted = svc.entry_submit(entry=entry, user=staff_a)

    assert resubmitted.reference == reference
    assert resubmitted.status == EntryStatus.SUBMITTED
    assert list(StatusChange.objects.filter(entry=entry).values_list("to_status", flat=True)) == [
        EntryStatus.SUBMITTED,
        EntryStatus.DRAFT,
        EntryStatus.SUBMITTED,
    ]


def test_deadline_boundary_second_refuses_every_change(competition, agency_a, staff_a):
    closes = competition.submission_closes_at
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
        complete=True,
    )
    submitted = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
        complete=True,
    )
    svc.entry_submit(entry=submitted, user=staff_a)
    section = competition.sections.get(key="ringkasan")
    attachment = entry.attachments.get()

    with time_machine.travel(closes - dt.timedelta(seconds=1), tick=False):
        svc.entry_save_draft(entry=entry, user=staff_a, version=1, answers={section.pk: "masih"})
    with time_machine.travel(closes, tick=False):
        attempts = [
            lambda: svc.entry_save_draft(
                entry=entry, user=staff_a, version=2, answers={section.pk: "terlambat"}
            ),
            lambda: attach(
                entry=entry,
                kind=competition.attachment_kinds.get(key="foto"),
                upload=upload("foto.png", image_bytes()),
                user=staff_a,
            ),
            lambda: svc.attachment_delete(attachment=attachment, user=staff_a),
            lambda: svc.entry_submit(entry=entry, user=staff_a),
            lambda: svc.entry_withdraw(entry=submitted, user=staff_a),
        ]
        for attempt in attempts:
            with pytest.raises(ValidationError) as excinfo:
                attempt()
            assert excinfo.value.code == "closed"

    assert EntryAnswer.objects.get(entry=entry, section=section).text == "masih"
    assert entry.attachments.count() == 1
    assert Entry.objects.get(pk=entry.pk).status == EntryStatus.DRAFT
    assert Entry.objects.get(pk=submitted.pk).status == EntryStatus.SUBMITTED


def test_returned_entry_may_be_resubmitted_until_its_revision_date(
    competition, agency_a, staff_a, organiser
):
    from competition.services.status import entry_set_status

    entry = svc.entry_submit(
        entry=f.EntryFactory(
            competition=competition,
            innovation__agency=agency_a,
            category=competition.categories.first(),
            complete=True,
        ),
        user=staff_a,
    )
    due = competition.submission_closes_at + dt.timedelta(days=5)
    entry_set_status(
        entry=entry,
        to_status=EntryStatus.RETURNED,
        actor=organiser,
        reason="Lengkapi SK",
        revision_due_at=due,
    )

    with time_machine.travel(due, tick=False), pytest.raises(ValidationError):
        svc.entry_submit(entry=entry, user=staff_a)
    with time_machine.travel(due - dt.timedelta(seconds=1), tick=False):
        svc.entry_submit(entry=entry, user=staff_a)

    assert Entry.objects.get(pk=entry.pk).status == EntryStatus.SUBMITTED


def test_submitted_entry_is_locked_against_drafts_and_files(competition, agency_a, staff_a):
    entry = svc.entry_submit(
        entry=f.EntryFactory(
            competition=competition,
            innovation__agency=agency_a,
            category=competition.categories.first(),
            complete=True,
        ),
        user=staff_a,
    )

    with pytest.raises(ValidationError) as excinfo:
        svc.entry_save_draft(entry=entry, user=staff_a, version=entry.version, answers={})
    assert excinfo.value.code == "locked"
    with pytest.raises(ValidationError):
        svc.attachment_delete(attachment=entry.attachments.get(), user=staff_a)


def test_attachment_add_stores_under_an_opaque_name(competition, agency_a, staff_a, settings):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
    )

    attachment = attach(
        entry=entry,
        kind=competition.attachment_kinds.get(key="sk"),
        upload=upload("../../Surat <b>SK.pdf", pdf_bytes()),
        user=staff_a,
    )

    assert attachment.original_name == "Surat <b>SK.pdf"
    assert "Surat" not in attachment.file.name
    assert attachment.file.name.startswith(f"entries/{competition.year}/{entry.pk}/")
    assert [p.name for p in media_files(settings)] == [attachment.file.name.rsplit("/", 1)[1]]


def test_attachment_add_refuses_more_files_than_the_kind_allows(competition, agency_a, staff_a):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
    )
    attach(
        entry=entry,
        kind=competition.attachment_kinds.get(key="sk"),
        upload=upload("a.pdf", pdf_bytes()),
        user=staff_a,
    )

    with pytest.raises(ValidationError) as excinfo:
        attach(
            entry=entry,
            kind=competition.attachment_kinds.get(key="sk"),
            upload=upload("b.pdf", pdf_bytes()),
            user=staff_a,
        )

    assert excinfo.value.code == "max_files"


def test_attachment_add_leaves_no_orphan_file_when_the_row_fails(
    competition, agency_a, staff_a, settings, attachment_insert_fails
):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
    )

    with pytest.raises(DatabaseError):
        attach(
            entry=entry,
            kind=competition.attachment_kinds.get(key="sk"),
            upload=upload("sk.pdf", pdf_bytes()),
            user=staff_a,
        )

    assert media_files(settings) == []


def test_attachment_add_turns_a_storage_failure_into_a_clear_message(
    competition, agency_a, staff_a, settings, monkeypatch
):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
    )

    def disk_full(self, name, content):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", disk_full)
    with pytest.raises(ValidationError) as excinfo:
        attach(
            entry=entry,
            kind=competition.attachment_kinds.get(key="sk"),
            upload=upload("sk.pdf", pdf_bytes()),
            user=staff_a,
        )

    assert excinfo.value.code == "storage"
    assert "gagal disimpan" in excinfo.value.messages[0]
    assert Attachment.objects.count() == 0


def test_attachment_add_removes_a_partly_written_file_when_the_disk_fills(
    competition, agency_a, staff_a, settings, monkeypatch
):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
    )
    real_save = FileSystemStorage._save

    class FillsUp:
        def __init__(self, content):
            self.content = content

        def chunks(self, chunk_size=None):
            yield self.content.read(100)
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(
        FileSystemStorage,
        "_save",
        lambda self, name, content: real_save(self, name, FillsUp(content)),
    )
    with pytest.raises(ValidationError) as excinfo:
        attach(
            entry=entry,
            kind=competition.attachment_kinds.get(key="sk"),
            upload=upload("sk.pdf", pdf_bytes()),
            user=staff_a,
        )

    assert excinfo.value.code == "storage"
    assert media_files(settings) == []


def test_attachment_delete_removes_row_and_file_after_commit(
    competition, agency_a, staff_a, settings, django_capture_on_commit_callbacks
):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
    )
    attachment = attach(
        entry=entry,
        kind=competition.attachment_kinds.get(key="sk"),
        upload=upload("a.pdf", pdf_bytes()),
        user=staff_a,
    )

    with django_capture_on_commit_callbacks(execute=True):
        svc.attachment_delete(attachment=attachment, user=staff_a)

    assert Attachment.objects.count() == 0
    assert media_files(settings) == []


def test_entry_submit_turns_a_reference_clash_into_a_retry_message(
    competition, agency_a, agency_b, staff_a, staff_b, monkeypatch
):
    svc.entry_submit(
        entry=f.EntryFactory(
            competition=competition,
            innovation__agency=agency_a,
            category=competition.categories.first(),
            complete=True,
        ),
        user=staff_a,
    )
    second = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_b,
        category=competition.categories.first(),
        complete=True,
    )
    monkeypatch.setattr(svc, "_next_reference", lambda competition: f"KIPP-{competition.year}-0001")

    with pytest.raises(ValidationError) as excinfo:
        svc.entry_submit(entry=second, user=staff_b)

    assert excinfo.value.code == "reference"
    second.refresh_from_db()
    assert (second.status, second.reference) == (EntryStatus.DRAFT, None)


def test_entry_withdraw_of_a_draft_is_refused(competition, agency_a, staff_a):
    with pytest.raises(ValidationError) as excinfo:
        svc.entry_withdraw(
            entry=f.EntryFactory(
                competition=competition,
                innovation__agency=agency_a,
                category=competition.categories.first(),
            ),
            user=staff_a,
        )

    assert excinfo.value.code == "status"
