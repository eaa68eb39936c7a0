"""The KIPP format (since 2023) as starting data for a new year's competition.

These are defaults the organiser edits afterwards in the admin; nothing in the portal
reads them at run time except ``competition_create_default``, ``stage_create_default_rubric``
and the round formats. Labels and guidance are Indonesian source strings (marked for
translation) because they are what OPD staff and judges read.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from competition.models import GroupCode, StageKind

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


# --- target rounds ---------------------------------------------------------------------
# Starting formats of the rounds the region forwards entries to (``round_create_from_format``).
# A round's sections start from the region's sections named in ``source_keys``; attachment
# kinds likewise. Age in months, quota per region, ``max_entries`` across the round's series.


def _kipp_section(spec: dict) -> dict:
    return {**spec, "source_keys": [spec["key"]]}


KIPP_ATTACHMENTS = [
    {"key": spec["key"], "label": spec["label"], "source_keys": [spec["key"]]}
    for spec in ATTACHMENT_KINDS
] + [
    {
        "key": "pernyataan-replikasi",
        "label": _("Surat pernyataan telah mereplikasi inovasi"),
        "groups": [GroupCode.REPLIKASI],
        "source_keys": [],
    }
]

ROUND_FORMATS = {
    "kipp-2023": {
        "label": _("KIPP KemenPAN-RB (format 2023)"),
        "name": "KIPP %(year)s",
        "series": "kipp",
        "level": "national",
        "organiser": "Kementerian PANRB",
        "organiser_region": "",
        "steps": [
            _("Seleksi administrasi"),
            _("Penilaian desk oleh tim evaluasi"),
            _("Panel independen"),
            _("Presentasi dan wawancara"),
            _("Verifikasi lapangan"),
            _("Penetapan"),
        ],
        "award_labels": ["Top 99", "Top 45", "Top 15 Khusus", "Outstanding Achievement"],
        "rules": [
            {
                "group": GroupCode.UMUM,
                "min_age_months": 24,
                "quota": 10,
                "barring_awards": [
                    {"label": "Top 45", "times": 1},
                    {"label": "Top 99", "times": 2},
                ],
                "video_required": True,
                "video_max_minutes": 3,
            },
            {
                "group": GroupCode.REPLIKASI,
                "min_age_months": 12,
                "quota": 5,
                "barring_awards": [{"label": "Top 45", "times": 1}],
                "video_required": True,
                "video_max_minutes": 3,
            },
            {
                "group": GroupCode.KHUSUS,
                "min_age_months": 24,
                "video_required": True,
                "video_max_minutes": 3,
            },
        ],
        "sections": [_kipp_section(spec) for spec in SECTIONS],
        "attachments": KIPP_ATTACHMENTS,
    },
    "kovablik-jatim": {
        "label": _("Kovablik Jawa Timur"),
        "name": "Kovablik Jatim %(year)s",
        "series": "kovablik-jatim",
        "level": "province",
        "organiser": "BRIDA Provinsi Jawa Timur",
        "organiser_region": "Provinsi Jawa Timur",
        "steps": [
            _("Seleksi administrasi"),
            _("Presentasi dan wawancara"),
            _("Kunjungan lapangan"),
            _("Penetapan"),
        ],
        "award_labels": ["Top 25", "Top 30", "Top 45", "Outstanding Achievement"],
        "rules": [
            {
                "group": GroupCode.UMUM,
                "min_age_months": 12,
                "quota": 3,
                "barring_awards": [{"label": "Top 25", "times": 1}],
            },
        ],
        "sections": [
            _kipp_section(spec)
            for spec in SECTIONS
            if not spec.get("groups") and not spec["key"].startswith("adaptabilitas")
        ]
        + [
            {
                "key": "adaptabilitas",
                "label": _("Adaptabilitas"),
                "word_limit": 300,
                "guidance": _(
                    "Sudah direplikasi oleh siapa, dan mengapa inovasi dapat diterapkan di "
                    "daerah lain."
                ),
                "source_keys": ["adaptabilitas-replikasi", "adaptabilitas-potensi"],
            }
        ],
        "attachments": [spec for spec in KIPP_ATTACHMENTS if spec["key"] != "pernyataan-replikasi"],
    },
}


# --- Rubrics: the default criteria of each kind of judging stage ---------------------

# The five innovation criteria, refined by the KIPP proposal sections a judge reads.
DESK_RUBRIC = [
    {
        "label": _("Kebaruan"),
        "weight": Decimal("20"),
        "guidance": _(
            "Baca bagian Kebaruan / Nilai Tambah. Apakah inovasi ini baru, atau modifikasi "
            "yang bermakna dari layanan sebelumnya atau inovasi serupa? Nilai tinggi bila "
            "nilai tambahnya jelas dan berbeda dari yang sudah ada."
        ),
    },
    {
        "label": _("Efektivitas"),
        "weight": Decimal("25"),
        "guidance": _(
            "Baca bagian Implementasi Inovasi dan Signifikansi. Apakah inovasi sudah "
            "diterapkan dan menunjukkan hasil yang terukur (kondisi sebelum dan sesudah, "
            "cara pengukuran, laporan evaluasi)?"
        ),
    },
    {
        "label": _("Kemanfaatan"),
        "weight": Decimal("25"),
        "guidance": _(
            "Baca bagian Latar Belakang dan Tujuan serta Signifikansi. Seberapa besar "
            "masalah publik yang terpecahkan dan seberapa luas kelompok sasaran yang "
            "merasakan manfaatnya?"
        ),
    },
    {
        "label": _("Adaptabilitas / Replikasi"),
        "weight": Decimal("15"),
        "guidance": _(
            "Baca bagian Adaptabilitas. Apakah inovasi sudah direplikasi pihak lain, dan "
            "seberapa mudah diterapkan di unit atau daerah lain?"
        ),
    },
    {
        "label": _("Keberlanjutan"),
        "weight": Decimal("15"),
        "guidance": _(
            "Baca bagian Sumber Daya dan Strategi Keberlanjutan. Apakah inovasi dijamin "
            "anggaran, SDM, regulasi dan tata kelola sehingga tetap berjalan?"
        ),
    },
]

# Presentation and interview: presentation 30, substance 70.
PRESENTATION_RUBRIC = [
    {
        "label": _("Presentasi: penyajian dan video"),
        "weight": Decimal("15"),
        "guidance": _("Kejelasan alur, ketepatan waktu, mutu materi tayang dan video singkat."),
    },
    {
        "label": _("Presentasi: penguasaan materi dan wawancara"),
        "weight": Decimal("15"),
        "guidance": _("Ketepatan dan kedalaman jawaban penyaji atas pertanyaan dewan juri."),
    },
    {
        "label": _("Substansi: kebaruan"),
        "weight": Decimal("15"),
        "guidance": _("Nilai tambah inovasi dibanding layanan sebelumnya."),
    },
    {
        "label": _("Substansi: efektivitas dan kemanfaatan"),
        "weight": Decimal("25"),
        "guidance": _(
            "Hasil terukur dan manfaat bagi masyarakat, didukung bukti yang disampaikan."
        ),
    },
    {
        "label": _("Substansi: adaptabilitas / replikasi"),
        "weight": Decimal("15"),
        "guidance": _("Kemungkinan diterapkan di unit atau daerah lain."),
    },
    {
        "label": _("Substansi: keberlanjutan"),
        "weight": Decimal("15"),
        "guidance": _("Jaminan anggaran, SDM, regulasi dan tata kelola."),
    },
]

FIELD_RUBRIC = [
    {
        "label": _("Kesesuaian proposal dengan kondisi lapangan"),
        "weight": Decimal("50"),
        "guidance": _("Apakah yang tertulis di proposal sesuai dengan yang terlihat di lapangan?"),
    },
    {
        "label": _("Bukti penerapan dan dampak"),
        "weight": Decimal("50"),
        "guidance": _("Dokumen, data layanan dan keterangan pengguna yang membuktikan dampak."),
    },
]

RUBRICS = {
    StageKind.DESK: DESK_RUBRIC,
    StageKind.PRESENTATION: PRESENTATION_RUBRIC,
    StageKind.FIELD: FIELD_RUBRIC,
}
