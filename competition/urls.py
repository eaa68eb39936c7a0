from django.urls import path

from .views import opd
from .views import organiser as organiser_views

app_name = "competition"

urlpatterns = [
    path("organisasi/proposal/", organiser_views.entry_list, name="organiser_entries"),
    path(
        "organisasi/proposal/loloskan/",
        organiser_views.entries_bulk_pass_view,
        name="organiser_bulk_pass",
    ),
    path(
        "organisasi/proposal/<int:pk>/",
        organiser_views.entry_detail,
        name="organiser_entry_detail",
    ),
    path(
        "organisasi/proposal/<int:pk>/seleksi/",
        organiser_views.entry_screen_view,
        name="organiser_entry_screen",
    ),
    path("organisasi/kepatuhan/", organiser_views.compliance, name="organiser_compliance"),
    path(
        "organisasi/kepatuhan/pengingat/",
        organiser_views.compliance_remind,
        name="organiser_compliance_remind",
    ),
    path("beranda-opd/", opd.dashboard, name="opd_dashboard"),
    path("inovasi/", opd.innovation_list, name="innovation_list"),
    path("inovasi/baru/", opd.innovation_create, name="innovation_create"),
    path("inovasi/<int:pk>/", opd.innovation_detail, name="innovation_detail"),
    path("inovasi/<int:pk>/ubah/", opd.innovation_update, name="innovation_update"),
    path("inovasi/<int:pk>/ikut-kompetisi/", opd.entry_open, name="entry_open"),
    path("proposal/<int:pk>/", opd.entry_detail, name="entry_detail"),
    path("proposal/<int:pk>/ubah/", opd.entry_edit, name="entry_edit"),
    path("proposal/<int:pk>/kirim/", opd.entry_submit, name="entry_submit"),
    path("proposal/<int:pk>/tanda-terima/", opd.entry_receipt, name="entry_receipt"),
    path("proposal/<int:pk>/tarik/", opd.entry_withdraw, name="entry_withdraw"),
    path("lampiran/<int:pk>/unduh/", opd.attachment_download, name="attachment_download"),
    path("lampiran/<int:pk>/hapus/", opd.attachment_delete, name="attachment_delete"),
]
