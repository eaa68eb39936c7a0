"""The personas every access test speaks of."""

import pytest
from django.db import DatabaseError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import QuerySet

from competition.models import Attachment
from opd.models import RegionProfile
from tests import factories as f


def pytest_collection_modifyitems(items):
    """Every test that commits (``transaction=True``, ``transactional_db``, ``live_server``)
    rolls back by serialization: it starts from the database as migrations left it and
    leaves it empty, whichever test ran before it on the same worker.

    Without this, a committing test's teardown flushes the tables and re-runs post_migrate,
    which re-creates content types and permissions under new primary keys; a later test
    with ``serialized_rollback`` then reloads the rows it serialized at creation, under
    their old keys, and fails on the unique (app_label, model) of django_content_type
    (Django #23727, #25251). Under xdist which tests share a worker, and in what order,
    changes from run to run, so every committing test must leave the same state behind.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        commits = (marker is not None and marker.kwargs.get("transaction")) or (
            {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))
        )
        if commits:
            kwargs = {
                **(marker.kwargs if marker else {}),
                "transaction": True,
                "serialized_rollback": True,
            }
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Each test writes its uploads to a folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _blank_region_profile():
    """Every test starts, as a fresh database does, with no region profile saved; the
    process copy is reset so that a profile saved by one test does not outlive it."""
    RegionProfile.remember(RegionProfile(pk=1))
    yield
    RegionProfile.remember(RegionProfile(pk=1))


@pytest.fixture(autouse=True)
def _keep_the_test_transaction(monkeypatch):
    """Closing a response by hand (a download) fires ``request_finished``, whose handler drops
    a database connection it finds inside a transaction. In a test that transaction is the
    test's own, and PostgreSQL then fails with "connection already closed"; keep it open."""
    close = BaseDatabaseWrapper.close_if_unusable_or_obsolete

    def close_outside_transactions(connection):
        if not connection.in_atomic_block:
            close(connection)

    monkeypatch.setattr(
        BaseDatabaseWrapper, "close_if_unusable_or_obsolete", close_outside_transactions
    )


@pytest.fixture
def agency_a(db):
    return f.AgencyFactory(name="Dinas Kesehatan", short_name="Dinkes")


@pytest.fixture
def agency_b(db):
    return f.AgencyFactory(name="Dinas Lingkungan Hidup", short_name="DLH")


@pytest.fixture
def staff_a(agency_a):
    return f.UserFactory(agency=agency_a, full_name="Staf Dinkes")


@pytest.fixture
def staff_b(agency_b):
    return f.UserFactory(agency=agency_b, full_name="Staf DLH")


@pytest.fixture
def judge(db):
    return f.JudgeFactory(full_name="Dr. Juri Penilai")


@pytest.fixture
def other_judge(db):
    return f.JudgeFactory(full_name="Dr. Juri Lain")


@pytest.fixture
def organiser(db):
    return f.OrganiserFactory(full_name="Petugas Bagian Organisasi")


@pytest.fixture
def client_a(client, staff_a):
    client.force_login(staff_a)
    return client


@pytest.fixture
def attachment_insert_fails(monkeypatch):
    """The database refuses the INSERT of attachment rows (one statement per save) after the
    files were stored: what a connection lost mid-save looks like to ``attachments_add``."""
    real_bulk_create = QuerySet.bulk_create

    def broken_insert(self, objs, *args, **kwargs):
        if self.model is Attachment:
            raise DatabaseError("server closed the connection unexpectedly")
        return real_bulk_create(self, objs, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "bulk_create", broken_insert)
