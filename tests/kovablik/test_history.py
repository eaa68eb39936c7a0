"""Every history-keeping model's ``history`` manager class is built once."""

import pytest
from django.apps import apps

from kovablik.history import HistoryManager

HISTORIED = [
    model
    for model in apps.get_models()
    if "simple_history_manager_attribute" in model._meta.__dict__
]


@pytest.mark.parametrize("model", HISTORIED, ids=lambda m: m._meta.label)
def test_history_managers_are_ours_and_their_class_is_built_once(model):
    name = model._meta.simple_history_manager_attribute

    first, second = getattr(model, name), getattr(model(pk=1), name)

    assert isinstance(first, HistoryManager)
    assert type(first) is type(second)
    assert first.instance is None and second.instance.pk == 1


def test_the_models_a_score_sheet_save_writes_are_among_them():
    labels = {model._meta.label for model in HISTORIED}

    assert {"competition.ScoreSheet", "competition.Score", "opd.Agency"} <= labels
