"""The judges' scoring desk at /penilaian/: access, "Penilaian saya", declaring, scoring."""

# The shared fixtures are imported by name, which pyflakes reads as redefinitions.
# ruff: noqa: F811

from decimal import Decimal

import pytest
from django.contrib.admin.templatetags.admin_list import items_for_result, result_headers
from django.urls import reverse

from competition.models import (
    Assignment,
    Category,
    ConflictDeclaration,
    Entry,
    Innovation,
    Score,
    ScoreSheet,
    SheetStatus,
    innovation_facts,
)
from competition.selectors.judging import judge_desk_assignment
from competition.services.stages import stage_close
from tests import factories as f
from tests.competition.judging_fixtures import (  # noqa: F401
    assignment,
    criteria,
    declared,
    entry,
    stage,
)

# Every test here touches the database, some only through request.getfixturevalue,
# which pytest-django cannot see when it orders database tests before committing ones.
pytestmark = pytest.mark.django_db

DESK = "/penilaian/"


def desk_url(a):
    return reverse("judge_desk:competition_assignment_change", args=[a.pk])


def sheet_post(criteria, *, version=0, action="draft", first="80", second="7.5", note="Ada DPA"):
    return {
        "version": str(version),
        f"score_{criteria[0].pk}": first,
        f"comment_{criteria[0].pk}": "",
        f"score_{criteria[1].pk}": second,
        f"comment_{criteria[1].pk}": note,
        "general_comment": "Layak dikembangkan.",
        "action": action,
    }


# --- access ---


def test_anonymous_is_sent_to_the_portal_login(client):
    response = client.get(DESK, follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["staff_a", "organiser"])
def test_non_judges_get_404_on_the_desk(client, persona, request, assignment):
    client.force_login(request.getfixturevalue(persona))

    for url in (
        DESK,
        reverse("judge_desk:competition_assignment_changelist"),
        desk_url(assignment),
    ):
        response = client.get(url, follow=True)
        assert response.status_code == 404
        assert "Bank Sampah Digital" not in response.content.decode()


def test_judge_lands_on_penilaian_saya_from_home(client, judge, assignment):
    client.force_login(judge)

    response = client.get(reverse("home"), follow=True)

    assert response.redirect_chain[-1][0] == DESK
    assert "Penilaian saya" in response.content.decode()
    assert "Bank Sampah Digital" in response.content.decode()


def test_desk_shows_nothing_else_of_the_admin(client, judge):
    client.force_login(judge)

    assert client.get("/admin/").status_code == 302  # the organiser's admin: to login
    for url in (DESK + "opd/", DESK + "opd/user/", DESK + "competition/stage/"):
        assert client.get(url).status_code == 404


# --- "Penilaian saya" ---


def test_list_shows_only_my_assignments_in_open_stages(client, judge, other_judge, assignment):
    f.AssignmentFactory(
        stage=assignment.stage, judge=other_judge, entry__innovation__title="Milik Lain"
    )
    closed = f.StageFactory(competition=assignment.stage.competition)
    f.AssignmentFactory(stage=closed, judge=judge, entry__innovation__title="Tahap Beku")
    stage_close(stage=closed, actor=None, reason="Batas waktu penilaian habis.")
    client.force_login(judge)

    response = client.get(DESK + "competition/assignment/")

    page = response.content.decode()
    assert "Bank Sampah Digital" in page
    assert "Belum mulai" in page
    assert "Milik Lain" not in page
    assert "Tahap Beku" not in page


def test_stage_filter_lists_each_of_my_open_stages_once_in_order(client, judge, assignment):
    later = f.StageFactory(
        competition=assignment.stage.competition,
        order=assignment.stage.order + 1,
        name="Tahap Presentasi",
    )
    f.AssignmentFactory(stage=assignment.stage, judge=judge, entry__innovation__title="Kedua")
    f.AssignmentFactory(stage=later, judge=judge, entry__innovation__title="Presentasi Saya")
    client.force_login(judge)

    response = client.get(DESK + "competition/assignment/")
    choices = [label for _query, label in response.context["cl"].filter_specs[0].lookup_choices]
    filtered = client.get(DESK + "competition/assignment/", {"tahap": later.pk}).content.decode()

    assert choices == [assignment.stage.name, "Tahap Presentasi"]
    assert "Presentasi Saya" in filtered
    assert "Bank Sampah Digital" not in filtered


def test_category_filter_offers_my_categories_and_the_count_follows_the_filter(
    client, judge, assignment
):
    mine = f.AssignmentFactory(
        stage=assignment.stage,
        judge=judge,
        entry__innovation__title="Posko Paman",
        entry__category__name="Kesehatan",
    )
    f.AssignmentFactory(stage=assignment.stage, entry__category__name="Milik Juri Lain")
    client.force_login(judge)
    url = DESK + "competition/assignment/"

    listing = client.get(url)
    by_category = client.get(url, {"kategori": mine.entry.category_id})
    searched = client.get(url, {"q": "paman"})

    choices = [label for _query, label in listing.context["cl"].filter_specs[1].lookup_choices]
    ordered = Category.objects.filter(pk__in=[assignment.entry.category_id, mine.entry.category_id])
    assert choices == [c.name for c in ordered]
    assert listing.context["cl"].result_count == 2
    assert by_category.context["cl"].result_count == 1
    assert searched.context["cl"].result_count == 1
    assert "Bank Sampah Digital" not in by_category.content.decode()
    assert "Posko Paman" in by_category.content.decode()


def test_list_status_reflects_the_sheet(client, declared, criteria):
    ScoreSheet.objects.create(
        stage=declared.stage, entry=declared.entry, judge=declared.judge, status="submitted"
    )
    client.force_login(declared.judge)

    response = client.get(DESK + "competition/assignment/", {"status": "submitted"})

    assert "Bank Sampah Digital" in response.content.decode()
    response = client.get(DESK + "competition/assignment/", {"status": "not_started"})
    assert "Bank Sampah Digital" not in response.content.decode()


def test_list_search_by_reference_and_title(client, assignment, judge):
    f.AssignmentFactory(stage=assignment.stage, judge=judge, entry__innovation__title="Posko Paman")
    client.force_login(judge)

    by_ref = client.get(DESK + "competition/assignment/", {"q": "KIPP-2026-0001"}).content.decode()
    by_title = client.get(DESK + "competition/assignment/", {"q": "paman"}).content.decode()

    assert "Bank Sampah Digital" in by_ref and "Posko Paman" not in by_ref
    assert "Posko Paman" in by_title and "Bank Sampah Digital" not in by_title


@pytest.mark.parametrize(
    "trick",
    [
        "judge__id__exact",
        "judge",
        "judge__pk",
        "entry__assignments__judge__id__exact",
    ],
)
def test_changelist_lookup_tricks_never_show_other_judges_work(
    client, judge, other_judge, assignment, trick
):
    f.AssignmentFactory(
        stage=assignment.stage, judge=other_judge, entry__innovation__title="Milik Lain"
    )
    client.force_login(judge)

    response = client.get(DESK + "competition/assignment/", {trick: other_judge.pk})

    assert "Milik Lain" not in response.content.decode()


def test_list_query_count_does_not_grow_with_rows(
    client, judge, assignment, django_assert_num_queries
):
    client.force_login(judge)
    with django_assert_num_queries(4):
        one = client.get(DESK + "competition/assignment/")
    for _ in range(15):
        f.AssignmentFactory(stage=assignment.stage, judge=judge)

    with django_assert_num_queries(4):
        many = client.get(DESK + "competition/assignment/")

    assert one.content.decode().count("desk-status-not_started") == 1
    assert many.content.decode().count("desk-status-not_started") == 16
    text = many.content.decode()
    assert all(a.entry.innovation.title in text for a in judge.assignments.all())


def test_list_pages_are_the_sitting_order_read_once(
    client, judge, assignment, django_assert_num_queries
):
    """Unfiltered, the list's rows come from the one read of the sittings (25 a page);
    filtered, from the admin's query: both in the same order, statuses included."""
    for n in range(2, 28):
        f.AssignmentFactory(
            stage=assignment.stage,
            judge=judge,
            entry__reference=f"KIPP-2026-{n:04d}",
            entry__titled_by_reference=True,
        )
    f.ScoreSheetFactory(stage=assignment.stage, entry=assignment.entry, judge=judge, submitted=True)
    client.force_login(judge)
    url = DESK + "competition/assignment/"

    with django_assert_num_queries(4):
        first = client.get(url)
    with django_assert_num_queries(4):
        second = client.get(url, {"p": 2})
    filtered = client.get(url, {"tahap": assignment.stage_id})
    filtered_second = client.get(url, {"tahap": assignment.stage_id, "p": 2})

    def references(response):
        return [a.entry.reference for a in response.context["cl"].result_list]

    expected = ["KIPP-2026-0001"] + [f"KIPP-2026-{n:04d}" for n in range(2, 28)]
    assert references(first) + references(second) == expected
    assert references(filtered) + references(filtered_second) == expected
    assert first.context["cl"].result_count == 27
    assert first.content.decode().count("desk-status-submitted") == 1
    assert filtered.content.decode().count("desk-status-submitted") == 1
    assert "KIPP-2026-0027" in second.content.decode()


@pytest.mark.parametrize("query", [{}, {"status": "draft"}, {"o": "-6"}])
def test_list_rows_are_written_as_the_admin_writes_them(client, judge, declared, query):
    """``JudgeDeskAdmin.result_row`` writes each row as the admin's ``items_for_result``
    would, escaping, empty values and preserved filters included."""
    odd = f.AssignmentFactory(
        stage=declared.stage,
        judge=judge,
        entry__reference="",
        entry__innovation__title="Sampah & <Daur> Ulang",
        entry__agency__short_name="",
    )
    f.ScoreSheetFactory(stage=declared.stage, entry=odd.entry, judge=judge)
    f.ScoreSheetFactory(
        stage=declared.stage,
        entry=f.AssignmentFactory(stage=declared.stage, judge=judge).entry,
        judge=judge,
        submitted=True,
    )
    client.force_login(judge)

    response = client.get(DESK + "competition/assignment/", query)

    cl = response.context["cl"]
    admins = ["".join(items_for_result(cl, row, None)) for row in cl.result_list]
    assert ["".join(row) for row in cl.result_table()["results"]] == admins
    assert list(cl.result_table()["result_headers"]) == list(result_headers(cl))
    assert len(admins) == (1 if query.get("status") else 3)
    assert "Sampah &amp; &lt;Daur&gt; Ulang" in response.content.decode()


# --- opening an entry ---


def test_other_judges_assignment_is_404_by_url(client, assignment, other_judge):
    client.force_login(other_judge)

    response = client.get(desk_url(assignment))

    assert response.status_code == 404
    assert "Bank Sampah Digital" not in response.content.decode()


def test_other_judge_cannot_post_a_sheet_to_my_assignment(client, declared, criteria, other_judge):
    client.force_login(other_judge)

    response = client.post(desk_url(declared), sheet_post(criteria, action="submit"))

    assert response.status_code == 404
    assert not ScoreSheet.objects.exists()


def test_opening_asks_for_the_conflict_declaration_first(client, assignment):
    client.force_login(assignment.judge)

    response = client.get(desk_url(assignment))

    page = response.content.decode()
    assert "Pernyataan konflik kepentingan" in page
    assert "Warga menabung sampah." not in page
    # Declaring a conflict cannot be undone by the judge: the browser asks first.
    assert 'data-confirm-if="decision=conflict"' in page


def test_declaring_no_conflict_opens_the_proposal_and_sheet(client, assignment, criteria):
    client.force_login(assignment.judge)

    response = client.post(desk_url(assignment), {"decision": "none"}, follow=True)

    page = response.content.decode()
    assert ConflictDeclaration.objects.get().has_conflict is False
    assert "Warga menabung sampah." in page
    assert "3 / 200 kata" in page
    assert "https://www.youtube.com/watch?v=abc" in page
    assert 'min="1" max="10" step="0.01"' in page
    assert "Baru?" in page  # guidance
    assert "Simpan draf" in page and "Kirim" in page


def test_declaration_page_and_post_make_a_fixed_number_of_queries(
    client, assignment, criteria, django_assert_num_queries
):
    """The one assignment is read by its own lookups (``judge_desk_assignment``), not by
    the desk's list query: pinned so that a second read of it shows."""
    client.force_login(assignment.judge)

    with django_assert_num_queries(3):
        page = client.get(desk_url(assignment))
    with django_assert_num_queries(10):
        declared = client.post(desk_url(assignment), {"decision": "none"})

    assert "Pernyataan konflik kepentingan" in page.content.decode()
    assert declared.status_code == 302
    assert ConflictDeclaration.objects.get(judge=assignment.judge).has_conflict is False


def test_declaring_a_conflict_needs_a_reason_then_removes_the_entry(client, assignment):
    client.force_login(assignment.judge)

    refused = client.post(desk_url(assignment), {"decision": "conflict", "reason": ""})
    assert "Tuliskan alasan" in refused.content.decode()
    assert Assignment.objects.filter(pk=assignment.pk).exists()

    response = client.post(
        desk_url(assignment),
        {"decision": "conflict", "reason": "Saya pembina inovasi ini"},
        follow=True,
    )

    assert "dilepas dari daftar" in response.content.decode()
    assert "Bank Sampah Digital" not in response.content.decode().split("messagelist")[-1]
    assert not Assignment.objects.filter(pk=assignment.pk).exists()
    assert client.get(desk_url(assignment)).status_code == 404


def test_attachments_link_to_the_download_the_judge_may_use(client, declared, criteria):
    attachment = f.AttachmentFactory(entry=declared.entry, original_name="sk-tim.pdf")
    client.force_login(declared.judge)

    page = client.get(desk_url(declared)).content.decode()
    url = reverse("competition:attachment_download", args=[attachment.pk])

    assert url in page
    download = client.get(url)
    body = b"".join(download.streaming_content)
    download.close()
    assert body.startswith(b"%PDF")


def test_attachment_is_404_to_a_judge_who_has_not_declared_yet(client, assignment):
    attachment = f.AttachmentFactory(entry=assignment.entry, original_name="sk-tim.pdf")
    client.force_login(assignment.judge)

    response = client.get(reverse("competition:attachment_download", args=[attachment.pk]))

    assert response.status_code == 404
    assert b"%PDF" not in response.content


def test_attachment_is_404_to_the_judge_once_the_stage_closed(client, declared, organiser):
    attachment = f.AttachmentFactory(entry=declared.entry, original_name="sk-tim.pdf")
    stage_close(stage=declared.stage, actor=organiser, reason="Batas waktu penilaian habis.")
    client.force_login(declared.judge)

    response = client.get(reverse("competition:attachment_download", args=[attachment.pk]))

    assert response.status_code == 404
    assert b"%PDF" not in response.content


def test_judge_never_sees_other_judges_scores(client, declared, criteria, other_judge):
    f.AssignmentFactory(stage=declared.stage, entry=declared.entry, judge=other_judge)
    other = ScoreSheet.objects.create(
        stage=declared.stage, entry=declared.entry, judge=other_judge, general_comment="RAHASIA"
    )
    Score.objects.create(sheet=other, criterion=criteria[0], value=Decimal("13.37"))
    client.force_login(declared.judge)

    page = client.get(desk_url(declared)).content.decode()

    assert "RAHASIA" not in page
    assert "13.37" not in page and "13,37" not in page


# --- scoring ---


def test_draft_keeps_partial_input(client, declared, criteria):
    client.force_login(declared.judge)

    response = client.post(
        desk_url(declared), sheet_post(criteria, second="", note=""), follow=True
    )

    sheet = ScoreSheet.objects.get()
    assert sheet.status == SheetStatus.DRAFT
    assert list(sheet.scores.values_list("value", flat=True)) == [Decimal("80")]
    assert "Draf tersimpan." in response.content.decode()


def test_submit_with_missing_criterion_shows_message_and_keeps_input(client, declared, criteria):
    client.force_login(declared.judge)

    response = client.post(
        desk_url(declared), sheet_post(criteria, action="submit", first="", note="catatan saya")
    )

    page = response.content.decode()
    assert "Isikan nilai untuk kriteria ini sebelum mengirim." in page
    assert "catatan saya" in page
    assert 'value="7.5"' in page
    assert not ScoreSheet.objects.exists()


def test_out_of_range_is_refused_next_to_the_field(client, declared, criteria):
    client.force_login(declared.judge)

    response = client.post(desk_url(declared), sheet_post(criteria, second="11"))

    page = response.content.decode()
    assert "Nilai tidak boleh lebih dari 10" in page
    assert 'value="11"' in page
    assert not ScoreSheet.objects.exists()


def test_missing_required_comment_is_refused_on_submit(client, declared, criteria):
    client.force_login(declared.judge)

    response = client.post(desk_url(declared), sheet_post(criteria, action="submit", note=""))

    assert "Catatan wajib diisi" in response.content.decode()
    assert not ScoreSheet.objects.exists()


def test_submit_complete_sheet_returns_to_the_list(client, declared, criteria):
    client.force_login(declared.judge)

    response = client.post(desk_url(declared), sheet_post(criteria, action="submit"), follow=True)

    sheet = ScoreSheet.objects.get()
    assert sheet.status == SheetStatus.SUBMITTED
    assert sheet.general_comment == "Layak dikembangkan."
    page = response.content.decode()
    assert "Lembar penilaian dikirim" in page
    assert "desk-status-submitted" in page


def test_stale_tab_is_refused_and_typed_values_reshown(client, declared, criteria):
    client.force_login(declared.judge)
    client.post(desk_url(declared), sheet_post(criteria, first="60"))  # tab 1 saves

    response = client.post(desk_url(declared), sheet_post(criteria, first="95"))  # tab 2, old

    page = response.content.decode()
    assert "lembar ini telah diubah di tab/perangkat lain" in page.lower()
    assert 'value="95"' in page
    assert "Nilai tersimpan saat ini" in page
    assert ScoreSheet.objects.get().scores.get(criterion=criteria[0]).value == Decimal("60")
    # The re-shown form carries the current version, so saving again is deliberate.
    again = client.post(desk_url(declared), sheet_post(criteria, first="95", version=1))
    assert again.status_code == 302
    assert ScoreSheet.objects.get().scores.get(criterion=criteria[0]).value == Decimal("95")


def test_judge_reopens_a_submitted_sheet_while_open(client, declared, criteria):
    client.force_login(declared.judge)
    client.post(desk_url(declared), sheet_post(criteria, action="submit"))

    page = client.get(desk_url(declared)).content.decode()
    assert "Buka kembali untuk diubah" in page
    client.post(desk_url(declared), {"action": "reopen"})

    assert ScoreSheet.objects.get().status == SheetStatus.DRAFT


def test_closed_stage_hides_the_entry_and_refuses_posts(client, declared, criteria, organiser):
    client.force_login(declared.judge)
    client.post(desk_url(declared), sheet_post(criteria, action="submit"))
    stage_close(stage=declared.stage, actor=organiser, reason="Batas waktu penilaian habis.")

    assert client.get(desk_url(declared)).status_code == 404
    assert client.post(desk_url(declared), {"action": "reopen"}).status_code == 404
    assert ScoreSheet.objects.get().status == SheetStatus.SUBMITTED


@pytest.mark.parametrize("frozen", [False, True])
def test_a_desk_page_reads_what_it_shows_of_its_assignment_at_once(
    judge, declared, frozen, django_assert_num_queries
):
    """``judge_desk_assignment`` reads only what a desk page shows (``DESK_SHOWN``): all
    of it, the judged facts live from the innovation or frozen on the entry."""
    if frozen:
        entry = declared.entry
        Entry.objects.filter(pk=entry.pk).update(facts=innovation_facts(entry.innovation))

    with django_assert_num_queries(1):
        read = judge_desk_assignment(judge, declared.pk)
    with django_assert_num_queries(0):
        entry, stage, judged = read.entry, read.stage, read.entry.judged
        shown = [
            read.declared,
            read.judge_id,
            entry.reference,
            entry.video_url,
            entry.agency.name,
            entry.category.name,
            stage.name,
            stage.closes_at,
            stage.is_open(),
            *(getattr(judged, name) for name in vars(judged) if not name.startswith("_")),
        ]

    assert shown[0] is True
    assert judged.title == "Bank Sampah Digital"
    assert len(shown) == 19


def test_judge_desk_shows_the_title_as_submitted(client, judge, declared):
    entry = declared.entry
    Entry.objects.filter(pk=entry.pk).update(facts=innovation_facts(entry.innovation))
    Innovation.objects.filter(pk=entry.innovation_id).update(title="Judul Diubah Setelah Seleksi")
    client.force_login(judge)

    page = client.get(desk_url(declared)).content.decode()

    assert "<h1>Bank Sampah Digital</h1>" in page
    assert "Judul Diubah Setelah Seleksi" not in page
