"""The personas every access test speaks of."""

import pytest
from django.db.backends.base.base import BaseDatabaseWrapper

from opd.models import RegionProfile
from tests import factories as f


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
