"""The FilterSet of Kotak keluar (the organiser's outbox), bound by ``selectors.mail_list``."""

import django_filters as filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .models import Mail, MailStatus


def mail_search(mails: QuerySet[Mail], term: str) -> QuerySet[Mail]:
    """Mail whose address or subject holds every word of ``term``."""
    for word in term.split():
        mails = mails.filter(Q(to_email__icontains=word) | Q(subject__icontains=word))
    return mails


class MailFilter(filters.FilterSet):
    status = filters.ChoiceFilter(
        label=_("Status"), choices=MailStatus.choices, empty_label=_("Semua")
    )
    cari = filters.CharFilter(
        method="search",
        label=_("Alamat atau subjek"),
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def search(self, mails, name, value):
        return mail_search(mails, value)
