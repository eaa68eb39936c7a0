from django.urls import path

from .views import judging as judging_views
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

# Judging (organiser): stages, assignment, progress, reminders, close, audit.
urlpatterns += [
    path("organisasi/penilaian/", judging_views.stages, name="judging_stages"),
    path(
        "organisasi/penilaian/tahap/<int:pk>/",
        judging_views.progress,
        name="judging_progress",
    ),
    path(
        "organisasi/penilaian/tahap/<int:pk>/penugasan-otomatis/",
        judging_views.auto_assign,
        name="judging_auto_assign",
    ),
    path(
        "organisasi/penilaian/tahap/<int:pk>/penugasan-kategori/",
        judging_views.category_assign,
        name="judging_category_assign",
    ),
    path(
        "organisasi/penilaian/tahap/<int:pk>/tambah-juri/<int:entry_pk>/",
        judging_views.top_up,
        name="judging_top_up",
    ),
    path(
        "organisasi/penilaian/tahap/<int:pk>/pengingat/",
        judging_views.remind,
        name="judging_remind",
    ),
    path("organisasi/penilaian/tahap/<int:pk>/tutup/", judging_views.close, name="judging_close"),
    path(
        "organisasi/penilaian/riwayat/proposal/<int:pk>/",
        judging_views.audit_entry,
        name="judging_audit_entry",
    ),
    path(
        "organisasi/penilaian/riwayat/juri/<int:pk>/",
        judging_views.audit_judge,
        name="judging_audit_judge",
    ),
]
