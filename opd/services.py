"""Writes about people and agencies: registration, approval, judge accounts, agency status.

Every function here is the one door for its change, so that the admin, the views and the
demo seeder behave alike and e-mails go out only once the change is committed.
"""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext, gettext_lazy

from outbox.models import Mail
from outbox.services import mail_queue

from .models import Agency, Approval, Language, RegionProfile, Role, User


def _mail(*, template: str, subject, user: User, context=None) -> None:
    """Queue the mail in the caller's transaction, in the recipient's language."""
    mail_queue(
        subject=subject,
        template=f"opd/email/{template}.txt",
        context=context,
        recipient=user,
        kind=f"opd.{template}",
    )


def user_set_language(*, user: User, language: str) -> User:
    """The language the portal writes this person's e-mail in (their profile page)."""
    if language not in Language.values:
        raise ValidationError(gettext("Pilih bahasa yang tersedia."), code="language")
    user.language = language
    user.save(update_fields=["language"])
    return user


DIGEST_KIND = "opd.registrations_digest"


@transaction.atomic
def registrations_digest_send(*, now=None) -> int:
    """Tell every organiser which accounts wait for approval; returns how many were told.

    Nothing when no account waits. At most one digest a day per organiser however often
    cron runs: organisers are locked, and one who already has today's digest in the outbox
    is skipped.
    """
    now = now or timezone.now()
    pending = list(
        User.objects.filter(approval=Approval.PENDING)
        .select_related("agency")
        .order_by("date_joined", "pk")
    )
    if not pending:
        return 0
    organisers = list(
        User.objects.select_for_update()
        .filter(role=Role.ORGANISER, is_active=True)
        .exclude(email="")
        .order_by("pk")
    )
    day_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    already = set(
        Mail.objects.filter(
            kind=DIGEST_KIND, recipient__in=organisers, created_at__gte=day_start
        ).values_list("recipient_id", flat=True)
    )
    url = settings.SITE_URL + reverse("admin:opd_user_changelist") + "?approval__exact=pending"
    told = 0
    for organiser in organisers:
        if organiser.pk in already:
            continue
        mail_queue(
            subject=gettext_lazy("Kovablik: %(n)s akun menunggu persetujuan"),
            template="opd/email/registrations_digest.txt",
            context={"accounts": pending, "n": len(pending), "url": url},
            recipient=organiser,
            kind=DIGEST_KIND,
        )
        told += 1
    return told


def email_is_taken(email: str, *, exclude_pk: int | None = None) -> bool:
    """E-mail addresses are unique whatever their case: people type them both ways."""
    return User.objects.filter(email__iexact=email.strip()).exclude(pk=exclude_pk).exists()


def _check_email_free(email: str) -> None:
    if email_is_taken(email):
        raise ValidationError(
            gettext(
                "Alamat e-mail %(email)s sudah terdaftar. Silakan masuk, atau pakai "
                "'Lupa kata sandi' bila Anda lupa kata sandinya."
            ),
            code="duplicate_email",
            params={"email": email},
        )


def _check_agency_active(agency: Agency) -> None:
    if not agency.is_active:
        raise ValidationError(
            gettext("OPD %(agency)s tidak aktif. Pilih OPD lain atau hubungi Bagian Organisasi."),
            code="inactive_agency",
            params={"agency": agency.name},
        )


@transaction.atomic
def registration_submit(
    *, full_name: str, nip: str, email: str, phone: str, agency: Agency, password: str
) -> User | None:
    """The sign-up form's door: it answers alike whether or not the address has an account.

    A new address gets a pending account (``user_register``). For an address that already
    has one, nothing is created: its owner is told by e-mail that someone tried to sign up
    with it, and ``None`` comes back, so that the sign-up page cannot be used to find out
    who has an account (password reset already answers the same for every address). The
    password is hashed either way, so the time taken does not tell either.
    """
    email = email.strip().lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        return user_register(
            full_name=full_name, nip=nip, email=email, phone=phone, agency=agency, password=password
        )
    _check_agency_active(agency)
    make_password(password)
    mail_registration_attempt(user=existing)
    return None


def mail_registration_attempt(*, user: User) -> None:
    """Tells the owner of an address that someone tried to register an account with it."""
    _mail(
        template="registration_attempt",
        subject=gettext_lazy("Ada yang mencoba mendaftar di Kovablik dengan e-mail Anda"),
        user=user,
        context={
            "login_url": settings.SITE_URL + reverse("login"),
            "reset_url": settings.SITE_URL + reverse("password_reset"),
        },
    )


@transaction.atomic
def user_register(
    *, full_name: str, nip: str, email: str, phone: str, agency: Agency, password: str
) -> User:
    """An OPD staff member signs up; the account waits for Bagian Organisasi's approval.

    Refuses an address that has an account; the sign-up page goes through
    ``registration_submit``, which does not say so.
    """
    email = email.strip().lower()
    _check_email_free(email)
    _check_agency_active(agency)
    user = User(
        email=email,
        full_name=full_name.strip(),
        nip=nip,
        phone=phone.strip(),
        agency=agency,
        role=Role.OPD_STAFF,
        approval=Approval.PENDING,
        is_active=False,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    _mail(
        template="registration_received",
        subject=gettext_lazy("Pendaftaran akun Kovablik diterima"),
        user=user,
    )
    return user


@transaction.atomic
def user_approve(*, user: User, actor: User) -> User:
    """Lets a pending (or earlier rejected) account in and tells its owner how to log in.

    Approving an approved account again changes nothing and sends nothing, so a double
    click or two organisers working at once do not send two e-mails.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.approval == Approval.APPROVED:
        return user
    user.approval = Approval.APPROVED
    user.is_active = True
    user.rejection_reason = ""
    user.decided_at = timezone.now()
    user.decided_by = actor
    user.save(
        update_fields=[
            "approval",
            "is_active",
            "rejection_reason",
            "decided_at",
            "decided_by",
            "is_staff",
        ]
    )
    _mail(
        template="account_approved",
        subject=gettext_lazy("Akun Kovablik Anda telah disetujui"),
        user=user,
        context={"login_url": settings.SITE_URL + reverse("login")},
    )
    return user


@transaction.atomic
def user_reject(*, user: User, actor: User, reason: str) -> User:
    """Turns a registration down with a reason the person can act on."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            gettext("Tuliskan alasan penolakan; alasan ini dikirim kepada pendaftar."),
            code="reason_required",
        )
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_superuser:
        raise ValidationError(gettext("Akun superuser tidak dapat ditolak."), code="superuser")
    if user.approval == Approval.REJECTED and user.rejection_reason == reason:
        return user
    user.approval = Approval.REJECTED
    user.is_active = False
    user.rejection_reason = reason
    user.decided_at = timezone.now()
    user.decided_by = actor
    user.save(
        update_fields=["approval", "is_active", "rejection_reason", "decided_at", "decided_by"]
    )
    _mail(
        template="account_rejected",
        subject=gettext_lazy("Pendaftaran akun Kovablik Anda ditolak"),
        user=user,
        context={"reason": reason},
    )
    return user


def set_password_url(user: User) -> str:
    """A one-time link to choose a password, built with Django's password-reset tokens."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return settings.SITE_URL + path


@transaction.atomic
def judge_create(
    *,
    full_name: str,
    email: str,
    institution: str,
    actor: User,
    agency: Agency | None = None,
) -> User:
    """The organiser invites a judge, who then chooses a password through an e-mailed link.

    ``agency`` is set for judges who are city employees: conflict-of-interest rules keep
    them away from entries of that agency and its units.
    """
    email = email.strip().lower()
    _check_email_free(email)
    user = User(
        email=email,
        full_name=full_name.strip(),
        institution=institution.strip(),
        agency=agency,
        role=Role.JUDGE,
        approval=Approval.APPROVED,
        is_active=True,
        decided_at=timezone.now(),
        decided_by=actor,
    )
    # A random password nobody knows, not an unusable one: Django's "forgot password" form
    # skips unusable passwords, and a judge whose link expired must still be able to use it.
    user.set_password(get_random_string(48))
    user.full_clean()
    user.save()
    # The token depends on the stored password and last login, both final by now.
    _mail(
        template="judge_invited",
        subject=gettext_lazy("Undangan sebagai juri Kompetisi Inovasi %(region)s"),
        user=user,
        context={
            "set_password_url": set_password_url(user),
            "region": RegionProfile.current().full_name,
        },
    )
    return user


@transaction.atomic
def agency_set_active(*, agencies: Iterable[Agency], active: bool) -> int:
    """Activates or deactivates agencies; history is kept, nothing is deleted.

    Returns how many agencies actually changed.
    """
    changed = 0
    pks = [agency.pk for agency in agencies]
    for agency in Agency.objects.select_for_update().filter(pk__in=pks, is_active=not active):
        agency.is_active = active
        # save() rather than update() so that simple_history records who did it.
        agency.save(update_fields=["is_active", "updated_at"])
        changed += 1
    return changed
