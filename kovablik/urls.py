from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from competition.admin.desk import judge_desk
from opd import views as opd_views
from opd.forms import OutboxPasswordResetForm
from operations import views as operations_views

account_patterns = [
    path("masuk/", opd_views.LoginView.as_view(), name="login"),
    path("keluar/", opd_views.LogoutView.as_view(), name="logout"),
    path("profil/", opd_views.profile, name="profile"),
    path("kata-sandi/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "kata-sandi/selesai/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "lupa-sandi/",
        auth_views.PasswordResetView.as_view(form_class=OutboxPasswordResetForm),
        name="password_reset",
    ),
    path(
        "lupa-sandi/terkirim/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "lupa-sandi/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "lupa-sandi/selesai/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("", opd_views.home, name="home"),
    path("healthz", operations_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("akun/", include(account_patterns)),
    path("opd/", include("opd.urls")),
    path("", include("competition.urls")),
    path("admin/", admin.site.urls),
    path("penilaian/", judge_desk.urls),
]
