"""The OPD adapts a forwarded proposal to the round's format (issue 13, part 6a)."""

import hashlib

import jsonschema
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from competition.exchange import manifest_schema
from competition.models import RoundAdaptation, RoundAttachment
from competition.selectors import rounds as selectors
from tests import factories as f
from tests.competition.test_exchange import city_forwards_two_entries, export, manifest_of
from tests.uploads import pdf_bytes

REAL_PDF = pdf_bytes()
LONG = " ".join(["kata"] * 12)


def _setup(organiser, *, limit=None):
    target, entries = city_forwards_two_entries(organiser)
    entry = entries[0]
    forwarding = entry.forwardings.get(round=target)
    section = target.sections.get(key="ringkasan")
    if limit is not None:
        section.word_limit = limit
        section.save()
    staff = f.UserFactory(agency=entry.agency, full_name="Staf Dinkes")
    return target, forwarding, section, staff


def _url(forwarding):
    return reverse("competition:forwarding_adapt", args=[forwarding.pk])


def test_adaptation_page_prefills_the_round_sections_from_the_proposal(client, organiser):
    target, forwarding, _section, staff = _setup(organiser)
    client.force_login(staff)

    page = client.get(_url(forwarding)).content.decode()

    assert f"Sesuaikan proposal untuk {target.name}" in page
    assert "Ringkas 1.</textarea>" in page
    # Adaptabilitas starts from the two city sections it names, joined.
    assert "Sudah ditiru dua OPD.\n\nMudah diterapkan.</textarea>" in page
    assert 'data-word-limit="300"' in page
    assert "2 / 200 kata" in page
    assert "dari isian proposal, belum disesuaikan" in page


def test_another_agencys_staff_cannot_open_the_adaptation(client, organiser):
    _target, forwarding, _section, _staff = _setup(organiser)
    stranger = f.UserFactory(agency=f.AgencyFactory(name="Dinas Pendidikan"))
    client.force_login(stranger)

    assert client.get(_url(forwarding)).status_code == 404
    response = client.post(
        _url(forwarding),
        {"action": "section", "section": forwarding.round.sections.first().pk, "text": "x"},
    )
    assert response.status_code == 404
    assert not RoundAdaptation.objects.exists()


def test_a_section_over_the_round_limit_is_refused_and_one_within_is_stored_and_audited(
    client, organiser
):
    _target, forwarding, section, staff = _setup(organiser, limit=10)
    client.force_login(staff)

    refused = client.post(
        _url(forwarding), {"action": "section", "section": section.pk, "text": LONG}
    )
    saved = client.post(
        _url(forwarding), {"action": "section", "section": section.pk, "text": "Ringkas, singkat."}
    )

    assert refused.status_code == 400
    assert "berisi 12 kata" in refused.content.decode()
    assert "Persingkat 2 kata lagi" in refused.content.decode()
    assert LONG in refused.content.decode()  # the text typed is not lost
    assert saved.status_code == 302
    adaptation = RoundAdaptation.objects.get(forwarding=forwarding, section=section)
    assert adaptation.text == "Ringkas, singkat."
    assert adaptation.updated_by == staff
    assert [h.history_user for h in adaptation.history.all()] == [staff]
    page = client.get(_url(forwarding)).content.decode()
    assert "Ringkas, singkat.</textarea>" in page


def test_the_round_page_shows_what_is_ready_after_the_opd_adapts(client, organiser):
    target, forwarding, section, staff = _setup(organiser, limit=1)
    client.force_login(organiser)
    round_url = reverse("competition:round_detail", args=[target.slug])
    before = client.get(round_url).content.decode()
    client.force_login(staff)

    client.post(_url(forwarding), {"action": "section", "section": section.pk, "text": "Ringkas."})
    client.force_login(organiser)
    after = client.get(round_url).content.decode()

    # Both entries are over the limit before; only the other one after.
    assert before.count("Ringkasan: 2 / 1 kata, melebihi batas putaran") == 2
    assert after.count("Ringkasan: 2 / 1 kata, melebihi batas putaran") == 1
    assert "disesuaikan OPD" in after


def test_the_exchange_package_carries_the_adapted_text(client, organiser, tmp_path):
    target, forwarding, section, staff = _setup(organiser)
    client.force_login(staff)
    client.post(
        _url(forwarding), {"action": "section", "section": section.pk, "text": "Versi Jatim."}
    )

    manifest = manifest_of(export(target, tmp_path))

    jsonschema.validate(manifest, manifest_schema())
    by_reference = {e["reference"]: e for e in manifest["entries"]}
    adapted = {s["key"]: s for s in by_reference[forwarding.entry.reference]["sections"]}
    other = {s["key"]: s for s in by_reference["KIPP-2027-0002"]["sections"]}
    assert adapted["ringkasan"]["text"] == "Versi Jatim."
    assert adapted["ringkasan"]["adapted"] is True
    assert adapted["ringkasan"]["word_count"] == 2
    assert other["ringkasan"]["text"] == "Ringkas 2."
    assert other["ringkasan"]["adapted"] is False


def test_the_opd_adds_a_required_round_attachment_that_the_package_then_holds(
    client, organiser, tmp_path
):
    target, forwarding, _section, staff = _setup(organiser)
    have = {"sk-inovator", "foto-sebelum-sesudah"}
    kind = next(
        k
        for k in target.attachment_kinds.filter(required=True)
        if k.applies_to("umum") and not have & set(k.source_keys)
    )
    forwarding_before = next(
        fw for fw in selectors.round_forwardings(target) if fw.pk == forwarding.pk
    )
    client.force_login(staff)

    response = client.post(
        _url(forwarding),
        {
            "action": "attachment",
            "kind": kind.pk,
            "file": SimpleUploadedFile("Profil inovasi.pdf", REAL_PDF, "application/pdf"),
        },
    )
    forwarding_after = next(
        fw for fw in selectors.round_forwardings(target) if fw.pk == forwarding.pk
    )
    manifest = manifest_of(export(target, tmp_path))

    assert response.status_code == 302
    assert kind.label in forwarding_before.readiness.missing_attachments
    assert kind.label not in forwarding_after.readiness.missing_attachments
    stored = RoundAttachment.objects.get(forwarding=forwarding, kind=kind)
    assert stored.original_name == "Profil inovasi.pdf"
    files = [
        a
        for e in manifest["entries"]
        if e["reference"] == forwarding.entry.reference
        for a in e["attachments"]
    ]
    added = [a for a in files if a["name"] == "Profil inovasi.pdf"]
    assert added and added[0]["round_kind"] == kind.key
    assert added[0]["sha256"] == hashlib.sha256(REAL_PDF).hexdigest()


def test_an_upload_that_is_not_a_pdf_or_photo_is_refused_with_its_name(client, organiser):
    target, forwarding, _section, staff = _setup(organiser)
    kind = target.attachment_kinds.first()
    client.force_login(staff)

    response = client.post(
        _url(forwarding),
        {
            "action": "attachment",
            "kind": kind.pk,
            "file": SimpleUploadedFile("catatan.docx", b"PK\x03\x04 bukan pdf", "application/pdf"),
        },
    )

    assert response.status_code == 400
    assert "catatan.docx" in response.content.decode()
    assert not RoundAttachment.objects.exists()


def test_the_opd_entry_page_links_to_the_adaptation(client, organiser):
    target, forwarding, _section, staff = _setup(organiser)
    client.force_login(staff)

    page = client.get(
        reverse("competition:entry_detail", args=[forwarding.entry_id])
    ).content.decode()

    assert f"Diteruskan ke {target.name}." in page
    assert _url(forwarding) in page


def test_the_opd_removes_a_file_it_added_but_not_another_forwardings(client, organiser):
    target, forwarding, _section, staff = _setup(organiser)
    kind = target.attachment_kinds.first()
    client.force_login(staff)
    client.post(
        _url(forwarding),
        {
            "action": "attachment",
            "kind": kind.pk,
            "file": SimpleUploadedFile("salah.pdf", REAL_PDF, "application/pdf"),
        },
    )
    added = RoundAttachment.objects.get()
    other = next(fw for fw in selectors.round_forwardings(target) if fw.pk != forwarding.pk)

    wrong = client.post(
        reverse("competition:forwarding_adapt", args=[other.pk]),
        {"action": "attachment_delete", "attachment": added.pk},
    )
    removed = client.post(_url(forwarding), {"action": "attachment_delete", "attachment": added.pk})

    # The other forwarding is of the OPD's own unit, so it opens, but not with this file.
    assert wrong.status_code == 404
    assert removed.status_code == 302
    assert not RoundAttachment.objects.exists()
