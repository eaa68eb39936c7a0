"""What stands between an entry and its submission, said section by section.

``entry_problems`` lists what blocks submission; ``entry_warnings`` what the OPD should
know but may still submit (the organiser decides at screening). Every limit comes from
the competition's own rows, never from constants here.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .models import (
    Attachment,
    AttachmentKind,
    Award,
    AwardLevel,
    Entry,
    EntryAnswer,
    GroupCode,
    SectionSpec,
)
from .models.innovation import title_key

YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com"}


@dataclass(frozen=True)
class Problem:
    """One thing to fix: ``field`` names what it concerns (``section:<key>``,
    ``attachment:<key>``, ``title``, ``innovation``, ``group``, ``category``,
    ``declaration``, ``video_url``, ``awards``), ``label`` is its name for people."""

    field: str
    label: str
    message: str


def count_words(text: str) -> int:
    """Words as the live counter in the browser counts them: runs of non-space."""
    return len((text or "").split())


def answer_length(text: str) -> int:
    """Characters of an answer as stored (a line break counts once, as browsers count it)."""
    return len((text or "").replace("\r\n", "\n"))


def too_long_message(section: SectionSpec, length: int) -> str:
    return _(
        "%(label)s terlalu panjang: %(n)s karakter, batasnya %(limit)s karakter "
        "(%(per_word)s karakter per kata dari batas %(words)s kata). Ringkas isiannya, dan "
        "pisahkan dengan spasi teks yang sangat panjang tanpa spasi (mis. tautan)."
    ) % {
        "label": section.label,
        "n": number_format(length, force_grouping=True),
        "limit": number_format(section.char_limit, force_grouping=True),
        "per_word": section.CHARS_PER_WORD,
        "words": section.word_limit,
    }


def is_youtube_url(url: str) -> bool:
    """youtube.com/watch?v=ID, youtu.be/ID or youtube.com/shorts/ID, over http(s)."""
    try:
        parts = urlsplit((url or "").strip())
    except ValueError:
        return False
    if parts.scheme not in {"http", "https"}:
        return False
    host = (parts.hostname or "").lower()
    path = parts.path.rstrip("/")
    if host == "youtu.be":
        return bool(YOUTUBE_ID.match(path.lstrip("/")))
    if host in YOUTUBE_HOSTS:
        if path == "/watch":
            return any(YOUTUBE_ID.match(v) for v in parse_qs(parts.query).get("v", []))
        if path.startswith("/shorts/"):
            return bool(YOUTUBE_ID.match(path.removeprefix("/shorts/")))
    return False


def is_https_youtube_url(url: str) -> bool:
    """A YouTube address over https: the only user-given address a page prints as a link."""
    return is_youtube_url(url) and urlsplit(url.strip()).scheme == "https"


def sections_for(competition, group) -> list[SectionSpec]:
    """The year's proposal sections that apply to ``group``, in order."""
    return list(
        SectionSpec.objects.filter(competition=competition)
        .filter(Q(groups__isnull=True) | Q(groups=group))
        .distinct()
        .order_by("order", "pk")
    )


def _section_problems(sections, answers) -> list[Problem]:
    problems = []
    for section in sections:
        answer = answers.get(section.pk)
        text = answer.text if answer is not None else ""
        words = count_words(text)
        field = f"section:{section.key}"
        if section.required and words == 0:
            problems.append(Problem(field, section.label, _("Bagian ini wajib diisi.")))
        elif answer_length(text) > section.char_limit:
            problems.append(
                Problem(field, section.label, too_long_message(section, answer_length(text)))
            )
        elif words > section.word_limit:
            problems.append(
                Problem(
                    field,
                    section.label,
                    _("Terlalu panjang: %(n)s kata, batasnya %(limit)s kata. Ringkas isiannya.")
                    % {"n": words, "limit": section.word_limit},
                )
            )
    return problems


def _attachment_problems(kinds, present) -> list[Problem]:
    return [
        Problem(
            f"attachment:{kind.key}",
            kind.label,
            _("Lampiran wajib ini belum diunggah."),
        )
        for kind in kinds
        if kind.required and kind.pk not in present
    ]


def _age_problems(innovation, competition) -> list[Problem]:
    """``innovation`` is an Innovation or an entry's JudgedFacts: both know their age."""
    closes_on = timezone.localtime(competition.submission_closes_at).date()
    age = innovation.age_in_months(closes_on)
    if age >= competition.min_age_months:
        return []
    return [
        Problem(
            "innovation",
            _("Usia inovasi"),
            _(
                "Inovasi baru berjalan %(age)s bulan saat pendaftaran ditutup; minimal "
                "%(min)s bulan. Periksa tanggal mulai diterapkan."
            )
            % {"age": max(age, 0), "min": competition.min_age_months},
        )
    ]


def _title_problems(title: str, competition, *, exclude_entry=None, exclude_innovation=None):
    """A title another submitted entry of the year already carries, as it was submitted."""
    key = title_key(title)
    others = Entry.objects.filter(competition=competition).entered()
    if exclude_entry is not None:
        others = others.exclude(pk=exclude_entry.pk)
    if exclude_innovation is not None:
        others = others.exclude(innovation=exclude_innovation)
    # The submitted copy's title, or the innovation's for an entry that has no copy yet.
    titles = others.order_by().values_list("facts__title", "innovation__title")
    if not any(title_key(copy or live) == key for copy, live in titles):
        return []
    return [
        Problem(
            "title",
            _("Judul inovasi"),
            _(
                "Judul “%(title)s” sudah dipakai proposal lain tahun ini. Gunakan judul "
                "yang berbeda."
            )
            % {"title": title},
        )
    ]


def open_problems(innovation, competition) -> list[Problem]:
    """What keeps ``innovation`` out of ``competition`` before any proposal is written:
    its age, a title already entered this year, and award-history limits."""
    problems = _age_problems(innovation, competition)
    problems += _title_problems(innovation.title, competition, exclude_innovation=innovation)
    awards = list(Award.objects.filter(innovation=innovation))
    top = [a for a in awards if a.is_top_winner and a.level == AwardLevel.CITY]
    if top:
        problems.append(
            Problem(
                "awards",
                _("Riwayat penghargaan"),
                _(
                    "Inovasi ini pernah menjadi pemenang utama kompetisi kota (%(awards)s) dan "
                    "tidak dapat ikut lagi di kelompok umum. Hubungi Bagian Organisasi bila "
                    "inovasi ini diundang ke kelompok Khusus."
                )
                % {"awards": ", ".join(sorted({f"{a.label} {a.year}" for a in top}))},
            )
        )
    if sum(1 for a in awards if a.is_top_99) >= 2:
        problems.append(
            Problem(
                "awards",
                _("Riwayat penghargaan"),
                _("Inovasi ini sudah dua kali masuk Top 99 nasional dan tidak dapat ikut lagi."),
            )
        )
    return problems


@dataclass
class Checklist:
    """What blocks an entry (``problems``) and the rows that decided it, which the
    checklist page shows section by section and kind by kind: read once, not again."""

    problems: list[Problem]
    sections: list[SectionSpec]
    answers: dict[int, EntryAnswer]
    kinds: list[AttachmentKind]
    present: set[int]

    def words(self, section: SectionSpec) -> int:
        """The section's stored word count (0 when it has no answer yet)."""
        answer = self.answers.get(section.pk)
        return answer.word_count if answer is not None else 0


def entry_problems(entry: Entry) -> list[Problem]:
    """Everything that blocks ``entry`` from being submitted; empty when it may go."""
    return entry_checklist(entry).problems


def entry_checklist(entry: Entry) -> Checklist:
    """``entry_problems`` with the sections, answers and attachment kinds it read: five
    queries (sections, answers, attached kinds, kinds, titles of the year)."""
    competition = entry.competition
    problems = []

    if entry.group.competition_id != competition.pk or not entry.group.is_open:
        problems.append(
            Problem(
                "group", _("Kelompok"), _("Kelompok ini tidak dibuka tahun ini. Pilih yang lain.")
            )
        )
    if entry.category.competition_id != competition.pk:
        problems.append(
            Problem("category", _("Kategori"), _("Kategori ini bukan kategori tahun ini."))
        )

    sections = sections_for(competition, entry.group)
    answers = {a.section_id: a for a in EntryAnswer.objects.filter(entry_id=entry.pk).order_by()}
    problems += _section_problems(sections, answers)
    present = set(
        Attachment.objects.filter(entry_id=entry.pk).order_by().values_list("kind_id", flat=True)
    )
    kinds = list(
        AttachmentKind.objects.filter(competition_id=competition.pk).order_by("order", "pk")
    )
    problems += _attachment_problems(kinds, present)

    if entry.video_url and not is_youtube_url(entry.video_url):
        problems.append(
            Problem(
                "video_url",
                _("Tautan video"),
                _(
                    "Tautan video harus alamat YouTube, misalnya "
                    "https://www.youtube.com/watch?v=… atau https://youtu.be/…"
                ),
            )
        )

    if entry.group.code == GroupCode.REPLIKASI and not entry.innovation.is_replication:
        problems.append(
            Problem(
                "innovation",
                _("Inovasi asal"),
                _(
                    "Kelompok Replikasi: sebutkan inovasi yang direplikasi pada data inovasi, "
                    "dari daftar Kovablik atau di luar Kovablik (nama, daerah, tahun, "
                    "penghargaan)."
                ),
            )
        )

    facts = entry.judged
    problems += _age_problems(facts, competition)
    problems += _title_problems(facts.title, competition, exclude_entry=entry)

    if not entry.declaration_accepted:
        problems.append(
            Problem(
                "declaration",
                _("Pernyataan"),
                _("Centang pernyataan bahwa data yang diisikan benar."),
            )
        )
    return Checklist(problems, sections, answers, kinds, present)


def entry_warnings(entry: Entry) -> list[Problem]:
    """Award-history limits: shown to the OPD, decided by the organiser at screening."""
    awards = list(Award.objects.filter(innovation_id=entry.innovation_id).order_by())
    warnings = []
    # This portal runs the city round: an earlier city top win is "the same competition".
    top = [a for a in awards if a.is_top_winner and a.level == AwardLevel.CITY]
    if top:
        levels = ", ".join(sorted({f"{a.label} ({a.get_level_display()} {a.year})" for a in top}))
        warnings.append(
            Problem(
                "awards",
                _("Riwayat penghargaan"),
                _(
                    "Inovasi ini pernah menjadi pemenang utama kompetisi kota: %(awards)s. "
                    "Pemenang utama pada kompetisi yang sama dapat dinyatakan tidak memenuhi "
                    "syarat."
                )
                % {"awards": levels},
            )
        )
    national = [a for a in awards if a.is_top_winner and a.level == AwardLevel.NATIONAL]
    if national:
        warnings.append(
            Problem(
                "awards",
                _("Riwayat penghargaan"),
                _(
                    "Inovasi ini pernah menjadi pemenang utama tingkat nasional: %(awards)s. "
                    "Di KIPP, pemenang utama hanya dapat ikut kelompok Khusus."
                )
                % {"awards": ", ".join(sorted({f"{a.label} {a.year}" for a in national}))},
            )
        )
    if sum(1 for a in awards if a.is_top_99) >= 2:
        warnings.append(
            Problem(
                "awards",
                _("Riwayat penghargaan"),
                _("Inovasi ini sudah dua kali masuk Top 99 nasional."),
            )
        )
    return warnings
