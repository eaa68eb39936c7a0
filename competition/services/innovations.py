"""Writes of the innovation registry: an innovation and its innovators (the OPD), and
its approval for the public catalogue (the organiser)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms import BaseInlineFormSet, ModelForm
from django.utils import timezone
from django.utils.translation import gettext as _

from competition.models import Award, Entry, Innovation


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


def _catalogue_candidate(innovation_pk: int) -> Innovation:
    return Innovation.objects.select_for_update().get(pk=innovation_pk)


def innovation_catalogue_approve(*, innovation: Innovation, actor) -> Innovation:
    """The organiser stands behind ``innovation`` in the public catalogue.

    Only an innovation with an entry that passed screening (any year) or an award may be
    approved; it then shows once its OPD consents. The history records who approved it.
    """
    if actor is None or not actor.has_perm("competition.curate_catalogue"):
        raise PermissionDenied
    with transaction.atomic():
        locked = _catalogue_candidate(innovation.pk)
        vetted = (
            Entry.objects.filter(innovation=locked).screened_in().exists()
            or Award.objects.filter(innovation=locked).exists()
        )
        if not vetted:
            raise ValidationError(
                _(
                    "Hanya inovasi yang proposalnya pernah lolos seleksi administrasi atau "
                    "yang pernah meraih penghargaan dapat disetujui untuk katalog publik."
                ),
                code="not_vetted",
            )
        if locked.catalogue_approved_at is None:
            locked.catalogue_approved_at = timezone.now()
            locked.catalogue_approved_by = actor
            locked._history_user = actor
            locked._change_reason = _("Disetujui untuk katalog publik")
            locked.save(update_fields=["catalogue_approved_at", "catalogue_approved_by"])
    innovation.refresh_from_db()
    return innovation


def innovation_catalogue_withdraw(*, innovation: Innovation, actor) -> Innovation:
    """Take ``innovation`` out of the public catalogue; the history records who did."""
    if actor is None or not actor.has_perm("competition.curate_catalogue"):
        raise PermissionDenied
    with transaction.atomic():
        locked = _catalogue_candidate(innovation.pk)
        if locked.catalogue_approved_at is not None:
            locked.catalogue_approved_at = None
            locked.catalogue_approved_by = None
            locked._history_user = actor
            locked._change_reason = _("Ditarik dari katalog publik")
            locked.save(update_fields=["catalogue_approved_at", "catalogue_approved_by"])
    innovation.refresh_from_db()
    return innovation
