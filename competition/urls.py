from django.urls import path

from .views import coaching as coaching_views
from .views import dashboard as dashboard_views
from .views import entries as entry_views
from .views import exports as export_views
from .views import forwarding as forwarding_views
from .views import innovations as innovation_views
from .views import judging as judging_views
from .views import organiser as organiser_views
from .views import outbox as outbox_views
from .views import public as public_views
from .views import ranking as ranking_views
from .views import rounds as round_views
from .views import snapshot as snapshot_views

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
    path(
        "organisasi/inovasi/<int:pk>/katalog/",
        organiser_views.innovation_catalogue,
        name="organiser_innovation_catalogue",
    ),
    path("organisasi/kepatuhan/", organiser_views.compliance, name="organiser_compliance"),
    path("organisasi/kotak-keluar/", outbox_views.outbox, name="outbox"),
    path(
        "organisasi/kotak-keluar/<int:pk>/kirim-ulang/",
        outbox_views.outbox_resend,
        name="outbox_resend",
    ),
    path(
        "organisasi/kepatuhan/pengingat/",
        organiser_views.compliance_remind,
        name="organiser_compliance_remind",
    ),
    path("beranda-opd/", innovation_views.dashboard, name="opd_dashboard"),
    path("inovasi/", innovation_views.innovation_list, name="innovation_list"),
    path("inovasi/baru/", innovation_views.innovation_create, name="innovation_create"),
    path("inovasi/<int:pk>/", innovation_views.innovation_detail, name="innovation_detail"),
    path("inovasi/<int:pk>/ubah/", innovation_views.innovation_update, name="innovation_update"),
    path("inovasi/<int:pk>/ikut-kompetisi/", innovation_views.entry_open, name="entry_open"),
    path("proposal/<int:pk>/", entry_views.entry_detail, name="entry_detail"),
    path("proposal/<int:pk>/ubah/", entry_views.entry_edit, name="entry_edit"),
    path("proposal/<int:pk>/kirim/", entry_views.entry_submit, name="entry_submit"),
    path("proposal/<int:pk>/tanda-terima/", entry_views.entry_receipt, name="entry_receipt"),
    path("proposal/<int:pk>/tarik/", entry_views.entry_withdraw, name="entry_withdraw"),
    path("proposal/<int:pk>/pembinaan/", coaching_views.coaching, name="entry_coaching"),
    path(
        "penerusan/<int:pk>/sesuaikan/",
        round_views.forwarding_adapt,
        name="forwarding_adapt",
    ),
    path(
        "proposal/<int:pk>/pembinaan/bagian/<int:section_pk>/",
        coaching_views.section_versions,
        name="entry_section_versions",
    ),
    path("proposal/<int:pk>/umpan-balik/", coaching_views.entry_feedback, name="entry_feedback"),
    path("organisasi/pembinaan/", coaching_views.review_list, name="organiser_reviews"),
    path("lampiran/<int:pk>/unduh/", entry_views.attachment_download, name="attachment_download"),
    path("lampiran/<int:pk>/lihat/", entry_views.attachment_inline, name="attachment_inline"),
    path("lampiran/<int:pk>/hapus/", entry_views.attachment_delete, name="attachment_delete"),
]

# Results (organiser), the OPD's own result, and the public pages.
urlpatterns += [
    path("organisasi/hasil/", ranking_views.results_index, name="results_index"),
    path("organisasi/hasil/tahap/<int:pk>/", ranking_views.stage_leaderboard, name="results_stage"),
    path(
        "organisasi/hasil/tahap/<int:pk>/moderasi/<int:entry_pk>/",
        ranking_views.moderation_note,
        name="results_moderation",
    ),
    path(
        "organisasi/hasil/tahap/<int:pk>/finalis/",
        ranking_views.finalists_select,
        name="results_finalists",
    ),
    path(
        "organisasi/hasil/tahap/<int:pk>/jadwal/", ranking_views.schedule, name="results_schedule"
    ),
    path(
        "organisasi/hasil/tahap/<int:pk>/finalis/<int:entry_pk>/batal/",
        ranking_views.finalist_remove,
        name="results_finalist_remove",
    ),
    path(
        "organisasi/hasil/tahap/<int:pk>/jadwal.csv",
        ranking_views.schedule_csv,
        name="results_schedule_csv",
    ),
    path(
        "organisasi/hasil/<int:year>/peringkat/", snapshot_views.final_ranking, name="results_final"
    ),
    path(
        "organisasi/hasil/<int:year>/versi-baru/",
        snapshot_views.revision_open,
        name="results_revision",
    ),
    path(
        "organisasi/hasil/<int:year>/versi/<int:version>/",
        snapshot_views.snapshot_detail,
        name="results_snapshot",
    ),
    path(
        "organisasi/hasil/<int:year>/versi/<int:version>/umumkan/",
        snapshot_views.snapshot_publish,
        name="results_publish",
    ),
    path(
        "organisasi/hasil/<int:year>/penerusan/", forwarding_views.pipeline, name="results_pipeline"
    ),
    path(
        "organisasi/hasil/penerusan/<int:pk>/catat/",
        forwarding_views.outcome_add,
        name="results_outcome",
    ),
    path(
        "organisasi/hasil/penerusan/<int:pk>/batal/",
        forwarding_views.forwarding_cancel,
        name="results_forwarding_cancel",
    ),
    path(
        "organisasi/hasil/bukti/<int:pk>/",
        forwarding_views.outcome_evidence,
        name="results_evidence",
    ),
    path("hasil-opd/", snapshot_views.opd_results_latest, name="opd_results_latest"),
    path("hasil-opd/<int:year>/", snapshot_views.opd_results, name="opd_results"),
    path("organisasi/putaran/", round_views.round_list, name="round_list"),
    path("organisasi/putaran/impor/", round_views.package_upload, name="package_upload"),
    path("organisasi/putaran/<slug:slug>/", round_views.round_detail, name="round_detail"),
    path(
        "organisasi/putaran/<slug:slug>/teruskan/",
        round_views.round_forward,
        name="round_forward",
    ),
    path(
        "organisasi/putaran/impor/<slug:round_slug>/hasil.json",
        round_views.outcomes_download,
        name="outcomes_download",
    ),
    path(
        "organisasi/putaran/<slug:slug>/hasil/",
        round_views.outcomes_upload,
        name="outcomes_upload",
    ),
    path(
        "organisasi/putaran/<slug:slug>/paket-data.zip",
        round_views.round_package,
        name="round_package",
    ),
    path(
        "organisasi/putaran/<slug:slug>/daftar-terbit/",
        round_views.round_published_list,
        name="round_published_list",
    ),
    path("pengumuman/", public_views.announcements, name="public_announcements"),
    path("pengumuman/<int:year>/", public_views.announcement, name="public_announcement"),
    path("pengumuman/<int:year>/foto/<int:pk>/", public_views.winner_photo, name="public_photo"),
    path("katalog/", public_views.catalogue, name="public_catalogue"),
    path("logo-daerah/", public_views.region_logo, name="public_region_logo"),
    path("katalog/<int:pk>/", public_views.catalogue_detail, name="public_catalogue_detail"),
    path("penghargaan/", public_views.hall_of_fame, name="public_hall_of_fame"),
]

# The organiser's dashboard and exports.
urlpatterns += [
    path("organisasi/dasbor/", dashboard_views.dashboard, name="dashboard"),
    path("organisasi/ekspor/", export_views.export_index, name="exports"),
    path(
        "organisasi/ekspor/<int:year>/<slug:kind>.<str:fmt>",
        export_views.export_competition,
        name="export_competition",
    ),
    path(
        "organisasi/ekspor/<int:year>/tahap-<int:order>/<slug:kind>.<str:fmt>",
        export_views.export_stage,
        name="export_stage",
    ),
    path(
        "organisasi/ekspor/proposal/<int:pk>/<slug:kind>.<str:fmt>",
        export_views.export_entry,
        name="export_entry",
    ),
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
        "organisasi/penilaian/tahap/<int:pk>/buka-kembali/",
        judging_views.reopen,
        name="judging_reopen",
    ),
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
