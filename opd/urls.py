from django.urls import path

from . import views

app_name = "opd"

urlpatterns = [
    path("daftar/", views.register, name="register"),
    path("daftar/terkirim/", views.register_done, name="register_done"),
]
