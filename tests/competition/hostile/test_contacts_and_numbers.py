"""Innovator contacts, scores, the sheet version and file names (issue 17): refused with
a message that says what to change, or shown as the user gave them."""

# The shared fixtures are imported by name, which pyflakes reads as redefinitions.
# ruff: noqa: F811

from decimal import Decimal

import pytest
from django.urls import reverse

from competition.models import Attachment, Innovation, ScoreSheet
from competition.uploads import safe_filename
from tests import factories as f
from tests.competition.hardening.conftest import editor_post
from tests.competition.hostile.test_form_strings import innovation_post
from tests.competition.judging_fixtures import (  # noqa: F401
    assignment,
    criteria,
    declared,
    stage,
)
from tests.competition.judging_fixtures import entry as judged_entry  # noqa: F401
from tests.uploads import pdf_bytes, upload

NOT_DIGITS = "Nomor telepon hanya boleh berisi angka"
TOO_SHORT = "Nomor telepon ini terlalu pendek"


def _innovation_with_contact(client_a, agency_a, *, phone="", email=""):
    data = innovation_post(agency_a, "Layanan Antar Obat")
    data.update({"innovators-0-name": "Siti Rahayu", "innovators-0-phone": phone})
    data["innovators-0-email"] = email
    return client_a.post(reverse("competition:innovation_create"), data)


@pytest.mark.parametrize(
    ("phone", "message"),
    [
        ("<script>alert(1)</script>", NOT_DIGITS),
        ("=1+1", NOT_DIGITS),
        ("0812 ABC", NOT_DIGITS),
        ("12", TOO_SHORT),
    ],
)
def test_innovator_phone_that_is_not_a_number_is_refused_with_what_to_change(
    phone, message, client_a, agency_a
):
    response = _innovation_with_contact(client_a, agency_a, phone=phone)

    assert response.status_code == 200
    assert not Innovation.objects.exists()
    page = response.content.decode()
    assert message in page
    assert "<script>alert(1)" not in page


@pytest.mark.parametrize("email", ["<script>@x", "=1+1", "siti@", "siti rahayu@dinkes.go.id"])
def test_innovator_email_that_is_not_an_address_is_refused(email, client_a, agency_a):
    response = _innovation_with_contact(client_a, agency_a, email=email)

    assert response.status_code == 200
    assert not Innovation.objects.exists()
    assert "Tulis alamat e-mail yang lengkap" in response.content.decode()


def test_innovator_phone_and_email_in_the_sign_up_shape_are_kept(client_a, agency_a):
    response = _innovation_with_contact(
        client_a, agency_a, phone="+62 812-3456-7890", email="siti@dinkes.go.id"
    )

    assert response.status_code == 302
    innovator = Innovation.objects.get().innovators.get()
    assert (innovator.phone, innovator.email) == ("+62 812-3456-7890", "siti@dinkes.go.id")


# --- the judge's sheet ---------------------------------------------------------------


def desk_url(a):
    return reverse("judge_desk:competition_assignment_change", args=[a.pk])


def sheet_post(criteria, *, version="0", first="80", second="7.5"):
    return {
        "version": version,
        f"score_{criteria[0].pk}": first,
        f"comment_{criteria[0].pk}": "",
        f"score_{criteria[1].pk}": second,
        f"comment_{criteria[1].pk}": "Ada DPA",
        "general_comment": "",
        "action": "draft",
    }


@pytest.mark.parametrize("digits", ["\u0665\u0660", "\uff15\uff10", "\u06f5\u06f0"])
def test_score_in_arabic_indic_or_full_width_digits_is_refused_clearly(
    digits, client, declared, criteria
):
    client.force_login(declared.judge)

    response = client.post(desk_url(declared), sheet_post(criteria, first=digits))

    assert response.status_code == 200
    assert "Tulis nilai dengan angka biasa 0-9" in response.content.decode()
    assert not ScoreSheet.objects.exists()


def test_score_in_ascii_digits_is_saved(client, declared, criteria):
    client.force_login(declared.judge)

    response = client.post(desk_url(declared), sheet_post(criteria, first="50"))

    assert response.status_code == 302
    assert ScoreSheet.objects.get().scores.get(criterion=criteria[0]).value == Decimal("50")


@pytest.mark.parametrize("version", ["-1", "-999", "abc", "1e3", "\u0660", ""])
def test_tampered_sheet_version_gets_the_two_tab_message(version, client, declared, criteria):
    client.force_login(declared.judge)

    response = client.post(desk_url(declared), sheet_post(criteria, version=version))

    assert response.status_code == 200
    assert "telah diubah di tab/perangkat lain" in response.content.decode()
    assert not ScoreSheet.objects.exists()


# --- file names ----------------------------------------------------------------------


def test_safe_filename_restores_the_quote_browsers_send_as_percent_22():
    assert safe_filename("Laporan %22final%22.pdf", "application/pdf") == 'Laporan "final".pdf'
    assert safe_filename("a%0D%0Ab.pdf", "application/pdf") == "ab.pdf"


def test_file_name_with_a_quote_is_shown_as_given_and_escaped(client_a, agency_a):
    competition = f.CompetitionFactory(open=True)
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
    )
    data = editor_post(entry, {})
    # What a browser sends for 'Laporan "final".pdf' (HTML's multipart encoding).
    data[f"file_{competition.attachment_kinds.get(key='sk').pk}"] = upload(
        "Laporan %22final%22.pdf", pdf_bytes()
    )

    client_a.post(reverse("competition:entry_edit", args=[entry.pk]), data)
    page = client_a.get(reverse("competition:entry_edit", args=[entry.pk])).content.decode()

    assert Attachment.objects.get().original_name == 'Laporan "final".pdf'
    assert "Laporan &quot;final&quot;.pdf" in page
    assert "%22" not in page
