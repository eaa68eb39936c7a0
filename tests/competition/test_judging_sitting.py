"""A judge's sitting on the desk: stable order, progress, save-and-next, previous / next,
inline PDFs and photos, and every conflict declared on one page."""

# The shared fixtures are imported by name, which pyflakes reads as redefinitions.
# ruff: noqa: F811

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from competition.models import Assignment, ConflictDeclaration, ScoreSheet, SheetStatus
from competition.selectors.judging import (
    judge_desk_assignment,
    judge_desk_assignments,
    judge_desk_overview,
    judge_desk_sitting,
)
from competition.services.judging import score_sheet_save
from tests import factories as f
from tests.competition.judging_fixtures import (  # noqa: F401
    assignment,
    criteria,
    declared,
    entry,
    full_comments,
    full_values,
    stage,
)

# Every test here touches the database, some only through request.getfixturevalue,
# which pytest-django cannot see when it orders database tests before committing ones.
pytestmark = pytest.mark.django_db

DESK = "/penilaian/competition/assignment/"
DECLARE_ALL = reverse("judge_desk:competition_assignment_declare_all")


def desk_url(a):
    return reverse("judge_desk:competition_assignment_change", args=[a.pk])


def inline_url(attachment):
    return reverse("competition:attachment_inline", args=[attachment.pk])


def sheet_post(criteria, *, action="submit_next", version=0):
    return {
        "version": str(version),
        f"score_{criteria[0].pk}": "80",
        f"comment_{criteria[0].pk}": "",
        f"score_{criteria[1].pk}": "7.5",
        f"comment_{criteria[1].pk}": "Ada DPA",
        "general_comment": "",
        "action": action,
    }


@pytest.fixture
def sitting(stage, criteria, judge):
    """Three declared assignments, created out of reference order."""
    made = []
    for ref in ("KIPP-2026-0030", "KIPP-2026-0010", "KIPP-2026-0020"):
        a = f.AssignmentFactory(
            stage=stage,
            judge=judge,
            entry__reference=ref,
            entry__titled_by_reference=True,
        )
        f.ConflictDeclarationFactory(stage=stage, entry=a.entry, judge=judge)
        made.append(a)
    return sorted(made, key=lambda a: a.entry.reference)


def submit(a, criteria):
    score_sheet_save(
        sheet_or_assignment=a,
        judge=a.judge,
        values=full_values(criteria),
        comments=full_comments(criteria),
        expected_version=0,
        submit=True,
    )


# --- order and progress ---


def test_sequence_is_ordered_by_reference_and_never_by_status(sitting, criteria, judge):
    submit(sitting[0], criteria)

    sequence = judge_desk_sitting(judge, sitting[0].stage)
    listed = judge_desk_overview(judge_desk_assignments(judge)).sequences[sitting[0].stage_id]

    assert sequence.items == listed.items
    assert [i.assignment_id for i in sequence.items] == [a.pk for a in sitting]
    assert (sequence.done, sequence.total) == (1, 3)
    assert sequence.next_unscored(sitting[0].pk) == sitting[1].pk
    assert sequence.next_unscored(sitting[2].pk) == sitting[1].pk  # wraps round
    assert sequence.previous(sitting[0].pk) is None
    assert sequence.next(sitting[2].pk) is None


def test_desk_list_shows_progress_and_keeps_its_order_after_a_submit(
    client, sitting, criteria, judge
):
    submit(sitting[1], criteria)
    client.force_login(judge)

    page = client.get(DESK).content.decode()

    assert "1 dari 3 selesai" in page
    positions = [page.index(a.entry.innovation.title) for a in sitting]
    assert positions == sorted(positions)


def test_sheet_shows_progress_position_and_neighbours(client, sitting, judge):
    client.force_login(judge)

    page = client.get(desk_url(sitting[1])).content.decode()

    assert "0 dari 3 selesai" in page
    assert "proposal ke-2 dari 3" in page
    assert f'href="{desk_url(sitting[0])}" rel="prev"' in page
    assert f'href="{desk_url(sitting[2])}" rel="next"' in page
    assert "Simpan dan lanjut" in page


def test_save_and_next_submits_and_opens_the_next_unscored(client, sitting, criteria, judge):
    submit(sitting[1], criteria)
    client.force_login(judge)

    response = client.post(desk_url(sitting[0]), sheet_post(criteria))

    assert response.status_code == 302
    assert response.url == desk_url(sitting[2])  # the second one is already in
    sheet = ScoreSheet.objects.get(entry=sitting[0].entry, judge=judge)
    assert sheet.status == SheetStatus.SUBMITTED
    assert "2 dari 3 selesai" in client.get(response.url).content.decode()


def test_save_and_next_on_the_last_unscored_returns_to_the_list(client, sitting, criteria, judge):
    submit(sitting[0], criteria)
    submit(sitting[1], criteria)
    client.force_login(judge)

    response = client.post(desk_url(sitting[2]), sheet_post(criteria), follow=True)

    assert response.redirect_chain[-1][0] == DESK
    page = response.content.decode()
    assert "Semua proposal pada tahap ini sudah Anda nilai." in page
    assert "3 dari 3 selesai" in page


def test_save_and_next_with_a_missing_score_stays_and_says_why(client, sitting, criteria, judge):
    client.force_login(judge)
    data = sheet_post(criteria)
    data[f"score_{criteria[0].pk}"] = ""

    response = client.post(desk_url(sitting[0]), data)

    assert response.status_code == 200
    assert not ScoreSheet.objects.filter(status=SheetStatus.SUBMITTED).exists()
    assert "0 dari 3 selesai" in response.content.decode()


def test_sheet_carries_weights_and_maxima_for_the_running_total(client, declared, criteria):
    client.force_login(declared.judge)

    page = client.get(desk_url(declared)).content.decode()

    assert 'data-weight="40.00" data-max="100.00"' in page
    assert 'data-weight="60.00" data-max="10.00"' in page
    assert 'id="desk-live-total"' in page
    assert "judge-desk.js" in page


def test_enter_cannot_send_the_sheet_without_javascript(client, declared, criteria):
    client.force_login(declared.judge)

    page = client.get(desk_url(declared)).content.decode()
    form = page[page.index("data-live-total") :]

    # The form's first button is the one Enter "clicks"; it is disabled, so Enter does nothing.
    assert form.index("<button") == form.index('<button type="submit" disabled hidden')


def test_clash_hint_has_its_own_readable_colours():
    css = (settings.BASE_DIR / "static" / "css" / "judge-desk.css").read_text()
    rule = next(line for line in css.splitlines() if line.startswith(".desk-saved"))

    # #664d03 on #fff3cd is 7.6:1; the old rule painted the admin's pale warning background
    # colour on white.
    assert "color: #664d03" in rule and "background: #fff3cd" in rule
    assert "message-warning-bg" not in rule


@pytest.mark.parametrize("rows", [1, 12])
def test_sheet_and_list_query_counts_do_not_grow(
    rows, client, stage, criteria, judge, django_assert_num_queries
):
    made = [
        f.AssignmentFactory(stage=stage, judge=judge, entry__reference=f"KIPP-{n:04d}")
        for n in range(rows)
    ]
    for a in made:
        f.ConflictDeclarationFactory(stage=stage, entry=a.entry, judge=judge)
        f.AttachmentFactory(entry=a.entry)
    client.force_login(judge)

    with django_assert_num_queries(8):
        sheet = client.get(desk_url(made[0]))
    # The session, the judge, the desk's rows with their sittings, and the judge's closed
    # stages ("Tahap ... ditutup pada ...").
    with django_assert_num_queries(4):
        listing = client.get(DESK)

    assert f"0 dari {rows} selesai" in sheet.content.decode()
    assert all(a.entry.innovation.title in listing.content.decode() for a in made)


# --- inline files ---


def test_assigned_judge_sees_the_pdf_inline_with_a_sandbox(client, declared, criteria):
    attachment = f.AttachmentFactory(entry=declared.entry, original_name="sk-tim.pdf")
    client.force_login(declared.judge)

    page = client.get(desk_url(declared)).content.decode()
    response = client.get(inline_url(attachment))
    body = b"".join(response.streaming_content)
    response.close()

    assert f'<iframe class="desk-pdf" src="{inline_url(attachment)}"' in page
    assert body.startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Security-Policy"].startswith("sandbox;")
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_photo_is_shown_inline_as_an_image(client, declared, criteria):
    photo = f.AttachmentFactory(
        entry=declared.entry, original_name="foto.png", content_type="image/png"
    )
    client.force_login(declared.judge)

    page = client.get(desk_url(declared)).content.decode()

    assert f'<img class="desk-image" src="{inline_url(photo)}"' in page


@pytest.mark.parametrize("who", ["other_judge", "staff_a"])
def test_inline_file_is_404_to_those_not_allowed(client, declared, request, who):
    attachment = f.AttachmentFactory(entry=declared.entry)
    client.force_login(request.getfixturevalue(who))

    response = client.get(inline_url(attachment))

    assert response.status_code == 404
    assert b"%PDF" not in response.content


def test_inline_file_is_404_before_the_judge_declares(client, assignment):
    attachment = f.AttachmentFactory(entry=assignment.entry)
    client.force_login(assignment.judge)

    assert client.get(inline_url(attachment)).status_code == 404


def test_organiser_sees_the_pdf_inline(client, declared, organiser):
    attachment = f.AttachmentFactory(entry=declared.entry)
    client.force_login(organiser)

    response = client.get(inline_url(attachment))
    response.close()

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline")


# --- conflicts declared for all at once ---


@pytest.fixture
def pending(stage, criteria, judge):
    return [
        f.AssignmentFactory(
            stage=stage,
            judge=judge,
            entry__reference=f"KIPP-2026-00{n}",
            entry__innovation__title=f"Usulan {n}",
        )
        for n in (11, 12, 13)
    ]


def test_desk_list_offers_declaring_everything_at_once(client, pending, judge):
    client.force_login(judge)

    page = client.get(DESK).content.decode()

    assert "3 proposal menunggu pernyataan konflik kepentingan." in page
    assert DECLARE_ALL in page


def test_declare_all_writes_one_audited_row_each(client, pending, judge):
    client.force_login(judge)
    page = client.get(DECLARE_ALL).content.decode()
    assert all(f"Usulan {n}" in page for n in (11, 12, 13))
    data = {f"decision_{a.pk}": "none" for a in pending}
    data[f"decision_{pending[1].pk}"] = "conflict"
    data[f"reason_{pending[1].pk}"] = "Saya pernah membina inovasi ini."

    response = client.post(DECLARE_ALL, data, follow=True)

    assert "Pernyataan untuk 3 proposal dicatat." in response.content.decode()
    rows = ConflictDeclaration.objects.filter(judge=judge).order_by("entry__reference")
    assert [(d.entry_id, d.has_conflict) for d in rows] == [
        (pending[0].entry_id, False),
        (pending[1].entry_id, True),
        (pending[2].entry_id, False),
    ]
    assert all(d.history.filter(history_user=judge).count() == 1 for d in rows)
    assert not Assignment.objects.filter(pk=pending[1].pk).exists()
    assert client.get(desk_url(pending[0])).status_code == 200


def test_declare_all_refuses_a_conflict_without_reason_and_writes_nothing(client, pending, judge):
    client.force_login(judge)
    data = {f"decision_{a.pk}": "none" for a in pending}
    data[f"decision_{pending[2].pk}"] = "conflict"

    response = client.post(DECLARE_ALL, data)

    assert "Tuliskan alasan konflik kepentingan Anda." in response.content.decode()
    assert not ConflictDeclaration.objects.exists()


def test_declare_all_leaves_unanswered_rows_waiting(client, pending, judge):
    client.force_login(judge)

    client.post(DECLARE_ALL, {f"decision_{pending[0].pk}": "none"})

    assert list(ConflictDeclaration.objects.values_list("entry_id", flat=True)) == [
        pending[0].entry_id
    ]
    assert "2 proposal menunggu" in client.get(DESK).content.decode()


def test_declare_all_shows_only_my_own_assignments(client, pending, judge, other_judge):
    f.AssignmentFactory(
        stage=pending[0].stage, judge=other_judge, entry__innovation__title="Milik Lain"
    )
    client.force_login(judge)

    page = client.get(DECLARE_ALL).content.decode()

    assert "Milik Lain" not in page
    assert "Usulan 11" in page


def test_one_desk_assignment_is_what_the_desk_query_says_of_it(stage, judge, other_judge):
    closed = f.StageFactory(competition=stage.competition, order=stage.order + 1, closed=True)
    waiting = f.AssignmentFactory(stage=stage, judge=judge)
    declared = f.AssignmentFactory(stage=stage, judge=judge)
    f.ConflictDeclarationFactory(stage=stage, entry=declared.entry, judge=judge)
    drafted = f.AssignmentFactory(stage=stage, judge=judge)
    f.ScoreSheetFactory(stage=stage, entry=drafted.entry, judge=judge)
    frozen = f.AssignmentFactory(stage=closed, judge=judge)
    f.ScoreSheetFactory(stage=closed, entry=frozen.entry, judge=judge, submitted=True)
    reopened = f.AssignmentFactory(stage=closed, judge=judge)
    f.ScoreSheetFactory(stage=closed, entry=reopened.entry, judge=judge, reopened_at=timezone.now())
    others = f.AssignmentFactory(stage=stage, judge=other_judge)
    desk = {a.pk: a for a in judge_desk_assignments(judge)}
    sequences = judge_desk_overview(judge_desk_assignments(judge)).sequences

    for a in (waiting, declared, drafted, frozen, reopened, others):
        one = judge_desk_assignment(judge, a.pk)

        assert (one is not None) == (a.pk in desk)
        if one is not None:
            listed = desk[a.pk]
            sheet = judge_desk_sitting(judge, one.stage).sheets.get(one.entry_id)
            assert one.declared == listed.declared
            assert (sheet.status if sheet else None) == listed.raw_sheet_status
    assert set(desk) == {waiting.pk, declared.pk, drafted.pk, reopened.pk}
    # The scoring page's sitting is the list's, in the open stage and in the closed one.
    for stage_ in (stage, closed):
        assert judge_desk_sitting(judge, stage_).items == sequences[stage_.pk].items
