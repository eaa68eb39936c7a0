import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfReader

from competition import demo
from competition.models import (
    Assignment,
    Attachment,
    Award,
    AwardLevel,
    Competition,
    ConflictDeclaration,
    Entry,
    EntryStatus,
    Forwarding,
    ModerationNote,
    Outcome,
    ResultSnapshot,
    ScoreSheet,
    SheetStatus,
    StageKind,
    StatusChange,
)
from competition.selectors.snapshot import published_snapshot
from competition.services.verification import result_verify
from competition.uploads import check_upload
from opd import demo as opd_demo


def demo_user(email):
    return opd_demo.User.objects.get(email=email)


@pytest.fixture
def seeded(db):
    opd_demo.seed()
    return demo.seed()


def test_demo_seed_opens_this_years_competition_and_keeps_last_years(seeded):
    year = timezone.localdate().year
    current = Competition.objects.get(year=year)
    previous = Competition.objects.get(year=year - 1)

    assert current.is_submission_open()
    left = current.submission_closes_at - timezone.now()
    assert dt.timedelta(days=20) < left < dt.timedelta(days=22)
    assert set(current.categories.values_list("name", flat=True)) == set(demo.CATEGORIES)
    assert current.sections.count() == 12
    assert current.stages.exists()
    assert previous.submission_closes_at < timezone.now()
    assert previous.sections.count() == 12


def test_demo_seed_has_entries_at_every_screening_status(seeded):
    year = timezone.localdate().year
    statuses = set(Entry.objects.filter(competition__year=year).values_list("status", flat=True))

    assert statuses == {
        EntryStatus.DRAFT,
        EntryStatus.SUBMITTED,
        EntryStatus.RETURNED,
        EntryStatus.PASSED,
        EntryStatus.FAILED,
    }
    assert Entry.objects.filter(competition__year=year).count() == 12
    assert Entry.objects.filter(competition__year=year - 1, status="finalist").count() == 4
    returned = Entry.objects.get(competition__year=year, status=EntryStatus.RETURNED)
    assert returned.innovation.brand_name == "Pete Jawa Rasa Timun"
    assert returned.agency.name == "UPT Puskesmas Gedongan"
    assert returned.revision_due_at > timezone.now()
    assert "ditandatangani" in returned.screening_reason
    submitted = Entry.objects.exclude(status=EntryStatus.DRAFT).filter(competition__year=year)
    assert all(e.reference.startswith(f"KIPP-{year}-") for e in submitted)
    assert StatusChange.objects.filter(entry=returned).count() == 2


def test_demo_seed_records_the_seed_articles_innovations_and_awards(seeded):
    expected = {
        ("Posko Paman", "UPT Puskesmas Wates", "national", 2019),
        (
            "Gayatri",
            "Dinas Kesehatan, Pengendalian Penduduk dan Keluarga Berencana",
            "national",
            2021,
        ),
        ("Bapak Samerto", "Dinas Lingkungan Hidup", "province", 2018),
        ("Pete Jawa Rasa Timun", "UPT Puskesmas Gedongan", "province", 2022),
        (
            "Kencana Mojo",
            "Dinas Kesehatan, Pengendalian Penduduk dan Keluarga Berencana",
            "province",
            2025,
        ),
    }

    found = set(
        Award.objects.values_list(
            "innovation__brand_name", "innovation__agency__name", "level", "year"
        )
    )

    assert expected <= found
    assert Award.objects.get(innovation__brand_name="Kencana Mojo").label == "Top 45 Kovablik Jatim"
    gayatri = Entry.objects.get(
        innovation__brand_name="Gayatri", competition__year=timezone.localdate().year
    )
    assert gayatri.innovation.brand_long_form == "gerbang layanan terpadu dan terintegrasi"
    assert gayatri.answers.filter(section__key="ringkasan", word_count__gt=10).exists()


def test_demo_seed_attachments_are_valid_pdfs(seeded):
    attachment = Attachment.objects.filter(content_type="application/pdf").first()

    with attachment.file.open("rb") as handle:
        data = handle.read()

    assert len(PdfReader(io.BytesIO(data)).pages) == 1
    checked = check_upload(SimpleUploadedFile("sk.pdf", data), allowed_types=["pdf"], max_size_mb=2)
    assert checked.content_type == "application/pdf"
    entry = Entry.objects.get(
        innovation__brand_name="Posko Paman", competition__year=timezone.localdate().year
    )
    assert (
        entry.attachments.count()
        == entry.competition.attachment_kinds.filter(required=True).count()
    )


SEEDED_MODELS = [
    Entry,
    Attachment,
    Award,
    StatusChange,
    Assignment,
    ConflictDeclaration,
    ScoreSheet,
    ModerationNote,
    ResultSnapshot,
    Forwarding,
    Outcome,
]


def test_demo_seed_twice_adds_nothing(seeded):
    counts = [model.objects.count() for model in SEEDED_MODELS]
    sheets = list(ScoreSheet.objects.values_list("pk", "status", "version"))

    opd_demo.seed()
    result = demo.seed()

    assert [model.objects.count() for model in SEEDED_MODELS] == counts
    assert list(ScoreSheet.objects.values_list("pk", "status", "version")) == sheets
    assert result["entries_created"] == 0


def test_demo_seed_submission_dates_agree_with_the_status_history(seeded):
    sent = Entry.objects.exclude(submitted_at=None)

    for entry in sent:
        change = StatusChange.objects.get(entry=entry, to_status=EntryStatus.SUBMITTED)
        assert change.at == entry.submitted_at
        assert entry.submitted_at < timezone.now()
        later = StatusChange.objects.filter(entry=entry).exclude(pk=change.pk)
        assert all(c.at > entry.submitted_at for c in later)
    assert sent.count() == 16


def test_demo_judge_has_work_in_every_state_on_an_open_desk(seeded):
    judge = demo_user("juri@demo.kovablik.id")
    year = timezone.localdate().year

    assignments = Assignment.objects.filter(judge=judge, stage__competition__year=year)

    stage = assignments.first().stage
    assert stage.kind == StageKind.DESK and stage.is_open()
    assert stage.closes_at > stage.competition.submission_closes_at
    assert assignments.count() == 3
    assert all(a.entry.status == EntryStatus.PASSED for a in assignments)
    sheets = ScoreSheet.objects.filter(stage=stage, judge=judge)
    assert sorted(sheets.values_list("status", flat=True)) == [
        SheetStatus.DRAFT,
        SheetStatus.SUBMITTED,
    ]
    assert ConflictDeclaration.objects.filter(stage=stage, judge=judge).count() == 2


def test_demo_judge_desk_lists_the_open_assignments(seeded, client):
    judge = demo_user("juri@demo.kovablik.id")
    client.force_login(judge)

    response = client.get("/penilaian/")

    page = response.content.decode()
    for assignment in Assignment.objects.filter(judge=judge, stage__closed_at=None):
        assert assignment.entry.innovation.title in page


def test_demo_last_year_result_is_published_with_three_juara(seeded):
    previous = Competition.objects.get(year=timezone.localdate().year - 1)

    snapshot = published_snapshot(previous)

    assert snapshot is not None and snapshot.published_at < timezone.now()
    assert snapshot.decree_number.startswith("188.45/123/417.101/")
    assert result_verify(snapshot)
    winners = [
        (p.title, p.entry.innovation.brand_name)
        for p in snapshot.placements.select_related("entry__innovation").order_by("rank")[:3]
    ]
    assert winners == [
        ("juara_1", "Antar Wahidin"),
        ("juara_2", "Wadul Mojo"),
        ("juara_3", "Sigap Banjir"),
    ]
    assert all(stage.is_frozen for stage in previous.stages.all())
    assert all(stage.closes_at < timezone.now() for stage in previous.stages.all())
    assert ScoreSheet.objects.filter(stage__competition=previous, status="draft").count() == 0
    assert ModerationNote.objects.filter(stage__competition=previous).exists()
    city = Award.objects.filter(level=AwardLevel.CITY, year=previous.year)
    assert sorted(city.values_list("innovation__brand_name", "label")) == [
        ("Antar Wahidin", "Juara I"),
        ("Sigap Banjir", "Juara III"),
        ("Wadul Mojo", "Juara II"),
    ]
    assert all(a.decree_number == snapshot.decree_number for a in city)
    assert Forwarding.objects.filter(entry__competition=previous).count() == 3
    assert Outcome.objects.filter(forwarding__entry__competition=previous).count() == 1


def test_demo_announcement_page_shows_last_years_juara(seeded, client):
    year = timezone.localdate().year - 1
    juara_1 = Entry.objects.get(competition__year=year, innovation__brand_name="Antar Wahidin")

    response = client.get(f"/pengumuman/{year}/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Juara I" in page
    assert juara_1.innovation.title in page
