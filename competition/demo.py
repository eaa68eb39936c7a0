"""Demo data: this year's competition (open now), last year's, and a dozen innovations.

Last year is complete: screened, scored by four judges at the desk and the presentation,
moderated, finalised, announced and forwarded to the province. This year's desk stage
is open and the demo judge has proposals to declare, a draft and a sent sheet.

Run after ``opd.demo.seed()``: the agencies and demo accounts are looked up by name and
e-mail. Idempotent: competitions, innovations, awards and entries are matched and left
as they are when they exist, and the judging steps are skipped once done, so running it
twice adds nothing. Everything goes through the portal's services; only the dates are
set afterwards, so that past events carry past dates. Never for production.
"""

import datetime as dt
import hashlib
import io
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from pypdf import PdfWriter

from competition.defaults import ROUND_FORMATS
from competition.eligibility import count_words, sections_for
from competition.models import (
    Assignment,
    Attachment,
    Award,
    AwardLevel,
    Category,
    Competition,
    CompetitionGroup,
    ConflictDeclaration,
    Entry,
    EntryAnswer,
    EntryStatus,
    Forwarding,
    ForwardingLevel,
    GroupCode,
    Innovation,
    Innovator,
    OutcomeStep,
    ResultSnapshot,
    ScoreSheet,
    Stage,
    StageKind,
    StatusChange,
    TargetRound,
    innovation_facts,
)
from competition.selectors.leaderboard import stage_leaderboard
from competition.services.assignment import assignment_check
from competition.services.finalists import finalists_select, moderation_note_add, slot_set
from competition.services.forwarding import entry_forward, outcome_record
from competition.services.innovations import innovation_catalogue_approve
from competition.services.judging import conflict_declare, score_sheet_save
from competition.services.rounds import round_create_from_format
from competition.services.setup import competition_copy, competition_create_default
from competition.services.snapshot import result_finalise, result_publish
from competition.services.stages import stage_close, stage_create_defaults
from competition.services.status import entry_set_status
from opd.models import Agency, User

NAME = "Kompetisi Inovasi Pelayanan Publik Kota Mojokerto"
THEME = "Inovasi Pelayanan Publik untuk Mojokerto yang Sehat, Cerdas dan Berkelanjutan"
CATEGORIES = [
    "Kesehatan",
    "Penanggulangan Kemiskinan",
    "Transformasi Digital Pelayanan Publik",
    "Lingkungan Hidup",
]
ORGANISER_EMAIL = "organisasi@demo.kovablik.id"
JUDGE_EMAILS = [f"juri{n}@demo.kovablik.id" for n in ("", "2", "3", "4")]

DINKES = "Dinas Kesehatan, Pengendalian Penduduk dan Keluarga Berencana"
DLH = "Dinas Lingkungan Hidup"
S = EntryStatus


@dataclass(frozen=True)
class DemoAward:
    level: str
    year: int
    label: str
    is_top_winner: bool = False
    is_top_99: bool = False


@dataclass(frozen=True)
class DemoInnovation:
    agency: str
    title: str
    brand: str
    long_form: str
    category: str
    status: str  # this year's entry; "" for no entry
    months_old: int
    summary: str
    problem: str
    impact: str
    innovator: str
    digital: bool = False
    group: str = GroupCode.UMUM
    awards: tuple[DemoAward, ...] = ()
    last_year_status: str = ""
    reason: str = ""
    sdgs: tuple[int, ...] = field(default=(3,))


INNOVATIONS = [
    DemoInnovation(
        agency="UPT Puskesmas Wates",
        title="Posko Paman: Pos Kesehatan Pantau Masyarakat",
        brand="Posko Paman",
        long_form="Pos Kesehatan Pantau Masyarakat",
        category="Kesehatan",
        status=S.PASSED,
        months_old=96,
        summary="mendekatkan pemeriksaan kesehatan dasar ke tiap RW lewat kader terlatih",
        problem="warga lanjut usia jarang memeriksakan tekanan darah dan gula darah",
        impact="cakupan skrining penyakit tidak menular naik dari 38 persen menjadi 81 persen",
        innovator="dr. Siti Nurhayati",
        awards=(DemoAward(AwardLevel.NATIONAL, 2019, "Top 99 KIPP", is_top_99=True),),
        last_year_status=S.PASSED,
    ),
    DemoInnovation(
        agency=DINKES,
        title="Gayatri: Gerbang Layanan Terpadu dan Terintegrasi",
        brand="Gayatri",
        long_form="gerbang layanan terpadu dan terintegrasi",
        category="Transformasi Digital Pelayanan Publik",
        status=S.PASSED,
        months_old=60,
        summary="menyatukan layanan kesehatan dan keluarga berencana dalam satu pintu daring",
        problem="warga harus mendatangi beberapa loket untuk satu urusan kesehatan keluarga",
        impact="waktu layanan rata-rata turun dari tiga hari menjadi satu hari kerja",
        innovator="drg. Bambang Setiawan",
        digital=True,
        awards=(DemoAward(AwardLevel.NATIONAL, 2021, "Top 99 KIPP", is_top_99=True),),
        sdgs=(3, 16),
    ),
    DemoInnovation(
        agency=DLH,
        title="Bapak Samerto: Bayar Pajak Pakai Sampah di Kota Mojokerto",
        brand="Bapak Samerto",
        long_form="bayar pajak pakai sampah di Kota Mojokerto",
        category="Lingkungan Hidup",
        status=S.SUBMITTED,
        months_old=100,
        summary="membolehkan warga membayar Pajak Bumi dan Bangunan dengan tabungan bank sampah",
        problem="sampah rumah tangga menumpuk dan kepatuhan membayar PBB rendah",
        impact="sampah terpilah naik 30 ton per bulan dan setoran PBB lewat bank sampah tumbuh",
        innovator="Ir. Heru Santoso",
        awards=(DemoAward(AwardLevel.PROVINCE, 2018, "Top 25 Kovablik Jatim"),),
        last_year_status=S.PASSED,
        sdgs=(11, 12),
    ),
    DemoInnovation(
        agency="UPT Puskesmas Gedongan",
        title="Pete Jawa Rasa Timun: Pemeriksaan Terpadu Jantung dan Hipertensi",
        brand="Pete Jawa Rasa Timun",
        long_form="",
        category="Kesehatan",
        status=S.RETURNED,
        months_old=48,
        summary="mengajak penderita hipertensi berolahraga dan memantau tekanan darah bersama",
        problem="banyak penderita hipertensi berhenti berobat setelah beberapa bulan",
        impact="kepatuhan minum obat penderita hipertensi naik dari 45 persen menjadi 78 persen",
        innovator="Ns. Lilik Suryani, S.Kep.",
        awards=(DemoAward(AwardLevel.PROVINCE, 2022, "Top 30 Kovablik Jatim"),),
        reason=(
            "Surat pernyataan implementasi belum ditandatangani kepala puskesmas. Unggah "
            "ulang yang sudah bertanda tangan dan berstempel."
        ),
    ),
    DemoInnovation(
        agency=DINKES,
        title="Kencana Mojo: Keluarga Berencana Cerdas dan Nyaman di Mojokerto",
        brand="Kencana Mojo",
        long_form="",
        category="Penanggulangan Kemiskinan",
        status=S.SUBMITTED,
        months_old=30,
        summary="mendampingi keluarga prasejahtera dalam perencanaan keluarga dan gizi anak",
        problem="angka kelahiran tidak terencana tinggi pada keluarga prasejahtera",
        impact="peserta KB aktif di keluarga prasejahtera naik 22 persen dalam setahun",
        innovator="Endang Purwaningsih, S.K.M.",
        awards=(DemoAward(AwardLevel.PROVINCE, 2025, "Top 45 Kovablik Jatim"),),
        last_year_status=S.PASSED,
        sdgs=(1, 3, 5),
    ),
    DemoInnovation(
        agency="RSUD Dr. Wahidin Sudiro Husodo",
        title="Antrean Daring Pasien Rawat Jalan",
        brand="Antar Wahidin",
        long_form="antrean daring rawat jalan Wahidin",
        category="Transformasi Digital Pelayanan Publik",
        status=S.SUBMITTED,
        months_old=40,
        summary="memungkinkan pasien mengambil nomor antrean poli dari rumah lewat WhatsApp",
        problem="pasien datang subuh dan menunggu hingga empat jam di ruang tunggu",
        impact="waktu tunggu rata-rata turun dari 212 menit menjadi 64 menit",
        innovator="dr. Yudi Hartono, Sp.PD.",
        digital=True,
        last_year_status=S.PASSED,
    ),
    DemoInnovation(
        agency="Dinas Kependudukan dan Pencatatan Sipil",
        title="Dukcapil Jemput Bola ke Kelurahan",
        brand="Si Jempol",
        long_form="sistem jemput bola layanan kependudukan",
        category="Transformasi Digital Pelayanan Publik",
        status=S.DRAFT,
        months_old=26,
        summary="membawa perekaman KTP-el dan pencetakan dokumen ke kelurahan dan panti",
        problem="warga lansia dan disabilitas sulit datang ke kantor Dispendukcapil",
        impact="perekaman KTP-el kelompok rentan naik dari 70 persen menjadi 96 persen",
        innovator="Andi Firmansyah, S.Kom.",
        digital=True,
        sdgs=(16,),
    ),
    DemoInnovation(
        agency="Dinas Perhubungan",
        title="Parkir Tepi Jalan Nontunai",
        brand="E-Parkir Mojo",
        long_form="",
        category="Transformasi Digital Pelayanan Publik",
        status=S.FAILED,
        months_old=5,
        summary="mengganti karcis parkir tunai dengan pembayaran QRIS di tepi jalan",
        problem="kebocoran retribusi parkir dan keluhan tarif tidak resmi",
        impact="retribusi parkir yang tercatat naik 35 persen selama uji coba",
        innovator="Rudi Hermawan, S.T.",
        digital=True,
        reason=(
            "Inovasi baru diterapkan lima bulan sebelum pendaftaran ditutup; usia minimal "
            "12 bulan. Silakan ikut kembali tahun depan."
        ),
        sdgs=(11,),
    ),
    DemoInnovation(
        agency="Dinas Komunikasi dan Informatika",
        title="Kanal Pengaduan Terpadu Warga",
        brand="Wadul Mojo",
        long_form="wadah aduan langsung warga Mojokerto",
        category="Transformasi Digital Pelayanan Publik",
        status=S.SUBMITTED,
        months_old=34,
        summary="menyatukan aduan dari SP4N-LAPOR, WhatsApp dan media sosial dalam satu dasbor",
        problem="aduan tersebar di banyak kanal dan sering tidak ditindaklanjuti",
        impact="aduan yang selesai dalam lima hari kerja naik dari 52 persen menjadi 89 persen",
        innovator="Yusuf Effendi, S.Kom.",
        digital=True,
        last_year_status=S.PASSED,
        sdgs=(16,),
    ),
    DemoInnovation(
        agency="Kelurahan Kranggan",
        title="Sedekah Sampah untuk Iuran Kesehatan Warga",
        brand="Sedekah Sampah",
        long_form="",
        category="Lingkungan Hidup",
        status=S.PASSED,
        months_old=20,
        summary="mengubah tabungan bank sampah RW menjadi iuran BPJS warga tidak mampu",
        problem="warga tidak mampu menunggak iuran BPJS mandiri",
        impact="126 warga kembali aktif sebagai peserta BPJS dari hasil sedekah sampah",
        innovator="Sulastri",
        group=GroupCode.REPLIKASI,
        sdgs=(1, 3, 12),
    ),
    DemoInnovation(
        agency="Dinas Pendidikan dan Kebudayaan",
        title="Literasi Keluarga di Sekolah Dasar",
        brand="Lentera",
        long_form="literasi keluarga untuk anak sekolah dasar",
        category="Penanggulangan Kemiskinan",
        status=S.DRAFT,
        months_old=18,
        summary="melibatkan orang tua dalam program membaca 15 menit di rumah",
        problem="kemampuan membaca siswa kelas awal dari keluarga prasejahtera tertinggal",
        impact="siswa kelas 2 yang lancar membaca naik dari 61 persen menjadi 84 persen",
        innovator="Dra. Wiwik Handayani",
        sdgs=(4,),
    ),
    DemoInnovation(
        agency="Badan Penanggulangan Bencana Daerah",
        title="Peringatan Dini Banjir Berbasis Warga",
        brand="Sigap Banjir",
        long_form="",
        category="Lingkungan Hidup",
        status=S.SUBMITTED,
        months_old=28,
        summary="memasang sensor ketinggian air di sungai dan mengirim peringatan ke grup RT",
        problem="warga bantaran sungai terlambat mengungsi saat banjir kiriman",
        impact="waktu evakuasi rata-rata turun dari 90 menit menjadi 25 menit",
        innovator="Agung Prasetya, S.T.",
        digital=True,
        last_year_status=S.PASSED,
        sdgs=(11, 13),
    ),
]


def _section_text(key: str, item: DemoInnovation, agency: Agency) -> str:
    brand = item.brand
    started = timezone.localdate() - dt.timedelta(days=int(item.months_old * 30.5))
    texts = {
        "ringkasan": (
            f"{brand} adalah inovasi {agency.name} yang {item.summary}. Inovasi ini mulai "
            f"diterapkan pada tahun {started.year} dan kini menjadi bagian dari layanan rutin."
        ),
        "latar-belakang-tujuan": (
            f"Sebelum {brand} ada, {item.problem}. Kelompok sasaran inovasi ini adalah warga "
            "Kota Mojokerto yang paling sulit menjangkau layanan. Tujuannya terukur: "
            "menaikkan cakupan layanan, mempersingkat waktu tunggu dan menaikkan indeks "
            "kepuasan masyarakat setiap tahun."
        ),
        "kebaruan": (
            f"{brand} mengubah cara layanan diberikan: warga tidak lagi menunggu di kantor, "
            "layanan yang mendatangi warga dengan dukungan kader, RT/RW dan kelurahan."
        ),
        "implementasi": (
            "Inovasi dijalankan dalam tiga tahap: uji coba di satu kelurahan, perluasan ke "
            "seluruh wilayah layanan, lalu pelembagaan melalui keputusan kepala OPD."
        ),
        "signifikansi": (
            f"Sesudah {brand} diterapkan, {item.impact}. Data diambil dari laporan bulanan "
            "dan survei kepuasan masyarakat yang dilakukan dua kali setahun; laporan "
            "evaluasi terlampir."
        ),
        "adaptabilitas-replikasi": (
            "Inovasi ini sudah dipelajari oleh dua OPD lain di Kota Mojokerto."
        ),
        "adaptabilitas-potensi": (
            "Cara kerjanya sederhana dan tidak memerlukan peralatan mahal, sehingga dapat "
            "diterapkan oleh daerah lain dengan menyesuaikan kader dan anggaran setempat."
        ),
        "sumber-daya": (
            "Anggaran berasal dari DPA OPD; pelaksana terdiri dari tim inovator, petugas "
            "layanan dan kader; peralatan memakai sarana yang sudah ada."
        ),
        "keberlanjutan": (
            "Keberlanjutan dijaga dengan keputusan kepala OPD, anggaran rutin setiap tahun, "
            "standar operasional prosedur, serta dukungan warga dan kelurahan."
        ),
        "inspirasi": (
            "Terinspirasi dari Bapak Samerto (bayar pajak pakai sampah) milik Dinas "
            "Lingkungan Hidup, peraih penghargaan Kovablik Jatim 2018."
        ),
        "proses-replikasi": (
            "Pengurus bank sampah belajar langsung ke DLH, lalu menyesuaikan skema tabungan "
            "sampah untuk membayar iuran BPJS warga tidak mampu."
        ),
        "faktor-pembeda": ("Hasil tabungan sampah dipakai untuk iuran kesehatan, bukan pajak."),
    }
    return texts.get(key, f"{brand}: uraian bagian ini disusun oleh tim inovator.")


def pdf_bytes(title: str) -> bytes:
    """A small valid one-page PDF, enough to stand in for a scanned letter."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title, "/Producer": "Kovablik demo"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _attach_required(entry: Entry, uploader, only_first: bool = False) -> None:
    kinds = list(entry.competition.attachment_kinds.filter(required=True).order_by("order"))
    present = set(entry.attachments.values_list("kind_id", flat=True))
    for kind in kinds[:1] if only_first else kinds:
        if kind.pk in present:
            continue
        data = pdf_bytes(f"{kind.label} - {entry.innovation.title}")
        attachment = Attachment(
            entry=entry,
            kind=kind,
            original_name=f"{kind.key}.pdf",
            content_type="application/pdf",
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by=uploader,
        )
        attachment.file.save(f"{kind.key}.pdf", ContentFile(data), save=False)
        attachment.save()


def _write_answers(entry: Entry, item: DemoInnovation) -> None:
    for section in sections_for(entry.competition, entry.group):
        text = _section_text(section.key, item, entry.agency)
        EntryAnswer.objects.update_or_create(
            entry=entry, section=section, defaults={"text": text, "word_count": count_words(text)}
        )


def _next_reference(competition: Competition) -> str:
    references = Entry.objects.filter(competition=competition, reference__isnull=False)
    tails = (r.rsplit("-", 1)[-1] for r in references.values_list("reference", flat=True))
    numbers = [int(t) for t in tails if t.isdigit()]
    return f"{competition.reference_prefix}-{competition.year}-{max(numbers, default=0) + 1:04d}"


def _stamp(entry: Entry, at: dt.datetime) -> None:
    """Dates the status change just recorded: demo history happened in the past."""
    last = StatusChange.objects.filter(entry=entry).order_by("-pk").values("pk")[:1]
    StatusChange.objects.filter(pk__in=last).update(at=at)


def _move_to(
    entry: Entry,
    status: str,
    *,
    staff,
    organiser,
    reason: str,
    submitted_at: dt.datetime,
    decided_at: dt.datetime,
    revision_due_at: dt.datetime,
) -> None:
    """Walks ``entry`` along the allowed transitions to ``status``, as the people would.

    ``submitted_at`` is both the entry's submission time and the date of its
    "submitted" status change; the screening decision is dated ``decided_at``.
    """
    if status == S.DRAFT:
        return
    entry_set_status(
        entry=entry,
        to_status=S.SUBMITTED,
        actor=staff,
        reason="Dikirim oleh OPD",
        reference=_next_reference(entry.competition),
        submitted_at=submitted_at,
        facts=innovation_facts(entry.innovation),
    )
    _stamp(entry, submitted_at)
    if status == S.SUBMITTED:
        return
    if status == S.RETURNED:
        entry_set_status(
            entry=entry,
            to_status=S.RETURNED,
            actor=organiser,
            reason=reason,
            screening_reason=reason,
            revision_due_at=revision_due_at,
        )
    elif status == S.FAILED:
        entry_set_status(
            entry=entry, to_status=S.FAILED, actor=organiser, reason=reason, screening_reason=reason
        )
    else:
        entry_set_status(entry=entry, to_status=S.PASSED, actor=organiser)
    _stamp(entry, decided_at)


def _competitions(organiser) -> tuple[Competition, Competition]:
    now = timezone.now()
    year = timezone.localdate().year
    current = Competition.objects.filter(year=year).first()
    if current is None:
        closes = timezone.localtime(now + dt.timedelta(days=21)).replace(
            hour=23, minute=59, second=0, microsecond=0
        )
        current = competition_create_default(
            year=year,
            name=NAME,
            theme=THEME,
            submission_opens_at=timezone.localtime(now - dt.timedelta(days=30)).replace(
                hour=8, minute=0, second=0, microsecond=0
            ),
            submission_closes_at=closes,
            screening_opens_at=closes + dt.timedelta(minutes=1),
            screening_closes_at=closes + dt.timedelta(days=14),
            announcement_at=closes + dt.timedelta(days=80),
            categories=CATEGORIES,
            actor=organiser,
        )
        Competition.objects.filter(pk=current.pk).update(
            prize_first=15_000_000, prize_second=10_000_000, prize_third=7_500_000
        )
        current.refresh_from_db()
    previous = Competition.objects.filter(year=year - 1).first()
    if previous is None:
        previous = competition_copy(source=current, year=year - 1, actor=organiser)
    return current, previous


def _innovation(item: DemoInnovation, agency: Agency, staff) -> Innovation:
    started = timezone.localdate() - dt.timedelta(days=int(item.months_old * 30.5))
    innovation, created = Innovation.objects.get_or_create(
        agency=agency,
        title=item.title,
        defaults={
            "brand_name": item.brand,
            "brand_long_form": item.long_form,
            "description": item.summary[0].upper() + item.summary[1:] + ".",
            "started_on": started,
            "trial_on": started - dt.timedelta(days=60),
            "is_digital": item.digital,
            "is_application": item.digital,
            # The demo OPDs agree to show their innovations in the public catalogue.
            "is_published": True,
            "created_by": staff,
        },
    )
    if created:
        innovation.sdgs.set(item.sdgs)
        Innovator.objects.create(
            innovation=innovation, name=item.innovator, role="Ketua tim inovator", order=0
        )
    for award in item.awards:
        Award.objects.get_or_create(
            innovation=innovation,
            level=award.level,
            year=award.year,
            label=award.label,
            defaults={"is_top_winner": award.is_top_winner, "is_top_99": award.is_top_99},
        )
    return innovation


def _entry(competition, innovation, item, status, *, staff, organiser, times) -> Entry | None:
    if Entry.objects.filter(competition=competition, innovation=innovation).exists():
        return None
    group = CompetitionGroup.objects.get(competition=competition, code=item.group)
    category = Category.objects.get(competition=competition, name=item.category)
    entry = Entry.objects.create(
        competition=competition,
        innovation=innovation,
        agency=innovation.agency,
        group=group,
        category=category,
        video_url="https://www.youtube.com/watch?v=KovablikD01" if status != S.DRAFT else "",
        declaration_accepted=status != S.DRAFT,
        created_by=staff,
    )
    _write_answers(entry, item)
    _attach_required(entry, staff, only_first=status == S.DRAFT)
    _move_to(entry, status, staff=staff, organiser=organiser, reason=item.reason, **times)
    return entry


def _times(index: int, *, current: Competition, previous: Competition, now) -> tuple[dict, dict]:
    """Plausible past dates for an entry's submission and screening decision.

    Entries are sent in list order (so registration numbers follow the dates), two a
    day. This year: from ten days ago, screened two days after sending. Last year: in
    the last fortnight before the deadline, screened in the first days of screening.
    """
    day, hour = index // 2, 9 + (index % 2) * 5 + index % 3

    def sent(start: dt.datetime) -> dt.datetime:
        start = timezone.localtime(start).replace(hour=hour, minute=(index * 17) % 60)
        return start.replace(second=0, microsecond=0) + dt.timedelta(days=day)

    this_sent = sent(now - dt.timedelta(days=10))
    this_year = {
        "submitted_at": this_sent,
        "decided_at": (this_sent + dt.timedelta(days=2)).replace(hour=10 + index % 4),
        "revision_due_at": timezone.localtime(now + dt.timedelta(days=7)).replace(
            hour=23, minute=59, second=0, microsecond=0
        ),
    }
    screening = timezone.localtime(previous.screening_opens_at or previous.submission_closes_at)
    last_year = {
        "submitted_at": sent(previous.submission_closes_at - dt.timedelta(days=12)),
        "decided_at": (screening + dt.timedelta(days=1 + index % 4)).replace(
            hour=10, minute=index * 3 % 60, second=0, microsecond=0
        ),
        "revision_due_at": screening + dt.timedelta(days=7),
    }
    return this_year, last_year


# --- judging -----------------------------------------------------------------------

# How good each entry of last year is at the desk and at the presentation (0-100);
# the order gives Juara I, II, III, a finalist, and two entries that stop at the desk.
QUALITY = {
    "Antar Wahidin": (86, 89),
    "Wadul Mojo": (82, 85),
    "Sigap Banjir": (79, 82),
    "Kencana Mojo": (76, 77),
    "Posko Paman": (71, 0),
    "Bapak Samerto": (72, 0),
}
# One judge read Bapak Samerto's impact data very differently: the panel moderates it.
DISAGREEMENT = ("Bapak Samerto", "juri4@demo.kovablik.id", -34)
JUDGE_BIAS = {"juri@": 2, "juri2@": -3, "juri3@": 1, "juri4@": -1}
FINALISTS = 4
WINNERS = ["Antar Wahidin", "Wadul Mojo", "Sigap Banjir"]

BAND_COMMENTS = [
    (85, "Sangat kuat: {label} didukung data yang jelas dan dapat diverifikasi."),
    (75, "Baik: {label} sudah tergambar, tambahkan bukti pendukung yang lebih rinci."),
    (65, "Cukup: {label} perlu diperjelas dengan data sebelum dan sesudah inovasi."),
    (0, "Perlu diperkuat: uraian {label} belum menunjukkan hasil yang terukur."),
]
GENERAL_COMMENTS = [
    "Inovasi relevan dengan kebutuhan warga; pertahankan pengukuran kinerja tiap bulan.",
    "Uraian runtut dan lampiran lengkap. Perjelas rencana pembiayaan tahun berikutnya.",
    "Dampak terasa bagi kelompok sasaran; dokumentasikan SOP agar mudah direplikasi.",
    "Potensi replikasi baik. Sertakan testimoni warga dan hasil survei kepuasan terbaru.",
]


def _score_values(criteria, *, brand: str, email: str, base: int, salt: int):
    """Varied but repeatable scores and comments for one sheet."""
    bias = JUDGE_BIAS[email.split("demo")[0]]
    shift = DISAGREEMENT[2] if (brand, email) == DISAGREEMENT[:2] else 0
    values, comments = {}, {}
    for c in criteria:
        noise = (c.order * 7 + salt * 5 + len(email) * 3 + len(brand)) % 9 - 4
        value = max(0, min(100, base + bias + shift + noise))
        values[c.pk] = value
        text = next(t for floor, t in BAND_COMMENTS if value >= floor)
        comments[c.pk] = text.format(label=c.label.lower())
    return values, comments


def _score(stage: Stage, assignment: Assignment, *, brand: str, base: int, salt: int, submit=True):
    judge = assignment.judge
    conflict_declare(assignment=assignment, judge=judge, has_conflict=False)
    criteria = list(stage.criteria.order_by("order"))
    values, comments = _score_values(criteria, brand=brand, email=judge.email, base=base, salt=salt)
    if not submit:  # a judge half-way through: the first criteria only
        values = dict(list(values.items())[:2])
        comments = {k: comments[k] for k in values}
    return score_sheet_save(
        sheet_or_assignment=assignment,
        judge=judge,
        values=values,
        comments=comments,
        expected_version=0,
        submit=submit,
        general_comment=GENERAL_COMMENTS[salt % len(GENERAL_COMMENTS)] if submit else "",
    )


def _assign(stage: Stage, entry: Entry, judge, organiser) -> Assignment:
    """``assignment_create`` without its notice e-mail: demo judges get no mail."""
    assignment_check(stage=stage, entry=entry, judge=judge)
    assignment = Assignment(stage=stage, entry=entry, judge=judge, assigned_by=organiser)
    assignment._history_user = organiser
    assignment.save()
    return assignment


def _backdate_stage(stage: Stage, opens_at, closes_at) -> None:
    """Puts a stage scored just now back in its real (past) window, with what it holds.

    The services only accept sheets while a stage is open, so last year's stages are
    opened around "now", scored and closed through the services, and then moved back.
    """
    span = closes_at - opens_at
    Stage.objects.filter(pk=stage.pk).update(
        opens_at=opens_at, closes_at=closes_at, closed_at=closes_at
    )
    Assignment.objects.filter(stage=stage).update(assigned_at=opens_at - dt.timedelta(days=1))
    sheets = ScoreSheet.objects.filter(stage=stage).order_by("entry_id", "judge_id")
    for n, sheet in enumerate(sheets):
        at = opens_at + span * (0.2 + 0.6 * n / max(1, sheets.count()))
        ScoreSheet.objects.filter(pk=sheet.pk).update(
            created_at=at - dt.timedelta(hours=2), updated_at=at, submitted_at=at
        )
        ConflictDeclaration.objects.filter(
            stage=stage, entry_id=sheet.entry_id, judge_id=sheet.judge_id
        ).update(declared_at=at - dt.timedelta(hours=2))


def _judge_last_year(previous: Competition, *, organiser, judges) -> None:
    """Last year from desk scoring to the announced result and the province forwarding.

    Every step goes through the services the portal uses; only dates are set afterwards.
    Skipped once the year has a result.
    """
    if previous.snapshots.exists():
        return
    entries = {
        e.innovation.brand_name: e
        for e in Entry.objects.filter(competition=previous, status=S.PASSED).select_related(
            "innovation"
        )
    }
    if set(entries) != set(QUALITY):
        return  # an older demo database: leave it as it is
    stages = {s.kind: s for s in previous.stages.all()}
    if StageKind.DESK not in stages or StageKind.PRESENTATION not in stages:
        for stage in stages.values():
            stage.delete()
        stages = {s.kind: s for s in stage_create_defaults(competition=previous, actor=organiser)}
    desk, presentation = stages[StageKind.DESK], stages[StageKind.PRESENTATION]
    windows = {s.pk: (s.opens_at, s.closes_at) for s in (desk, presentation)}
    now = timezone.now()
    Stage.objects.filter(pk__in=windows).update(
        opens_at=now - dt.timedelta(hours=1), closes_at=now + dt.timedelta(hours=1)
    )
    desk.refresh_from_db()
    presentation.refresh_from_db()

    for i, brand in enumerate(QUALITY):
        for j, judge in enumerate(judges):
            if j == i % len(judges):
                continue  # three of the four judges read each proposal
            assignment = _assign(desk, entries[brand], judge, organiser)
            _score(desk, assignment, brand=brand, base=QUALITY[brand][0], salt=i + j)
    stage_close(stage=desk, actor=organiser)
    board = stage_leaderboard(desk)
    for row in board.flagged_without_note:
        moderation_note_add(
            stage=desk,
            entry=Entry.objects.get(pk=row.entry.id),
            actor=organiser,
            note=(
                "Rapat panel juri: perbedaan nilai berasal dari data dampak yang belum "
                "terverifikasi. Panel sepakat nilai tiap juri dipertahankan; proposal tidak "
                "masuk finalis dan disarankan melengkapi data survei tahun depan."
            ),
        )
    finalists_select(stage=desk, actor=organiser, top_n=FINALISTS)

    start = timezone.localtime(windows[presentation.pk][0]).replace(
        hour=9, minute=0, second=0, microsecond=0
    ) + dt.timedelta(days=1)
    finalists = Entry.objects.filter(competition=previous, status=S.FINALIST).select_related(
        "innovation"
    )
    for i, entry in enumerate(sorted(finalists, key=lambda e: e.reference)):
        slot_set(
            stage=presentation,
            entry=entry,
            starts_at=start + dt.timedelta(minutes=45 * i),
            ends_at=start + dt.timedelta(minutes=45 * i + 40),
            actor=organiser,
            room="Ruang Sabha Pambojana, Balai Kota Mojokerto",
        )
        brand = entry.innovation.brand_name
        for j, judge in enumerate(judges):
            assignment = _assign(presentation, entry, judge, organiser)
            _score(presentation, assignment, brand=brand, base=QUALITY[brand][1], salt=i + j)
    stage_close(stage=presentation, actor=organiser)
    for stage in (desk, presentation):
        _backdate_stage(stage, *windows[stage.pk])

    finalist_at = timezone.localtime(windows[desk.pk][1] + dt.timedelta(days=1)).replace(
        hour=10, minute=0
    )
    StatusChange.objects.filter(entry__competition=previous, to_status=S.FINALIST).update(
        at=finalist_at
    )
    announced = timezone.localtime(
        previous.announcement_at or windows[presentation.pk][1] + dt.timedelta(days=7)
    ).replace(hour=10, minute=0, second=0, microsecond=0)
    decree_date = timezone.localtime(announced).date() - dt.timedelta(days=3)
    snapshot = result_finalise(
        competition=previous,
        actor=organiser,
        decree_number=f"188.45/123/417.101/{decree_date.year}",
        decree_date=decree_date,
    )
    snapshot = result_publish(snapshot=snapshot, actor=organiser)
    ResultSnapshot.objects.filter(pk=snapshot.pk).update(
        created_at=announced - dt.timedelta(days=2), published_at=announced
    )

    first = None
    for brand in WINNERS:
        forwarding = entry_forward(
            entry=entries[brand],
            level=ForwardingLevel.PROVINCE,
            actor=organiser,
            notes="Diusulkan ke Kovablik Jatim sesuai SK Wali Kota.",
        )
        first = first or forwarding
    Forwarding.objects.filter(entry__competition=previous).update(
        forwarded_at=announced + dt.timedelta(days=14)
    )
    outcome_record(
        forwarding=first,
        actor=organiser,
        step=OutcomeStep.PASSED_ADMIN,
        occurred_on=timezone.localtime(announced).date() + dt.timedelta(days=45),
        notes="Lolos seleksi administrasi Kovablik Jatim; menunggu jadwal presentasi.",
    )


def _open_desk_for_demo_judge(current: Competition, *, organiser, judge) -> None:
    """This year's desk stage opens now, and the demo judge has work in every state.

    Scoring starts on entries that already passed screening while others are still
    being sent: one proposal to declare, one draft sheet, one sent sheet.
    """
    desk = current.stages.filter(kind=StageKind.DESK).first()
    if desk is None:
        return
    now = timezone.now()
    if desk.opens_at > now:
        Stage.objects.filter(pk=desk.pk).update(
            opens_at=timezone.localtime(now - dt.timedelta(days=1)).replace(
                hour=8, minute=0, second=0, microsecond=0
            )
        )
        desk.refresh_from_db()
    if not desk.is_open() or Assignment.objects.filter(stage=desk, judge=judge).exists():
        return
    entries = list(
        Entry.objects.filter(competition=current, status=S.PASSED)
        .select_related("innovation")
        .order_by("reference")[:3]
    )
    for i, entry in enumerate(entries):
        assignment = _assign(desk, entry, judge, organiser)
        if i == 0:
            continue  # still to be declared and scored
        _score(desk, assignment, brand=entry.innovation.brand_name, base=80, salt=i, submit=i == 2)


def _rounds(year: int) -> None:
    """This year's KIPP and Kovablik Jatim rounds, from the starting formats."""
    for format_key, spec in ROUND_FORMATS.items():
        if not TargetRound.objects.filter(series=spec["series"], year=year).exists():
            round_create_from_format(format_key=format_key, year=year)


@transaction.atomic
def seed() -> dict[str, int]:
    """Creates what is missing of the demo competitions, innovations and entries."""
    organiser = User.objects.filter(email=ORGANISER_EMAIL).first()
    current, previous = _competitions(organiser)
    now = timezone.now()
    created = 0
    for index, item in enumerate(INNOVATIONS):
        agency = Agency.objects.get(name=item.agency)
        staff = User.objects.filter(agency=agency, is_active=True).order_by("pk").first()
        innovation = _innovation(item, agency, staff)
        this_year, last_year = _times(index, current=current, previous=previous, now=now)
        if item.last_year_status:
            created += bool(
                _entry(
                    previous,
                    innovation,
                    item,
                    item.last_year_status,
                    staff=staff,
                    organiser=organiser,
                    times=last_year,
                )
            )
        if item.status:
            created += bool(
                _entry(
                    current,
                    innovation,
                    item,
                    item.status,
                    staff=staff,
                    organiser=organiser,
                    times=this_year,
                )
            )
    judges = [User.objects.get(email=email) for email in JUDGE_EMAILS]
    _judge_last_year(previous, organiser=organiser, judges=judges)
    _open_desk_for_demo_judge(current, organiser=organiser, judge=judges[0])
    _rounds(current.year)
    # The organiser has vetted last year's screened-in innovations and the awarded ones.
    for innovation in Innovation.objects.filter(
        Q(entries__competition=previous, entries__status__in=S.SCREENED_IN)
        | Q(awards__isnull=False),
        catalogue_approved_at__isnull=True,
    ).distinct():
        innovation_catalogue_approve(innovation=innovation, actor=organiser)
    return {
        "competitions": Competition.objects.filter(year__in=[current.year, previous.year]).count(),
        "innovations": len(INNOVATIONS),
        "entries_created": created,
    }
