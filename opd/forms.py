from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from kovablik.text import NameField
from outbox.services import mail_queue

from .models import Agency, Approval, User, nip_validator
from .services import email_is_taken


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


PHONE_MIN_DIGITS = 8
PHONE_MAX_DIGITS = 15  # the longest number E.164 allows

_phone_characters = RegexValidator(
    r"^\+?[0-9 ()-]+$",
    _(
        "Nomor telepon hanya boleh berisi angka, boleh diawali + dan dipisah spasi atau "
        "tanda -. Hapus huruf dan tanda lainnya."
    ),
    code="phone_characters",
)


def phone_validator(value: str) -> None:
    """Say precisely what is wrong: letters, too few digits or too many."""
    value = (value or "").strip()
    _phone_characters(value)
    digits = sum(ch.isdigit() for ch in value)
    if digits < PHONE_MIN_DIGITS:
        raise forms.ValidationError(
            _(
                "Nomor telepon ini terlalu pendek: %(n)s angka, padahal paling sedikit "
                "%(min)s angka. Tulis nomor lengkap dengan kode wilayah, mis. 0812-3456-7890 "
                "atau 0321 123456."
            ),
            code="phone_short",
            params={"n": digits, "min": PHONE_MIN_DIGITS},
        )
    if digits > PHONE_MAX_DIGITS:
        raise forms.ValidationError(
            _(
                "Nomor telepon ini terlalu panjang: %(n)s angka, paling banyak %(max)s. "
                "Tulis satu nomor saja."
            ),
            code="phone_long",
            params={"n": digits, "max": PHONE_MAX_DIGITS},
        )


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's "forgot password" form, with its mail queued in the outbox, not sent here."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        mail_queue(
            subject=subject_template_name,
            template=email_template_name,
            context=context,
            recipient=context["user"],
            to_email=to_email,
            kind="opd.password_reset",
        )


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["language"]


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.short_name})" if obj.short_name else obj.name


class RegistrationForm(forms.Form):
    """Self-registration of OPD staff. The account waits for Bagian Organisasi's approval."""

    full_name = NameField(
        label=_("Nama lengkap"),
        max_length=150,
        help_text=_("Beserta gelar, seperti tertulis di SK."),
    )
    nip = forms.CharField(
        label=_("NIP"),
        validators=[nip_validator],
        help_text=_("18 angka tanpa spasi."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("E-mail"), help_text=_("Dipakai untuk masuk dan menerima pemberitahuan.")
    )
    phone = forms.CharField(
        label=_("Nomor telepon/WhatsApp"),
        max_length=30,
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    agency = AgencyChoiceField(
        label=_("OPD"),
        queryset=Agency.objects.active(),
        empty_label=_("-- pilih OPD atau unit kerja Anda --"),
    )
    password1 = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Minimal 8 karakter; jangan hanya angka atau kata yang umum."),
    )
    password2 = forms.CharField(
        label=_("Ulangi kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_nip(self):
        return self.cleaned_data["nip"].strip()

    def clean_email(self):
        # Whether the address already has an account is not said here (see
        # services.registration_submit): its owner is told by e-mail instead.
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        password1 = cleaned.get("password1")
        password2 = cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error(
                "password2", _("Kedua kata sandi tidak sama. Ketik ulang dengan teliti.")
            )
        elif password1:
            probe = User(
                email=cleaned.get("email") or "",
                full_name=cleaned.get("full_name") or "",
                nip=cleaned.get("nip") or "",
            )
            try:
                password_validation.validate_password(password1, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class RejectForm(forms.Form):
    """The reason a registration is turned down; it is e-mailed to the person."""

    reason = forms.CharField(
        label=_("Alasan penolakan"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Dikirim kepada pendaftar. Tulis apa yang perlu diperbaiki."),
    )


class JudgeCreateForm(forms.Form):
    """The organiser invites a judge; the judge sets a password through an e-mailed link."""

    full_name = NameField(label=_("Nama lengkap dan gelar"), max_length=150)
    institution = NameField(
        label=_("Instansi"),
        max_length=200,
        help_text=_("Misalnya universitas, Biro Organisasi Provinsi Jawa Timur, atau OPD asal."),
    )
    email = forms.EmailField(label=_("E-mail"))
    agency = AgencyChoiceField(
        label=_("OPD asal (bila ASN pemerintah daerah ini)"),
        queryset=Agency.objects.all(),
        required=False,
        help_text=_("Juri tidak akan menilai inovasi dari OPD ini dan unit-unitnya."),
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if email_is_taken(email):
            raise forms.ValidationError(
                _("Alamat e-mail ini sudah dipakai akun lain."), code="duplicate_email"
            )
        return email


class AgencyImportForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas XLSX atau CSV"),
        help_text=_(
            "Kolom: nama, singkatan, jenis, induk, nama_kepala, nip_kepala, email, telepon. "
            "Baris pertama berisi nama kolom."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    max_size = 2 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(
                _("Unggah berkas berakhiran .xlsx atau .csv."), code="extension"
            )
        if upload.size > self.max_size:
            raise forms.ValidationError(
                _("Berkas terlalu besar (maksimal 2 MB)."), code="too_large"
            )
        return upload
