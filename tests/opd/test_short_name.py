"""QA: the judges' desk greets a judge by name, not by the academic title."""

import pytest

from tests import factories as f


@pytest.mark.parametrize(
    ("full_name", "short"),
    [
        ("Dr. Hendra Wijaya, M.Si.", "Hendra"),
        ("dr. Agus Prasetyo", "Agus"),
        ("Prof. Dr. Ir. Siti Aminah", "Siti"),
        ("Rina Kusumawati, S.Sos.", "Rina"),
    ],
)
def test_short_name_skips_leading_titles(db, full_name, short):
    user = f.JudgeFactory(full_name=full_name)

    assert user.get_short_name() == short


def test_judge_desk_greets_the_judge_by_first_name(client, db):
    judge = f.JudgeFactory(full_name="Dr. Hendra Wijaya, M.Si.")
    client.force_login(judge)

    page = client.get("/penilaian/").content.decode()

    assert "<strong>Hendra</strong>" in page
    assert "<strong>Dr.</strong>" not in page
