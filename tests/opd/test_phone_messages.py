"""A phone number that is refused says why: letters, too short, too long."""

import pytest
from django import forms

from opd.admin import UserAdminChangeForm
from opd.forms import phone_validator


def message_for(value: str) -> str:
    with pytest.raises(forms.ValidationError) as excinfo:
        phone_validator(value)
    return excinfo.value.messages[0]


def test_phone_of_five_digits_is_too_short_not_letters():
    message = message_for("08123")

    assert "terlalu pendek: 5 angka" in message
    assert "paling sedikit 8 angka" in message
    assert "angka saja" not in message


def test_phone_with_letters_says_digits_only():
    assert "hanya boleh berisi angka" in message_for("hubungi saya")


def test_phone_too_long_says_so():
    assert "terlalu panjang: 20 angka" in message_for("0812 3456 7890 1234 5678")


@pytest.mark.parametrize("value", ["0812-3456-7890", "+62 812 3456 7890", "0321 123456"])
def test_phone_accepts_real_numbers(value):
    phone_validator(value)


@pytest.mark.django_db
def test_profile_in_the_admin_gives_the_same_phone_message(staff_a):
    form = UserAdminChangeForm(
        instance=staff_a,
        data={
            "email": staff_a.email,
            "full_name": staff_a.full_name,
            "role": staff_a.role,
            "agency": staff_a.agency_id,
            "phone": "08123",
            "approval": staff_a.approval,
        },
    )

    form.is_valid()

    assert "terlalu pendek: 5 angka" in form.errors["phone"][0]
