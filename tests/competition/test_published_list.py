"""A published list (CSV/XLSX) matched against the region's forwardings to a round."""

import html
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from competition.models import Award, Outcome, OutcomeStep
from tests.competition.test_exchange import city_forwards_two_entries

CSV = (
    "No;Nomor;Judul;Predikat\n"
    "1;KIPP-2027-0001;Gayatri: Gerbang Layanan Terpadu;top 30\n"
    "2;;POSKO  PAMAN;Top 45\n"
    "3;;Lapor Pak Bupati;Top 25\n"
)


def _url(target):
    return reverse("competition:round_published_list", args=[target.slug])


def _upload(client, target, content: bytes, name="top-99.csv"):
    return client.post(
        _url(target),
        {
            "published": SimpleUploadedFile(name, content),
            "occurred_on": "2027-09-01",
        },
    )


def test_the_list_is_matched_by_number_or_title_and_others_are_left_alone(client, organiser):
    target, _entries = city_forwards_two_entries(organiser)
    target.award_labels = ["Top 25", "Top 30", "Top 45"]
    target.save()
    client.force_login(organiser)

    page = _upload(client, target, CSV.encode()).content.decode()

    assert "KIPP-2027-0001</strong> Gayatri: Gerbang Layanan Terpadu" in page
    assert "KIPP-2027-0002</strong> Posko Paman" in page
    assert "Top 30" in page and "Top 45" in page  # the round's spelling
    assert "1 baris lain bukan proposal daerah ini" in page
    assert "Catat penghargaan dan riwayatnya" in page
    assert not Outcome.objects.exists()


def test_confirming_records_each_award_once(client, organiser):
    target, _entries = city_forwards_two_entries(organiser)
    target.award_labels = ["Top 25", "Top 30", "Top 45"]
    target.save()
    client.force_login(organiser)
    page = _upload(client, target, CSV.encode()).content.decode()
    items = page.split('name="items" hidden aria-hidden="true">')[1].split("</textarea>")[0]
    data = {"confirm": "1", "items": html.unescape(items), "occurred_on": "2027-09-01"}

    first = client.post(_url(target), data)
    second = client.post(_url(target), data)

    assert first.status_code == 302 and second.status_code == 302
    outcomes = Outcome.objects.filter(step=OutcomeStep.AWARDED).order_by(
        "forwarding__entry__reference"
    )
    assert [(o.forwarding.entry.reference, o.label) for o in outcomes] == [
        ("KIPP-2027-0001", "Top 30"),
        ("KIPP-2027-0002", "Top 45"),
    ]
    assert set(Award.objects.filter(level="province").values_list("label", flat=True)) == {
        "Top 30",
        "Top 45",
    }


def test_a_label_the_round_does_not_know_blocks_recording(client, organiser):
    target, _entries = city_forwards_two_entries(organiser)
    client.force_login(organiser)

    page = _upload(client, target, b"Nomor,Predikat\nKIPP-2027-0001,Juara Umum\n").content.decode()

    assert "Predikat “Juara Umum” bukan predikat" in page
    assert "Catat penghargaan dan riwayatnya" not in page


def test_an_xlsx_list_is_read_and_a_file_without_the_columns_is_refused(client, organiser):
    target, _entries = city_forwards_two_entries(organiser)
    client.force_login(organiser)
    book = Workbook()
    sheet = book.active
    sheet.append(["Judul Inovasi", "Predikat"])
    sheet.append(["Posko Paman", "Top 45"])
    out = io.BytesIO()
    book.save(out)

    xlsx = _upload(client, target, out.getvalue(), name="top.xlsx").content.decode()
    bad = _upload(client, target, b"a,b\n1,2\n").content.decode()

    assert "KIPP-2027-0002</strong> Posko Paman" in xlsx
    assert "Baris pertama harus berisi judul kolom" in bad
