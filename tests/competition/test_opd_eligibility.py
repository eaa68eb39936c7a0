"""Each eligibility rule, and the award-history warnings."""

import datetime as dt

import pytest
from django.utils import timezone

from competition.eligibility import entry_problems, entry_warnings, is_youtube_url, sections_for
from competition.models import AwardLevel, EntryStatus, GroupCode
from tests import factories as f


@pytest.fixture
def competition(db):
    return f.CompetitionFactory(open=True)


def fields(entry):
    return [p.field for p in entry_problems(entry)]


def test_complete_entry_has_no_problems(competition, agency_a):
    assert (
        entry_problems(
            f.EntryFactory(
                competition=competition,
                innovation__agency=agency_a,
                category=competition.categories.first(),
                complete=True,
            )
        )
        == []
    )


def test_empty_required_section_is_a_problem(competition, agency_a):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
        complete=True,
    )
    entry.answers.filter(section__key="ringkasan").update(text="  ")

    problems = entry_problems(entry)

    assert [(p.field, p.label) for p in problems] == [("section:ringkasan", "Ringkasan")]
    assert "wajib diisi" in problems[0].message


def test_section_over_its_word_limit_is_a_problem(competition, agency_a):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
        complete=True,
    )
    entry.answers.filter(section__key="ringkasan").update(text="satu dua tiga empat lima enam")

    problems = entry_problems(entry)

    assert [p.field for p in problems] == ["section:ringkasan"]
    assert "6 kata, batasnya 5 kata" in problems[0].message


def test_optional_empty_section_is_fine(competition, agency_a):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
        complete=True,
    )
    competition.sections.filter(key="latar-belakang").update(required=False)
    entry.answers.filter(section__key="latar-belakang").delete()

    assert fields(entry) == []


def test_section_for_another_group_is_not_asked(competition, agency_a):
    replikasi = f.CompetitionGroupFactory(competition=competition, code=GroupCode.REPLIKASI)
    inspirasi = f.SectionSpecFactory(competition=competition, key="inspirasi", word_limit=100)
    inspirasi.groups.add(replikasi)
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
        complete=True,
    )

    assert fields(entry) == []
    assert inspirasi not in sections_for(competition, entry.group)
    assert inspirasi in sections_for(competition, replikasi)


def test_missing_required_attachment_is_a_problem(competition, agency_a):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
        complete=True,
    )
    entry.attachments.all().delete()

    assert fields(entry) == ["attachment:sk"]


def test_innovation_younger_than_the_minimum_age_is_a_problem(competition, agency_a):
    closes_on = timezone.localtime(competition.submission_closes_at).date()
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
        complete=True,
    )
    entry.innovation.started_on = closes_on - dt.timedelta(days=300)
    entry.innovation.save()

    problems = entry_problems(entry)

    assert [p.field for p in problems] == ["innovation"]
    assert "minimal 12 bulan" in problems[0].message


def test_innovation_exactly_the_minimum_age_is_fine(competition, agency_a):
    closes_on = timezone.localtime(competition.submission_closes_at).date()
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
        complete=True,
    )
    entry.innovation.started_on = closes_on.replace(year=closes_on.year - 1)
    entry.innovation.save()

    assert fields(entry) == []


def test_title_used_by_another_submitted_entry_is_a_problem_ignoring_case_and_spaces(
    competition, agency_a, agency_b
):
    f.EntryFactory(
        competition=competition,
        category=competition.categories.first(),
        complete=True,
        innovation=f.InnovationFactory(agency=agency_b, title="Posko  Paman"),
        status=EntryStatus.SUBMITTED,
    )
    entry = f.EntryFactory(
        competition=competition,
        category=competition.categories.first(),
        complete=True,
        innovation=f.InnovationFactory(agency=agency_a, title="posko paman "),
    )

    assert fields(entry) == ["title"]


def test_title_of_a_mere_draft_elsewhere_does_not_block(competition, agency_a, agency_b):
    f.EntryFactory(
        competition=competition,
        category=competition.categories.first(),
        complete=True,
        innovation=f.InnovationFactory(agency=agency_b, title="Gayatri"),
    )
    entry = f.EntryFactory(
        competition=competition,
        category=competition.categories.first(),
        complete=True,
        innovation=f.InnovationFactory(agency=agency_a, title="GAYATRI"),
    )

    assert fields(entry) == []


def test_category_and_group_of_another_year_are_problems(competition, agency_a):
    other = f.CompetitionFactory(year=competition.year - 1)
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
        complete=True,
    )
    entry.category = f.CategoryFactory(competition=other)
    entry.group = f.CompetitionGroupFactory(competition=other)

    assert fields(entry) == ["group", "category"]


def test_closed_group_is_a_problem(competition, agency_a):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
        complete=True,
    )
    entry.group.is_open = False
    entry.group.save()

    assert fields(entry) == ["group"]


def test_declaration_not_accepted_is_a_problem(competition, agency_a):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
        complete=True,
    )
    entry.declaration_accepted = False

    assert fields(entry) == ["declaration"]


def test_invalid_video_url_is_a_problem(competition, agency_a):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
        complete=True,
    )
    entry.video_url = "https://vimeo.com/12345"

    assert fields(entry) == ["video_url"]


@pytest.mark.parametrize(
    ("url", "valid"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", True),
        ("https://youtube.com/watch?feature=share&v=dQw4w9WgXcQ", True),
        ("https://youtu.be/dQw4w9WgXcQ", True),
        ("https://www.youtube.com/shorts/dQw4w9WgXcQ", True),
        ("http://m.youtube.com/watch?v=dQw4w9WgXcQ", True),
        ("https://www.youtube.com/watch?v=short", False),
        ("https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ", False),
        ("javascript:alert(1)//youtu.be/dQw4w9WgXcQ", False),
        ("https://vimeo.com/123456", False),
        ("youtu.be/dQw4w9WgXcQ", False),
        ("", False),
    ],
)
def test_is_youtube_url(url, valid):
    assert is_youtube_url(url) is valid


def test_earlier_city_top_win_warns_but_does_not_block(competition, agency_a):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
        complete=True,
    )
    f.AwardFactory(
        innovation=entry.innovation, level=AwardLevel.CITY, label="Juara I", is_top_winner=True
    )

    warnings = entry_warnings(entry)

    assert [w.field for w in warnings] == ["awards"]
    assert "Juara I" in warnings[0].message
    assert entry_problems(entry) == []


def test_two_top_99_awards_warn(competition, agency_a):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
        complete=True,
    )
    f.AwardFactory(innovation=entry.innovation, level=AwardLevel.NATIONAL, is_top_99=True)
    f.AwardFactory(
        innovation=entry.innovation, level=AwardLevel.NATIONAL, is_top_99=True, year=2021
    )

    assert ["Top 99" in w.message for w in entry_warnings(entry)] == [True]


def test_one_top_99_and_a_provincial_win_do_not_warn(competition, agency_a):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
        complete=True,
    )
    f.AwardFactory(innovation=entry.innovation, level=AwardLevel.NATIONAL, is_top_99=True)
    f.AwardFactory(innovation=entry.innovation, level=AwardLevel.PROVINCE, is_top_winner=True)

    assert entry_warnings(entry) == []


def test_earlier_national_top_win_warns_but_does_not_block(competition, agency_a):
    entry = f.EntryFactory(
        competition=competition,
        innovation__agency=agency_a,
        category=competition.categories.first(),
        complete=True,
    )
    f.AwardFactory(
        innovation=entry.innovation,
        level=AwardLevel.NATIONAL,
        label="Top 45 KIPP",
        year=2019,
        is_top_winner=True,
    )

    warnings = entry_warnings(entry)

    assert len(warnings) == 1
    assert "Top 45 KIPP 2019" in warnings[0].message
    assert "kelompok Khusus" in warnings[0].message
    assert entry_problems(entry) == []
