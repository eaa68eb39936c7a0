from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext

from . import services
from .forms import LoginForm, ProfileForm, RegistrationForm


def home(request):
    """The landing page: what the portal is for, and for a signed-in user, where to go."""
    if request.user.is_authenticated and request.user.is_opd_staff:
        return redirect("competition:opd_dashboard")
    if request.user.is_authenticated and request.user.is_judge:
        return redirect("judge_desk:index")
    if request.user.is_authenticated and request.user.is_organiser:
        return redirect("competition:dashboard")
    return render(request, "home.html")


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Logs out (POST only) and says so, so that a shared office computer is left clean."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, gettext("Anda telah keluar dari Kovablik."))
        return response


def register(request):
    """OPD staff sign themselves up; the account then waits for Bagian Organisasi."""
    if request.user.is_authenticated:
        messages.info(request, gettext("Anda sudah masuk; tidak perlu mendaftar lagi."))
        return redirect("home")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.registration_submit(
                full_name=data["full_name"],
                nip=data["nip"],
                email=data["email"],
                phone=data["phone"],
                agency=data["agency"],
                password=data["password1"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # The same page whether the address was new or already had an account.
            request.session["registered_email"] = data["email"]
            return redirect("opd:register_done")
    return render(request, "opd/register.html", {"form": form})


@login_required
def profile(request):
    """Each person's own settings: for now the language of the portal's e-mails."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_set_language(user=request.user, language=form.cleaned_data["language"])
        messages.success(request, gettext("Profil disimpan."))
        return redirect("profile")
    return render(request, "opd/profile.html", {"form": form})


def register_done(request):
    """Tells the new registrant the account awaits approval and an e-mail is on its way."""
    email = request.session.pop("registered_email", None)
    if email is None:
        return redirect("opd:register")
    return render(request, "opd/register_done.html", {"email": email})


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer after too many failed logins: says when to try again."""
    cool_off = get_cool_off(request)
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
        "retry_at": timezone.localtime(timezone.now() + cool_off) if cool_off else None,
    }
    return render(request, "registration/locked_out.html", context, status=429)
