"""The exchange package: a city forwards to a Jatim round, the province imports it."""

import datetime as dt
import hashlib
import io
import json
import zipfile

import jsonschema
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from competition.exchange import manifest_schema
from competition.exchange.importer import package_import
from competition.models import (
    SDG,
    Award,
    Entry,
    EntryStatus,
    Forwarding,
    ImportedPackage,
    Innovation,
    PlacementTitle,
)
from competition.services import rounds as round_services
from opd.models import Agency, RegionKind, RegionProfile
from tests import factories as f

PDF = b"%PDF-1.4 SK tim inovasi\n%%EOF\n"
PHOTO = b"\x89PNG\r\n\x1a\n foto sebelum dan sesudah"


def _attach(entry, kind, name, data, content_type):
    attachment = f.AttachmentFactory(
        entry=entry,
        kind=kind,
        original_name=name,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    attachment.file.save("x", ContentFile(data))
    return attachment


def city_forwards_two_entries(organiser):
    """Kota Mojokerto forwards two screened-in 2027 entries to Kovablik Jatim 2027."""
    f.RegionProfileFactory(kind=RegionKind.KOTA, name="Mojokerto", place="Mojokerto")
    competition = f.CompetitionFactory(year=2027)
    sections = {
        key: f.SectionSpecFactory(competition=competition, key=key, label=key, order=order)
        for order, key in enumerate(
            [
                "ringkasan",
                "latar-belakang-tujuan",
                "adaptabilitas-replikasi",
                "adaptabilitas-potensi",
            ]
        )
    }
    decree = f.AttachmentKindFactory(competition=competition, key="sk-inovator", label="SK")
    photos = f.AttachmentKindFactory(
        competition=competition, key="foto-sebelum-sesudah", label="Foto"
    )
    health = f.AgencyFactory(name="Dinas Kesehatan", short_name="Dinkes")
    wates = f.AgencyFactory(name="UPT Puskesmas Wates", short_name="Wates", parent=health)
    target = round_services.round_create_from_format(format_key="kovablik-jatim", year=2027)
    entries = []
    for number, (agency, title) in enumerate(
        [(health, "Gayatri: Gerbang Layanan Terpadu"), (wates, "Posko Paman")], start=1
    ):
        innovation = f.InnovationFactory(
            agency=agency,
            title=title,
            brand_long_form=f"kepanjangan {number}",
            started_on=dt.date(2023, 1, 15),
        )
        innovation.sdgs.set(SDG.objects.filter(number__in=[3, 10 + number]))
        f.InnovatorFactory(innovation=innovation, name=f"Siti {number}", nip="", order=0)
        f.InnovatorFactory(innovation=innovation, name=f"Budi {number}", role="Anggota", order=1)
        f.AwardFactory(innovation=innovation, level="city", year=2026, label="Juara I", rank=1)
        entry = f.EntryFactory(
            competition=competition,
            innovation=innovation,
            reference=f"KIPP-2027-{number:04d}",
            status=EntryStatus.PASSED if number == 1 else EntryStatus.FINALIST,
            video_url="https://www.youtube.com/watch?v=abc",
        )
        f.EntryAnswerFactory(entry=entry, section=sections["ringkasan"], text=f"Ringkas {number}.")
        f.EntryAnswerFactory(
            entry=entry, section=sections["adaptabilitas-replikasi"], text="Sudah ditiru dua OPD."
        )
        f.EntryAnswerFactory(
            entry=entry, section=sections["adaptabilitas-potensi"], text="Mudah diterapkan."
        )
        _attach(entry, decree, f"SK tim {number}.pdf", PDF + bytes([number]), "application/pdf")
        _attach(entry, photos, "foto.png", PHOTO, "image/png")
        round_services.entry_forward_to_round(entry=entry, target_round=target, actor=organiser)
        entries.append(entry)
    return target, entries


def export(target, tmp_path):
    out = tmp_path / "paket.zip"
    call_command(
        "export", "paket-data", "--round", target.slug, "--out", str(out), stdout=io.StringIO()
    )
    return out


def manifest_of(path) -> dict:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("manifest.json"))


def _sha256(attachment) -> str:
    with attachment.file.open("rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def what_the_entries_hold(entries_qs) -> list[dict]:
    held = []
    for entry in entries_qs.order_by("innovation__title"):
        innovation = entry.innovation
        held.append(
            {
                "title": innovation.title,
                "long_form": innovation.brand_long_form,
                "started_on": innovation.started_on,
                "group": entry.group.code,
                "video": entry.video_url,
                "innovators": [(i.name, i.role) for i in innovation.innovators.order_by("order")],
                "sdgs": sorted(innovation.sdgs.values_list("number", flat=True)),
                "awards": list(innovation.awards.values_list("level", "year", "label", "rank")),
                "attachments": sorted(
                    (
                        a.original_name,
                        a.content_type,
                        a.size,
                        _sha256(a),
                    )
                    for a in entry.attachments.all()
                ),
            }
        )
    return held


def flush_installation():
    """Empty every table the way ``manage.py flush`` does, except Django's own registries
    (content types, permissions, migrations): re-creating those with new ids would outlive
    this test in the content-type cache."""
    keep = {"django_content_type", "auth_permission", "django_migrations"}
    tables = [
        t for t in connection.introspection.django_table_names(only_existing=True) if t not in keep
    ]
    postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        # PostgreSQL refuses to truncate a table with deferred foreign-key checks pending in
        # the test's transaction: run them first.
        if postgresql:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    connection.ops.execute_sql_flush(
        connection.ops.sql_flush(no_style(), tables, reset_sequences=True, allow_cascade=True)
    )
    if postgresql:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def become_the_province():
    """The province's own installation: its profile and its 2027 competition, nothing else."""
    sdgs = list(SDG.objects.values("number", "name"))
    flush_installation()
    SDG.objects.bulk_create(SDG(**row) for row in sdgs)
    RegionProfile.remember(None)
    f.RegionProfileFactory(kind=RegionKind.PROVINSI, name="Jawa Timur")
    f.CompetitionFactory(year=2027, name="Kovablik Jawa Timur")


def test_package_round_trip_between_a_city_and_the_province(organiser, tmp_path):
    target, city_entries = city_forwards_two_entries(organiser)
    path = export(target, tmp_path)
    manifest = manifest_of(path)
    jsonschema.validate(manifest, manifest_schema())
    sections = {e["reference"]: e["sections"] for e in manifest["entries"]}
    city_held = what_the_entries_hold(Entry.objects.filter(pk__in=[e.pk for e in city_entries]))

    become_the_province()
    package = package_import(source=path)

    imported = Entry.objects.filter(imported_from__package=package)
    assert what_the_entries_hold(imported) == city_held
    for entry in imported:
        source = entry.imported_from.source_reference
        answers = [
            {
                "key": a.section.key,
                "text": a.text,
                "word_count": a.word_count,
            }
            for a in entry.answers.order_by("section__order")
        ]
        expected = [
            {"key": s["key"], "text": s["text"], "word_count": s["word_count"]}
            for s in sections[source]
        ]
        assert answers == expected
        assert entry.agency.region == "Kota Mojokerto" and not entry.agency.is_active
    adaptability = next(s for s in sections["KIPP-2027-0001"] if s["key"] == "adaptabilitas")
    assert adaptability == {
        "key": "adaptabilitas",
        "label": "Adaptabilitas",
        "word_limit": 300,
        "text": "Sudah ditiru dua OPD.\n\nMudah diterapkan.",
        "word_count": 6,
        "adapted": False,
    }
    assert Agency.objects.get(name="UPT Puskesmas Wates (Kota Mojokerto)").parent.name == (
        "Dinas Kesehatan (Kota Mojokerto)"
    )

    with pytest.raises(ValidationError, match="sudah pernah diimpor"):
        package_import(source=path)
    assert Entry.objects.count() == 2


def test_package_with_one_changed_byte_is_refused_and_nothing_is_created(organiser, tmp_path):
    target, _entries = city_forwards_two_entries(organiser)
    path = export(target, tmp_path)
    tampered = tmp_path / "diubah.zip"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(tampered, "w") as sink:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.endswith("foto.png") and "0002" in item.filename:
                data = data[:-1] + bytes([data[-1] ^ 1])
            sink.writestr(item, data)
    become_the_province()

    with pytest.raises(CommandError, match=r"foto\.png \(KIPP-2027-0002\) berubah"):
        call_command("import_package", str(tampered), stdout=io.StringIO())

    assert Entry.objects.count() == 0
    assert Innovation.objects.count() == 0
    assert ImportedPackage.objects.count() == 0


def test_package_of_an_unknown_format_version_is_refused(organiser, tmp_path):
    target, _entries = city_forwards_two_entries(organiser)
    path = export(target, tmp_path)
    newer = tmp_path / "versi-baru.zip"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(newer, "w") as sink:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "manifest.json":
                data = data.replace(b'"format_version": "1.0"', b'"format_version": "2.0"')
            sink.writestr(item, data)
    become_the_province()

    with pytest.raises(ValidationError, match=r"Versi format paket 2\.0 tidak dikenal"):
        package_import(source=newer)


def test_package_is_refused_by_a_region_that_does_not_organise_the_round(organiser, tmp_path):
    target, _entries = city_forwards_two_entries(organiser)
    path = export(target, tmp_path)

    with pytest.raises(ValidationError, match="bukan penyelenggaranya"):
        package_import(source=path)  # still Kota Mojokerto's own installation


def test_round_page_downloads_the_package_and_the_upload_page_imports_it(
    client, organiser, tmp_path
):
    target, _entries = city_forwards_two_entries(organiser)
    client.force_login(organiser)
    page = client.get(reverse("competition:round_detail", args=[target.slug])).content.decode()
    assert reverse("competition:round_package", args=[target.slug]) in page

    response = client.get(reverse("competition:round_package", args=[target.slug]))

    assert response["Content-Disposition"] == (
        'attachment; filename="paket-data-kovablik-jatim-2027.zip"'
    )
    data = b"".join(response.streaming_content) if response.streaming else response.content
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert [e["reference"] for e in manifest["entries"]] == ["KIPP-2027-0001", "KIPP-2027-0002"]

    become_the_province()
    province = f.OrganiserFactory()
    client.force_login(province)
    upload = SimpleUploadedFile("paket.zip", data, content_type="application/zip")
    response = client.post(reverse("competition:package_upload"), {"package": upload}, follow=True)

    page = response.content.decode()
    assert "2 proposal dari Kota Mojokerto diimpor ke kompetisi 2027." in page
    assert Entry.objects.count() == 2
    again = SimpleUploadedFile("paket.zip", data, content_type="application/zip")
    refused = client.post(reverse("competition:package_upload"), {"package": again})
    assert "Paket ini sudah pernah diimpor." in refused.content.decode()


def test_outcomes_flow_back_from_the_province_into_the_award_history(client, organiser, tmp_path):
    target, _entries = city_forwards_two_entries(organiser)
    target.award_labels = [*target.award_labels, "Juara I"]
    target.save()
    package_path = export(target, tmp_path)
    city_db = tmp_path / "kota.json"
    call_command(
        "dumpdata", "--natural-foreign", "-o", str(city_db), "competition", "opd", verbosity=0
    )

    # The province imports the package and publishes its result: Juara I for Posko Paman.
    become_the_province()
    package = package_import(source=package_path)
    posko = Entry.objects.get(imported_from__package=package, innovation__title="Posko Paman")
    snapshot = f.ResultSnapshotFactory(
        competition=posko.competition,
        published_at=timezone.now(),
        decree_number="100.3.3.2/77/KPTS/013/2027",
        decree_date=dt.date(2027, 11, 10),
    )
    f.PlacementFactory(snapshot=snapshot, entry=posko, rank=1, title=PlacementTitle.JUARA_1)
    outcomes_path = tmp_path / "hasil.json"
    call_command(
        "export_outcomes", "--round", target.slug, "--out", str(outcomes_path), stdout=io.StringIO()
    )

    # Back at the city: its own data again.
    flush_installation()
    call_command("loaddata", str(city_db), verbosity=0)
    RegionProfile.remember(None)
    city_organiser = f.OrganiserFactory()
    client.force_login(city_organiser)
    url = reverse("competition:outcomes_upload", args=[target.slug])
    raw = outcomes_path.read_bytes()

    preview = client.post(url, {"outcomes": SimpleUploadedFile("hasil.json", raw)})

    page = preview.content.decode()
    assert "KIPP-2027-0002" in page and "Juara I" in page and "baru" in page
    assert Award.objects.filter(label="Juara I", level="province").count() == 0

    client.post(url, {"raw": raw.decode(), "confirm": "1"})

    award = Award.objects.get(level="province", label="Juara I")
    assert award.innovation.title == "Posko Paman"
    assert (award.rank, award.decree_number, award.year) == (1, "100.3.3.2/77/KPTS/013/2027", 2027)
    forwarding = Forwarding.objects.get(entry__reference="KIPP-2027-0001")
    assert list(forwarding.outcomes.values_list("step", flat=True)) == ["registered"]
    again = client.post(url, {"outcomes": SimpleUploadedFile("hasil.json", raw)})
    assert again.content.decode().count("sudah tercatat") == 2
