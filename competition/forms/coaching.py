"""Forms of coaching (pembinaan): the OPD's request and the organiser's comment."""

from django import forms
from django.utils.translation import gettext_lazy

from competition.models.coaching import MAX_COMMENT_CHARS


class ReviewRequestForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("Pesan untuk Bagian Organisasi (boleh kosong)"),
        required=False,
        max_length=MAX_COMMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Catatan"),
        max_length=MAX_COMMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
