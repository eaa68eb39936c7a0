"""The KIPP format (since 2023) as starting data for a new year's competition.

These are defaults the organiser edits afterwards in the admin; nothing in the portal
reads them at run time except ``competition_create_default``. Labels and guidance are
Indonesian source strings (marked for translation) because they are what OPD staff read.
"""

from django.utils.translation import gettext_lazy as _

from competition.models import GroupCode

MIN_AGE_MONTHS = 12
FORWARD_QUOTA = 3
REFERENCE_PREFIX = "KIPP"

GROUPS = [
    {
        "code": GroupCode.UMUM,
        "description": _("Inovasi pelayanan publik yang dikembangkan sendiri oleh OPD atau UPT."),
        "invitation_only": False,
    },
    {
        "code": GroupCode.REPLIKASI,
        "description": _(
            "Inovasi yang mengadaptasi inovasi pemenang sebelumnya; menjawab tiga bagian "
            "tambahan: Inspirasi, Proses Replikasi dan Faktor Pembeda."
        ),
        "invitation_only": False,
    },
    {
        "code": GroupCode.KHUSUS,
        "description": _("Untuk pemenang utama tahun-tahun sebelumnya, hanya dengan undangan."),
        "invitation_only": True,
    },
]

# Sections in KIPP order. ``groups`` empty means the section applies to every group.
SECTIONS = [
    {
        "key": "ringkasan",
        "label": _("Ringkasan"),
        "word_limit": 200,
        "guidance": _(
            "Gambarkan inovasi secara singkat: masalah yang diatasi, apa yang dilakukan, "
            "siapa yang terbantu dan hasil utamanya."
        ),
    },
    {
        "key": "latar-belakang-tujuan",
        "label": _("Latar Belakang dan Tujuan"),
        "word_limit": 300,
        "guidance": _(
            "Uraikan kondisi sebelum inovasi, kelompok sasaran, dan tujuan yang terukur."
        ),
    },
    {
        "key": "kebaruan",
        "label": _("Kebaruan / Nilai Tambah"),
        "word_limit": 200,
        "guidance": _(
            "Jelaskan apa yang baru atau berbeda dibanding layanan sebelumnya atau inovasi "
            "serupa, termasuk modifikasi yang bermakna."
        ),
    },
    {
        "key": "implementasi",
        "label": _("Implementasi Inovasi"),
        "word_limit": 200,
        "guidance": _(
            "Sebutkan kapan dan bagaimana inovasi diterapkan, tahapannya, serta pihak yang "
            "terlibat."
        ),
    },
    {
        "key": "signifikansi",
        "label": _("Signifikansi"),
        "word_limit": 600,
        "guidance": _(
            "Bandingkan dampak sebelum dan sesudah inovasi, cara pengukurannya, dan laporan "
            "evaluasi yang mendukung."
        ),
    },
    {
        "key": "adaptabilitas-replikasi",
        "label": _("Adaptabilitas: Sudah Direplikasi"),
        "word_limit": 100,
        "guidance": _("Apakah inovasi sudah direplikasi? Bila ya, oleh siapa dan di mana."),
    },
    {
        "key": "adaptabilitas-potensi",
        "label": _("Adaptabilitas: Potensi Replikasi"),
        "word_limit": 200,
        "guidance": _(
            "Jelaskan mengapa inovasi dapat diterapkan oleh instansi atau daerah lain dan "
            "apa yang dibutuhkan."
        ),
    },
    {
        "key": "sumber-daya",
        "label": _("Sumber Daya"),
        "word_limit": 200,
        "guidance": _(
            "Uraikan sumber daya yang digunakan: anggaran, sumber daya manusia, metode dan "
            "peralatan."
        ),
    },
    {
        "key": "keberlanjutan",
        "label": _("Strategi Keberlanjutan"),
        "word_limit": 500,
        "guidance": _(
            "Jelaskan strategi agar inovasi terus berjalan: regulasi, kelembagaan dan "
            "pengelolaan, serta dukungan sosial masyarakat."
        ),
    },
    {
        "key": "inspirasi",
        "label": _("Inspirasi"),
        "word_limit": 100,
        "groups": [GroupCode.REPLIKASI],
        "guidance": _("Sebutkan inovasi sumber yang direplikasi, pemiliknya dan tahunnya."),
    },
    {
        "key": "proses-replikasi",
        "label": _("Proses Replikasi"),
        "word_limit": 200,
        "groups": [GroupCode.REPLIKASI],
        "guidance": _(
            "Ceritakan bagaimana inovasi sumber dipelajari dan diadaptasi hingga diterapkan."
        ),
    },
    {
        "key": "faktor-pembeda",
        "label": _("Faktor Pembeda"),
        "word_limit": 100,
        "groups": [GroupCode.REPLIKASI],
        "guidance": _("Jelaskan perbedaan dan penyesuaian dibanding inovasi sumber."),
    },
]

ATTACHMENT_KINDS = [
    {
        "key": "sk-inovator",
        "label": _("SK penetapan inovator"),
        "guidance": _("Surat keputusan yang menetapkan inovator perorangan atau tim."),
        "required": True,
        "allowed_types": ["pdf"],
        "max_size_mb": 2,
        "max_files": 1,
    },
    {
        "key": "pernyataan-implementasi",
        "label": _("Surat pernyataan implementasi inovasi"),
        "guidance": _("Ditandatangani kepala OPD, menyatakan inovasi telah diterapkan."),
        "required": True,
        "allowed_types": ["pdf"],
        "max_size_mb": 2,
        "max_files": 1,
    },
    {
        "key": "pernyataan-identitas",
        "label": _("Surat pernyataan identitas inovator"),
        "guidance": _("Menyatakan kebenaran identitas inovator."),
        "required": True,
        "allowed_types": ["pdf"],
        "max_size_mb": 2,
        "max_files": 1,
    },
    {
        "key": "kesediaan-replikasi",
        "label": _("Surat pernyataan kesediaan direplikasi"),
        "guidance": _("Menyatakan OPD bersedia inovasinya direplikasi oleh pihak lain."),
        "required": True,
        "allowed_types": ["pdf"],
        "max_size_mb": 2,
        "max_files": 1,
    },
    {
        "key": "standar-pelayanan",
        "label": _("Standar pelayanan"),
        "guidance": _("Standar pelayanan yang memuat inovasi, bila ada."),
        "required": False,
        "allowed_types": ["pdf"],
        "max_size_mb": 2,
        "max_files": 1,
    },
    {
        "key": "laporan-evaluasi",
        "label": _("Laporan evaluasi"),
        "guidance": _("Laporan evaluasi atau survei yang mengukur dampak inovasi."),
        "required": False,
        "allowed_types": ["pdf"],
        "max_size_mb": 2,
        "max_files": 1,
    },
    {
        "key": "foto-sebelum-sesudah",
        "label": _("Foto sebelum dan sesudah inovasi"),
        "guidance": _("Foto kondisi layanan sebelum dan sesudah inovasi (JPEG atau PNG)."),
        "required": False,
        "allowed_types": ["image"],
        "max_size_mb": 2,
        "max_files": 6,
    },
]
