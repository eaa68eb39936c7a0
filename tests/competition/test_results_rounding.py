"""One precision, one rounding, one order: every output prints the same scores and ranks.

The data set is built to contain half-way cases (a 5 at the fourth decimal, where
Python's ``round`` on the binary float and half-up disagree) and exact ties.
"""

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import number_format
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from pypdf import PdfReader

from competition import stats
from competition.models import EntryStatus
from competition.services.finalists import finalists_select
from competition.services.snapshot import result_finalise
from competition.templatetags import kovablik as filters
from tests import factories as f

HEADER_ROW = 5


class _Cells(HTMLParser):
    """The text of each cell of the table with id ``table_id``, row by row."""

    def __init__(self, table_id):
        super().__init__()
        self.table_id, self.inside, self.rows, self.cell = table_id, False, [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and dict(attrs).get("id") == self.table_id:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag == "td":
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif self.inside and tag == "td" and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def _table(html, table_id):
    parser = _Cells(table_id)
    parser.feed(html)
    return [row for row in parser.rows if row]


def _halfway_year():
    """Four entries on one stage (weights 55/45, two judges agreeing) with no ladder:

    * 0001: 80.00 and 80.03 -> 80.0135 (``round`` gives 80.013, half-up 80.014)
    * 0003: 80.05 and 79.97 -> 80.014 exactly: it prints as 0001 does, so they share a
      rank (``round`` would have put 0003 ahead while printing the same score)
    * 0002: 80.02 and 80.00 -> 80.011
    * 0004 and 0005: identical sheets, 83.71 and 83.72 -> 83.7145: an exact tie at 83,715.
    """
    competition = f.CompetitionFactory(year=2026, tie_break_ladder=[])
    stage = f.StageFactory(
        competition=competition, closed=True, rubric=(55, 45), name="Penilaian proposal"
    )
    judges = [f.JudgeFactory(full_name="Dr. Juri A"), f.JudgeFactory(full_name="Dr. Juri B")]
    sheets = {
        "KIPP-2026-0001": [80.00, 80.03],
        "KIPP-2026-0002": [80.02, 80.00],
        "KIPP-2026-0003": [80.05, 79.97],
        "KIPP-2026-0004": [83.71, 83.72],
        "KIPP-2026-0005": [83.71, 83.72],
    }
    entries = {}
    for reference, values in sheets.items():
        entry = f.EntryFactory(
            competition=competition,
            reference=reference,
            titled_by_reference=True,
            status=EntryStatus.FINALIST,
        )
        for judge in judges:
            f.ScoreSheetFactory(
                stage=stage, entry=entry, judge=judge, submitted=True, assigned=True, scores=values
            )
        entries[reference] = entry
    return competition, stage, entries


# reference -> (rank, score as printed with a dot)
EXPECTED = {
    "KIPP-2026-0004": (1, "83.715"),
    "KIPP-2026-0005": (1, "83.715"),
    "KIPP-2026-0001": (3, "80.014"),
    "KIPP-2026-0003": (3, "80.014"),
    "KIPP-2026-0002": (5, "80.011"),
}


def _comma(text):
    return text.replace(".", ",")


def test_the_data_set_holds_a_half_way_case_that_round_gets_wrong():
    specs = [stats.CriterionSpec(1, 100, 55), stats.CriterionSpec(2, 100, 45)]

    total = stats.sheet_total({1: 80.00, 2: 80.03}, specs)

    # 80.0135 lies a hair below the half as a binary float: round() says 80.013.
    assert round(total, 3) == 80.013
    assert stats.score_shown(total) == Decimal("80.014")


def _page_rows(html, table_id, score_col):
    rows = _table(html, table_id)
    out = {}
    for row in rows:
        reference = re.search(r"KIPP-2026-\d{4}", row[1]).group(0)
        out[reference] = (int(row[0]), row[score_col])
    return out


def _xlsx_rows(ws, score_header, header_row=HEADER_ROW):
    """reference -> (rank, score as Excel shows it with the cell's number format)."""
    header = [c.value for c in ws[header_row]]
    rank_col, ref_col = header.index("Peringkat"), header.index("Nomor registrasi")
    score_col = header.index(score_header)
    out = {}
    for row in ws.iter_rows(min_row=header_row + 1):
        cell = row[score_col]
        assert cell.number_format == "0.000"
        out[row[ref_col].value] = (row[rank_col].value, f"{cell.value:.3f}")
    return out


def test_pages_pdf_csv_and_xlsx_print_the_same_rounded_scores_and_ranks(client, organiser):
    _competition, stage, _entries = _halfway_year()
    client.force_login(organiser)
    expected_comma = {ref: (rank, _comma(s)) for ref, (rank, s) in EXPECTED.items()}

    board = client.get(reverse("competition:results_stage", args=[stage.pk])).content.decode()
    final = client.get(reverse("competition:results_final", args=[2026])).content.decode()
    finalist_csv = client.get(
        reverse("competition:export_competition", args=[2026, "finalis", "csv"])
    )
    finalist_xlsx = client.get(
        reverse("competition:export_competition", args=[2026, "finalis", "xlsx"])
    )
    finalist_pdf = client.get(
        reverse("competition:export_competition", args=[2026, "finalis", "pdf"])
    )
    recap_xlsx = client.get(
        reverse("competition:export_stage", args=[2026, stage.order, "rekap-nilai", "xlsx"])
    )

    assert _page_rows(board, "leaderboard", 2) == expected_comma
    assert _page_rows(final, "final-ranking", 3) == expected_comma

    rows = list(csv.DictReader(io.StringIO(b"".join(finalist_csv.streaming_content).decode())))
    by_ref = {r["Nomor registrasi"]: (int(r["\ufeffPeringkat"]), r["Nilai akhir"]) for r in rows}
    assert by_ref == EXPECTED

    finalists = load_workbook(io.BytesIO(b"".join(finalist_xlsx.streaming_content)))
    assert _xlsx_rows(finalists.worksheets[0], "Nilai akhir") == EXPECTED
    recap = load_workbook(io.BytesIO(b"".join(recap_xlsx.streaming_content)))
    assert _xlsx_rows(recap.worksheets[1], "Nilai rata-rata", HEADER_ROW + 1) == EXPECTED

    reader = PdfReader(io.BytesIO(b"".join(finalist_pdf.streaming_content)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    blocks = {
        m.group(2): (int(m.group(1)), m.group(3).split())
        for m in re.finditer(r"^(\d+) (KIPP-2026-\d{4})(.*?)(?=^\d+ KIPP-|\Z)", text, re.M | re.S)
    }
    # Each row prints its final score and its one stage's score, the same number.
    assert {
        ref: (rank, words.count(shown))
        for ref, (rank, shown) in expected_comma.items()
        for words in [blocks[ref][1]]
    } == {ref: (rank, 2) for ref, (rank, _s) in expected_comma.items()}
    assert {ref: blocks[ref][0] for ref in blocks} == {ref: r for ref, (r, _s) in EXPECTED.items()}
    assert "80,01 " not in text and "83,71 " not in text


def test_alpha_prints_and_reads_from_the_same_rounded_value(client, organiser):
    # Alpha is 0.66677: it prints 0,667, the cut-off for "cukup", and must read so.
    competition = f.CompetitionFactory(year=2026)
    stage = f.StageFactory(competition=competition, closed=True, rubric=(100,))
    judges = [f.JudgeFactory(), f.JudgeFactory()]
    for i, (a, b) in enumerate(zip([63, 72, 69, 90], [68, 61, 81, 86], strict=True)):
        entry = f.EntryFactory(
            competition=competition,
            reference=f"KIPP-2026-{i + 1:04d}",
            titled_by_reference=True,
            screened_in=True,
        )
        f.ScoreSheetFactory(
            stage=stage, entry=entry, judge=judges[0], submitted=True, assigned=True, scores=[a]
        )
        f.ScoreSheetFactory(
            stage=stage, entry=entry, judge=judges[1], submitted=True, assigned=True, scores=[b]
        )
    client.force_login(organiser)

    page = client.get(reverse("competition:results_stage", args=[stage.pk])).content.decode()
    recap = client.get(
        reverse("competition:export_stage", args=[2026, stage.order, "rekap-nilai", "xlsx"])
    )

    assert '<strong id="agreement-alpha">0,667</strong>' in page
    assert "cukup: kesepakatan sedang" in page
    assert "rendah" not in page
    heading = load_workbook(io.BytesIO(b"".join(recap.streaming_content))).worksheets[0]["A4"]
    assert "0,667, cukup" in heading.value


def _ladder_tie_at_third(competition=None):
    """Entries 0003 and 0004 tie at 70 on score; the ladder's first rung (K1, the 60%
    criterion) puts 0004 ahead although it has the higher id and the later reference."""
    competition = competition or f.CompetitionFactory(
        year=2026, tie_break_ladder=["top_criterion", "first_places"]
    )
    stage = f.StageFactory(competition=competition, closed=True, rubric=(60, 40), name="Presentasi")
    judges = [f.JudgeFactory(full_name="Dr. Juri A"), f.JudgeFactory(full_name="Dr. Juri B")]
    plan = {
        "KIPP-2026-0001": [90, 90],
        "KIPP-2026-0002": [80, 80],
        "KIPP-2026-0003": [60, 85],  # 36 + 34 = 70
        "KIPP-2026-0004": [75, 62.5],  # 45 + 25 = 70, higher on K1
        "KIPP-2026-0005": [50, 50],
    }
    entries = {}
    for reference, values in plan.items():
        entry = f.EntryFactory(
            competition=competition,
            reference=reference,
            titled_by_reference=True,
            screened_in=True,
        )
        for judge in judges:
            f.ScoreSheetFactory(
                stage=stage, entry=entry, judge=judge, submitted=True, assigned=True, scores=values
            )
        entries[reference] = entry
    return stage, entries


def test_tiga_besar_and_top_n_follow_the_ladder_not_the_id(client, organiser):
    stage, _entries = _ladder_tie_at_third()
    client.force_login(organiser)

    page = client.get(reverse("competition:results_stage", args=[stage.pk])).content.decode()
    minutes = client.get(
        reverse("competition:export_stage", args=[2026, stage.order, "berita-acara", "pdf"])
    )
    chosen = finalists_select(stage=stage, actor=organiser, top_n=3)

    rows = _page_rows(page, "leaderboard", 2)
    assert "seri, dipecahkan oleh: nilai lebih tinggi pada kriteria berbobot terbesar" in page
    assert rows["KIPP-2026-0004"] == (3, "70,000")
    assert rows["KIPP-2026-0003"] == (4, "70,000")
    top = re.search(r'<p id="top-three">(.*?)</p>', page, re.S).group(1)
    assert re.findall(r"KIPP-2026-\d{4}", top) == [
        "KIPP-2026-0001",
        "KIPP-2026-0002",
        "KIPP-2026-0004",
    ]
    text = " ".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(b"".join(minutes.streaming_content))).pages
    )
    assert "Tiga besar: 1) KIPP-2026-0001; 2) KIPP-2026-0002; 3) KIPP-2026-0004" in " ".join(
        text.split()
    )
    assert {e.reference for e in chosen} == {"KIPP-2026-0001", "KIPP-2026-0002", "KIPP-2026-0004"}


def test_normalised_score_equals_the_score_when_judges_agree_exactly(client, organiser):
    competition = f.CompetitionFactory(year=2026)
    stage = f.StageFactory(
        competition=competition, closed=True, rubric=(100,), min_entries_for_normalisation=2
    )
    judges = [f.JudgeFactory(), f.JudgeFactory(), f.JudgeFactory()]
    for i, value in enumerate([91.25, 83.72, 70.5, 64]):
        entry = f.EntryFactory(
            competition=competition,
            reference=f"KIPP-2026-{i + 1:04d}",
            titled_by_reference=True,
            screened_in=True,
        )
        for judge in judges:
            f.ScoreSheetFactory(
                stage=stage, entry=entry, judge=judge, submitted=True, assigned=True, scores=[value]
            )
    client.force_login(organiser)

    page = client.get(reverse("competition:results_stage", args=[stage.pk])).content.decode()

    rows = _table(page, "leaderboard")
    assert [(row[2], row[3]) for row in rows] == [
        ("91,250", "91,250"),
        ("83,720", "83,720"),
        ("70,500", "70,500"),
        ("64,000", "64,000"),
    ]
    assert "kembalikan ke rata-rata dan simpangan baku kolom Nilai" in " ".join(page.split())


@pytest.mark.parametrize("n_entries", [1, 4])
def test_snapshot_placements_keep_the_half_up_score(n_entries, organiser):
    competition = f.CompetitionFactory(year=2026)
    stage = f.StageFactory(competition=competition, closed=True, rubric=(55, 45))
    judge = f.JudgeFactory()
    for i in range(n_entries):
        entry = f.EntryFactory(
            competition=competition,
            reference=f"KIPP-2026-{i + 1:04d}",
            titled_by_reference=True,
            status=EntryStatus.FINALIST,
        )
        # 80.08 and 79.93 -> 80.0125: half-even (Decimal's default) would store 80.012.
        f.ScoreSheetFactory(
            stage=stage,
            entry=entry,
            judge=judge,
            submitted=True,
            assigned=True,
            scores=[80.08 - i, 79.93],
        )

    snapshot = result_finalise(
        competition=competition,
        actor=organiser,
        decree_number="1/2026",
        decree_date=dt.date(2026, 11, 20),
    )

    first = snapshot.placements.order_by("rank").first()
    assert str(first.final_score) == "80.013"


@pytest.mark.parametrize("language", ["id", "en"])
@given(
    value=st.one_of(
        st.floats(min_value=-2000, max_value=2000, allow_nan=False),
        st.sampled_from([0.0, -0.0, -0.0004, 0.0005, 999.9994, 999.9996, -999.9996, 1000.0]),
    )
)
def test_score_and_figure_filters_print_what_number_format_prints(language, value):
    """The filters' own path below a thousand prints exactly Django's formatting."""
    with translation.override(language):
        assert filters.score(value) == number_format(stats.score_shown(value), 3)
        assert filters.figure(value) == number_format(stats.figure_shown(value), 2)
        assert filters.alpha(value) == number_format(stats.alpha_shown(value), 3)
