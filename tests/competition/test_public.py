"""Public pages: only published results, consenting agencies and awards are reachable."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from competition.models import AwardLevel, EntryStatus
from competition.services.snapshot import result_finalise, result_publish
from tests import factories as f

pytestmark = pytest.mark.django_db

DECREE = {"decree_number": "188.45/9/417.101/2026", "decree_date": dt.date(2026, 11, 20)}


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "navy").save(buffer, "PNG")
    return buffer.getvalue()


def _photo(entry):
    kind = f.AttachmentKindFactory(competition=entry.competition, allowed_types=["image"])
    return f.AttachmentFactory(
        entry=entry,
        kind=kind,
        file=SimpleUploadedFile("foto.png", _png()),
        original_name="foto.png",
        content_type="image/png",
    )


@pytest.fixture
def finalised(judge, other_judge, organiser):
    """Four entries; A, B, C win; D does not. Finalised, not yet published."""
    stage = f.StageFactory(closed=True, rubric=(60, 40))
    summary = f.SectionSpecFactory(competition=stage.competition, key="ringkasan")
    entries = {}
    for ref, (a, b) in zip("ABCD", [(90, 88), (85, 84), (80, 79), (61, 63)], strict=True):
        entries[ref] = f.EntryFactory(
            competition=stage.competition,
            reference=f"KIPP-{ref}",
            titled_by_reference=True,
            screened_in=True,
        )
        f.EntryAnswerFactory(entry=entries[ref], section=summary, text=f"Ringkasan inovasi {ref}.")
        f.ScoreSheetFactory(
            stage=stage,
            entry=entries[ref],
            judge=judge,
            submitted=True,
            assigned=True,
            scores=[a, a],
        )
        f.ScoreSheetFactory(
            stage=stage,
            entry=entries[ref],
            judge=other_judge,
            submitted=True,
            assigned=True,
            scores=[b, b],
        )
    snapshot = result_finalise(competition=stage.competition, actor=organiser, **DECREE)
    return stage.competition, snapshot, entries


def test_announcement_is_404_until_published(client, finalised, organiser):
    competition, snapshot, _ = finalised
    url = reverse("competition:public_announcement", args=[competition.year])

    assert client.get(url).status_code == 404
    listing = client.get(reverse("competition:public_announcements")).content.decode()
    assert str(competition.year) not in listing

    result_publish(snapshot=snapshot, actor=organiser)
    assert client.get(url).status_code == 200


def test_announcement_shows_winners_without_scores_of_others(client, finalised, organiser):
    competition, snapshot, _entries = finalised
    result_publish(snapshot=snapshot, actor=organiser)

    text = client.get(
        reverse("competition:public_announcement", args=[competition.year])
    ).content.decode()

    assert "Juara I" in text and "Inovasi KIPP-A" in text and "Ringkasan inovasi A." in text
    assert "Rp 15.000.000" in text
    assert "Inovasi KIPP-D" not in text
    assert "62," not in text  # D's score
    assert "Dr. Juri Penilai" not in text


def test_announcement_names_judges_only_when_published(client, finalised, organiser):
    competition, snapshot, _ = finalised
    competition.publish_judge_names = True
    competition.save()
    result_publish(snapshot=snapshot, actor=organiser)

    text = client.get(
        reverse("competition:public_announcement", args=[competition.year])
    ).content.decode()

    assert "Dr. Juri Penilai" in text and "Dr. Juri Lain" in text


def test_winner_photo_served_only_for_published_winners(client, finalised, organiser):
    competition, snapshot, entries = finalised
    winner_photo = _photo(entries["A"])
    loser_photo = _photo(entries["D"])

    def url(a):
        return reverse("competition:public_photo", args=[competition.year, a.pk])

    assert client.get(url(winner_photo)).status_code == 404
    result_publish(snapshot=snapshot, actor=organiser)

    response = client.get(url(winner_photo))
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == _png()
    assert client.get(url(loser_photo)).status_code == 404
    page = client.get(reverse("competition:public_announcement", args=[competition.year]))
    assert url(winner_photo) in page.content.decode()


def test_winner_photo_serves_only_the_photo_the_announcement_shows(client, finalised, organiser):
    competition, snapshot, entries = finalised
    shown = _photo(entries["A"])
    identity_kind = f.AttachmentKindFactory(
        competition=competition, allowed_types=["pdf", "image"], order=9
    )
    identity = f.AttachmentFactory(
        entry=entries["A"],
        kind=identity_kind,
        file=SimpleUploadedFile("ktp.png", _png()),
        original_name="ktp.png",
        content_type="image/png",
    )
    result_publish(snapshot=snapshot, actor=organiser)

    def url(a):
        return reverse("competition:public_photo", args=[competition.year, a.pk])

    assert b"".join(client.get(url(shown)).streaming_content) == _png()
    assert client.get(url(identity)).status_code == 404


def test_winner_photo_never_serves_pdf_attachments(client, finalised, organiser):
    competition, snapshot, entries = finalised
    pdf = f.AttachmentFactory(entry=entries["A"])
    result_publish(snapshot=snapshot, actor=organiser)

    response = client.get(reverse("competition:public_photo", args=[competition.year, pdf.pk]))

    assert response.status_code == 404


def test_announcement_shows_latest_published_version(client, finalised, organiser):
    competition, snapshot, entries = finalised
    result_publish(snapshot=snapshot, actor=organiser)
    second = result_finalise(
        competition=competition,
        actor=organiser,
        placements_override=[
            (entries["B"].pk, "juara_1"),
            (entries["A"].pk, "juara_2"),
            (entries["C"].pk, "juara_3"),
        ],
        reason="Sanggah diterima.",
        **DECREE,
    )
    url = reverse("competition:public_announcement", args=[competition.year])

    before = client.get(url).content.decode()
    result_publish(snapshot=second, actor=organiser)
    after = client.get(url).content.decode()

    assert before.index("Inovasi KIPP-A") < before.index("Inovasi KIPP-B")
    assert after.index("Inovasi KIPP-B") < after.index("Inovasi KIPP-A")
    assert "versi 2" in after


def test_catalogue_lists_only_consenting_published_innovations(client):
    shown = f.InnovationFactory(title="Posko Paman", in_catalogue=True)
    f.InnovationFactory(title="Inovasi Rahasia", in_catalogue=True, is_published=False)
    f.InnovationFactory(
        title="Inovasi OPD Menolak",
        in_catalogue=True,
        agency=f.AgencyFactory(publishes_catalogue=False),
    )

    text = client.get(reverse("competition:public_catalogue")).content.decode()

    assert shown.title in text
    assert "Inovasi Rahasia" not in text and "Inovasi OPD Menolak" not in text


def test_catalogue_search_and_pagination(client):
    for i in range(30):
        f.InnovationFactory(title=f"Layanan Sampah {i:02d}", in_catalogue=True)
    f.InnovationFactory(
        title="Gayatri", brand_long_form="gerbang layanan terpadu", in_catalogue=True
    )

    catalogue = reverse("competition:public_catalogue")
    first = client.get(catalogue).content.decode()
    found = client.get(catalogue, {"cari": "terpadu"}).content.decode()
    second = client.get(catalogue, {"halaman": 2}).content.decode()

    assert "Halaman 1 dari 2" in first
    assert "Gayatri" in found and "Layanan Sampah" not in found
    assert "Layanan Sampah 29" in second


@pytest.mark.parametrize("n", [1, 30])
def test_catalogue_query_count(n, client, django_assert_num_queries):
    innovations = f.InnovationFactory.create_batch(n, in_catalogue=True)
    for innovation in innovations:
        f.AwardFactory(innovation=innovation, label="Top 45 Kovablik")
        entry = f.EntryFactory(innovation=innovation, status=EntryStatus.PASSED)
        f.EntryAnswerFactory(
            entry=entry, section__key="ringkasan", text=f"Ringkasan {innovation.title}."
        )

    # Four for the filters' choices, five for the page (count, rows with their approved
    # copy, awards, entries, the entries' summaries).
    with django_assert_num_queries(9):
        response = client.get(reverse("competition:public_catalogue"))

    text = response.content.decode()
    shown = sorted(innovations, key=lambda i: (i.title, i.pk))[:24]
    assert "Top 45 Kovablik" in text
    assert all(innovation.title in text for innovation in shown)
    assert all(f"Ringkasan {innovation.title}." in text for innovation in shown)


def test_catalogue_empty_state(client, db):
    catalogue = reverse("competition:public_catalogue")
    text = client.get(catalogue, {"cari": "tidakada"}).content.decode()

    assert "Tidak ada inovasi yang cocok" in text


def test_hall_of_fame_lists_province_and_national_awards_only(client):
    f.AwardFactory(label="Top 99", level=AwardLevel.NATIONAL, year=2019)
    f.AwardFactory(label="Top 30 Kovablik", level=AwardLevel.PROVINCE, year=2018)
    f.AwardFactory(label="Juara I Kota", level=AwardLevel.CITY, year=2020)

    text = client.get(reverse("competition:public_hall_of_fame")).content.decode()

    assert "Top 99" in text and "Top 30 Kovablik" in text and "2019" in text
    assert "Juara I Kota" not in text
    assert text.index("2019") < text.index("2018")


@pytest.mark.parametrize("n", [1, 20])
def test_hall_of_fame_query_count(n, client, django_assert_num_queries):
    awards = f.AwardFactory.create_batch(n, level=AwardLevel.NATIONAL)

    with django_assert_num_queries(1):
        response = client.get(reverse("competition:public_hall_of_fame"))

    text = response.content.decode()
    assert all(award.innovation.title in text for award in awards)


def test_public_nav_links_present(client, db):
    text = client.get(reverse("home")).content.decode()

    assert reverse("competition:public_catalogue") in text
    assert reverse("competition:public_hall_of_fame") in text
    assert reverse("competition:public_announcements") in text
