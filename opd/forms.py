from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import Approval


class LoginForm(AuthenticationForm):
    """Logs in with the e-mail address and says why a pending or rejected account can't."""

    username = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autofocus": True})
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("E-mail atau kata sandi salah. Perhatikan huruf besar dan kecil."),
        "pending": _("Akun Anda masih menunggu persetujuan Bagian Organisasi."),
        "rejected": _("Pendaftaran akun Anda ditolak: %(reason)s"),
        "inactive": _("Akun ini dinonaktifkan. Hubungi Bagian Organisasi."),
    }

    def clean_username(self):
        return self.cleaned_data["username"].lower()

    def confirm_login_allowed(self, user):
        if user.approval == Approval.PENDING:
            raise forms.ValidationError(self.error_messages["pending"], code="pending")
        if user.approval == Approval.REJECTED:
            raise forms.ValidationError(
                self.error_messages["rejected"],
                code="rejected",
                params={"reason": user.rejection_reason or "-"},
            )
        if not user.is_active:
            raise forms.ValidationError(self.error_messages["inactive"], code="inactive")
