import pytest
from django.db.utils import OperationalError


@pytest.mark.django_db
def test_home_explains_the_portal(client):
    response = client.get("/")

    assert response.status_code == 200
    assert "Satu OPD, satu inovasi: setiap OPD wajib" in response.content.decode()


@pytest.mark.django_db
def test_healthz_ok_when_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok\n"


@pytest.mark.django_db
def test_healthz_503_when_database_fails(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("operations.views.connection.cursor", broken_cursor)

    response = client.get("/healthz")

    assert response.status_code == 503
