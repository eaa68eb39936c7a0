"""The hostile files as evidence of a provincial or national result (organiser's form)."""

from functools import cache

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from competition.models import Outcome
from tests import factories as f
from tests.competition.hardening.conftest import media_files
from tests.competition.hostile.make_corpus import EITHER, NEUTRALISE, REFUSE, hostile_files

# Evidence may be up to 5 MB: the corpus's 2 MB + 1 byte file is a fine PDF here.
EVIDENCE_EXPECT = {"oversize-pdf": NEUTRALISE}


@cache
def corpus():
    return {item.id: item for item in hostile_files()}


@pytest.mark.parametrize("file_id", sorted(corpus()))
def test_outcome_evidence_refuses_or_neutralises_hostile_file(file_id, client, organiser, settings):
    item = corpus()[file_id]
    expect = EVIDENCE_EXPECT.get(file_id, item.expect)
    forwarding = f.ForwardingFactory(forwarded_by=organiser)
    client.force_login(organiser)

    response = client.post(
        reverse("competition:results_outcome", args=[forwarding.pk]),
        {
            "step": "registered",
            "occurred_on": "2026-09-01",
            "evidence": SimpleUploadedFile(item.name or "berkas", item.data),
        },
    )

    assert response.status_code in {200, 302}
    outcome = Outcome.objects.filter(forwarding=forwarding).first()
    if outcome is None:
        assert expect in {REFUSE, EITHER}
        assert response.context["form"].errors["evidence"]
        assert media_files(settings) == []
        return
    assert expect in {NEUTRALISE, EITHER}, f"{file_id} ({item.why}) was stored"
    assert outcome.evidence.name.startswith(f"outcomes/{forwarding.pk}/")
    assert "." not in outcome.evidence.name.rsplit("/", 1)[1]
