"""Writes of the OPD's innovation registry: an innovation and its innovators."""

from django.db import transaction
from django.forms import BaseInlineFormSet, ModelForm

from competition.models import Innovation


def innovation_save(*, form: ModelForm, innovators: BaseInlineFormSet, user) -> Innovation:
    """Save a validated innovation form with its innovators formset, all or nothing.

    The person who first saves an innovation is recorded as its creator; the history
    keeps who changed it since.
    """
    with transaction.atomic():
        innovation = form.save(commit=False)
        if not innovation.pk:
            innovation.created_by = user
        innovation._history_user = user
        innovation.save()
        form.save_m2m()
        innovators.instance = innovation
        innovators.save()
    return innovation
