"""The management shell that operators open on the server."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_shell_imports_the_models_and_warns_about_nothing(capsys):
    call_command("shell", command="print(Entry.objects.count(), ScoreSheet.history.count())")

    out = capsys.readouterr()
    assert out.out.strip().splitlines()[-1] == "0 0"
    assert "could not be automatically imported" not in out.out + out.err
