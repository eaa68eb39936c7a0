"""Target rounds are data: starting formats, a new year copied, forwarding against the rules."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from competition.models import (
    Competition,
    EntryStatus,
    Forwarding,
    GroupCode,
    OutcomeStep,
    RoundGroupRule,
    TargetRound,
)
from competition.services import rounds as services
from tests import factories as f

CLOSES = dt.date(2027, 6, 30)


def jatim(**rule):
    target = services.round_create_from_format(format_key="kovablik-jatim", year=2027)
    target.closes_on = CLOSES
    target.save()
    if rule:
        RoundGroupRule.objects.filter(round=target).update(**rule)
    return target


def screened_entry(*, group=GroupCode.UMUM, months=36, status=EntryStatus.PASSED, **kwargs):
    """An entry of the test's 2027 competition (the first call makes it)."""
    competition = Competition.objects.filter(year=2027).first() or f.CompetitionFactory(year=2027)
    total = CLOSES.year * 12 + CLOSES.month - 1 - months
    started = dt.date(total // 12, total % 12 + 1, 1)
    return f.EntryFactory(
        competition=competition,
        group=competition.groups.get_or_create(code=group)[0],
        innovation=f.InnovationFactory(started_on=started),
        status=status,
        video_url="https://www.youtube.com/watch?v=abc",
        **kwargs,
    )


def refusal(entry, target, organiser) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        services.entry_forward_to_round(entry=entry, target_round=target, actor=organiser)
    return caught.value.messages


def test_round_formats_start_kipp_2023_and_jatim(db):
    kipp = services.round_create_from_format(format_key="kipp-2023", year=2027)
    province = services.round_create_from_format(format_key="kovablik-jatim", year=2027)

    assert (kipp.name, kipp.slug, kipp.level) == ("KIPP 2027", "kipp-2027", "national")
    rules = {r.group: r for r in kipp.rules.all()}
    assert (rules["umum"].min_age_months, rules["umum"].quota) == (24, 10)
    assert (rules["replikasi"].min_age_months, rules["replikasi"].quota) == (12, 5)
    assert rules["umum"].video_max_minutes == 3
    assert [s.word_limit for s in kipp.sections.all()][:3] == [200, 300, 200]
    assert "Top 45" in kipp.award_labels and "Panel independen" in kipp.steps
    assert kipp.attachment_kinds.get(key="pernyataan-replikasi").groups == ["replikasi"]
    assert province.organiser_region == "Provinsi Jawa Timur"
    assert province.rules.get().quota == 3
    assert province.sections.get(key="adaptabilitas").source_keys == [
        "adaptabilitas-replikasi",
        "adaptabilitas-potensi",
    ]


def test_round_copy_latest_makes_next_year_from_the_last_one(db):
    source = jatim(quota=4)
    source.opens_on = dt.date(2027, 3, 1)
    source.save()

    copy = services.round_copy_latest(series="kovablik-jatim", year=2028)

    assert (copy.name, copy.slug, copy.year) == ("Kovablik Jatim 2028", "kovablik-jatim-2028", 2028)
    assert copy.opens_on == dt.date(2028, 3, 1) and copy.closes_on == dt.date(2028, 6, 30)
    assert copy.rules.get().quota == 4
    assert copy.sections.count() == source.sections.count()
    assert copy.copied_from == source
    with pytest.raises(ValidationError, match="sudah ada"):
        services.round_copy(source=source, year=2028)


def test_forward_to_round_accepts_a_screened_in_entry_without_a_placement(organiser):
    target = jatim()
    entry = screened_entry()

    forwarding = services.entry_forward_to_round(entry=entry, target_round=target, actor=organiser)

    assert (forwarding.round, forwarding.level, forwarding.entry) == (target, "province", entry)
    assert forwarding.history.count() == 1


def test_forward_to_round_over_the_groups_quota_is_refused_with_the_reason(organiser):
    target = jatim(quota=1)
    services.entry_forward_to_round(entry=screened_entry(), target_round=target, actor=organiser)

    messages = refusal(screened_entry(), target, organiser)

    assert messages == [
        "Kuota kelompok Umum ke Kovablik Jatim 2027 sudah terpakai: 1 dari 1 proposal. "
        "Batalkan penerusan lain lebih dulu."
    ]
    assert Forwarding.objects.filter(round=target).count() == 1


def test_forward_to_round_too_young_for_its_group_is_refused_with_the_reason(organiser):
    target = services.round_create_from_format(format_key="kipp-2023", year=2027)
    target.closes_on = CLOSES
    target.save()
    young = screened_entry(months=18)  # enough for Replikasi (12), not for Umum (24)

    messages = refusal(young, target, organiser)

    assert messages == [
        "Terlalu muda: inovasi baru berjalan 18 bulan, kelompok Umum di KIPP 2027 meminta "
        "paling sedikit 24 bulan."
    ]
    replikasi = screened_entry(months=18, group=GroupCode.REPLIKASI)
    assert services.entry_forward_to_round(entry=replikasi, target_round=target, actor=organiser)


def test_forward_to_round_too_old_for_a_maximum_age_is_refused(organiser):
    target = jatim(min_age_months=None, max_age_months=24)

    messages = refusal(screened_entry(months=30), target, organiser)

    assert messages == [
        "Terlalu lama: inovasi sudah berjalan 30 bulan, kelompok Umum di Kovablik Jatim 2027 "
        "menerima paling lama 24 bulan."
    ]


def test_forward_to_round_entered_too_often_is_refused_with_the_reason(organiser):
    earlier = jatim(max_entries=2)
    later = services.round_copy(source=earlier, year=2028)
    innovation = f.InnovationFactory(started_on=dt.date(2020, 1, 1))
    for year, target in ((2026, earlier), (2027, later)):
        competition = f.CompetitionFactory(year=year)
        entry = f.EntryFactory(
            competition=competition,
            innovation=innovation,
            status=EntryStatus.FINALIST,
            group=f.CompetitionGroupFactory(competition=competition, code=GroupCode.UMUM),
        )
        services.entry_forward_to_round(entry=entry, target_round=target, actor=organiser)
    third = services.round_copy(source=later, year=2029)
    competition = f.CompetitionFactory(year=2028)
    entry = f.EntryFactory(
        competition=competition,
        innovation=innovation,
        status=EntryStatus.PASSED,
        group=f.CompetitionGroupFactory(competition=competition, code=GroupCode.UMUM),
    )

    messages = refusal(entry, third, organiser)

    assert messages == [
        "Terlalu sering: inovasi ini sudah 2 kali diteruskan ke putaran seri yang sama; "
        "Kovablik Jatim 2029 menerima paling banyak 2 kali."
    ]


def test_forward_to_round_refuses_award_history_group_and_unscreened_entry_at_once(organiser):
    target = jatim()
    entry = screened_entry(status=EntryStatus.SUBMITTED)
    f.AwardFactory(innovation=entry.innovation, level="province", label="Top 25 Kovablik")
    khusus = screened_entry(group=GroupCode.KHUSUS)

    messages = refusal(entry, target, organiser)

    assert messages == [
        "Hanya proposal yang lolos seleksi administrasi yang dapat diteruskan.",
        "Riwayat penghargaan: inovasi ini sudah 1 kali meraih Top 25; Kovablik Jatim 2027 "
        "tidak menerima inovasi dengan riwayat itu.",
    ]
    assert refusal(khusus, target, organiser) == [
        "Kovablik Jatim 2027 tidak menerima kelompok Khusus."
    ]


def test_forward_to_round_requires_the_video_the_round_asks_for(organiser):
    target = jatim(video_required=True)
    entry = screened_entry()
    entry.video_url = ""
    entry.save()

    assert refusal(entry, target, organiser) == [
        "Kovablik Jatim 2027 mewajibkan video; tautan video YouTube proposal ini belum diisi."
    ]


def test_forward_to_round_twice_returns_the_same_forwarding(organiser):
    target = jatim(quota=1)
    entry = screened_entry()
    first = services.entry_forward_to_round(entry=entry, target_round=target, actor=organiser)

    again = services.entry_forward_to_round(entry=entry, target_round=target, actor=organiser)

    assert again == first
    assert TargetRound.objects.get().forwardings.count() == 1


# --- pages ------------------------------------------------------------------------------


def test_round_list_creates_a_round_from_a_starting_format(client, organiser):
    client.force_login(organiser)

    response = client.post(
        reverse("competition:round_list"), {"source": "format:kipp-2023", "year": 2027}
    )

    assert response.url == reverse("competition:round_detail", args=["kipp-2027"])
    page = client.get(reverse("competition:round_list")).content.decode()
    assert "KIPP 2027" in page
    assert "Salin putaran terakhir seri kipp" in page


def test_round_page_lists_candidates_with_the_rules_they_fail(client, organiser):
    target = jatim(quota=2)
    fine = screened_entry(reference="KIPP-2027-0001")
    young = screened_entry(months=6, reference="KIPP-2027-0002")
    screened_entry(status=EntryStatus.DRAFT, reference=None)  # not screened in: not listed
    client.force_login(organiser)

    response = client.get(reverse("competition:round_detail", args=[target.slug]))

    page = response.content.decode()
    assert f'id="candidate-{fine.pk}"' in page and f'id="candidate-{young.pk}"' in page
    assert "Memenuhi semua aturan" in page
    assert "Terlalu muda: inovasi baru berjalan 6 bulan" in page
    assert page.count('name="entry"') == 1  # only the entry that meets the rules has a button


def test_round_forward_page_forwards_or_says_why_not(client, organiser):
    target = jatim(quota=1)
    first, second = screened_entry(reference="KIPP-2027-0001"), screened_entry(reference="X-2")
    client.force_login(organiser)
    url = reverse("competition:round_forward", args=[target.slug])

    client.post(url, {"entry": first.pk})
    response = client.post(url, {"entry": second.pk}, follow=True)

    page = response.content.decode()
    assert "Kuota kelompok Umum ke Kovablik Jatim 2027 sudah terpakai: 1 dari 1 proposal." in page
    assert list(Forwarding.objects.values_list("entry", flat=True)) == [first.pk]
    assert "KIPP-2027-0001" in page.split('id="round-forwarded"')[1].split("</ul>")[0]


def test_round_outcome_picks_step_and_label_from_the_rounds_lists(client, organiser):
    target = jatim()
    forwarding = services.entry_forward_to_round(
        entry=screened_entry(), target_round=target, actor=organiser
    )
    client.force_login(organiser)
    url = reverse("competition:results_outcome", args=[forwarding.pk])
    page = client.get(url).content.decode()
    assert '<option value="Top 45">Top 45</option>' in page
    assert '<option value="Kunjungan lapangan">Kunjungan lapangan</option>' in page

    client.post(
        url,
        {
            "step": OutcomeStep.AWARDED,
            "round_step": "Penetapan",
            "label": "Top 45",
            "occurred_on": "2027-11-01",
        },
    )
    refused = client.post(
        url, {"step": OutcomeStep.AWARDED, "label": "Juara Umum", "occurred_on": "2027-11-02"}
    )

    outcome = forwarding.outcomes.get()
    assert (outcome.round_step, outcome.label) == ("Penetapan", "Top 45")
    assert forwarding.entry.innovation.awards.get().label == "Top 45"
    assert "Juara Umum" in refused.content.decode()  # the form refuses a label not in the list


@pytest.mark.parametrize("n", [1, 6])
def test_round_page_query_count_does_not_grow(n, client, organiser, django_assert_num_queries):
    target = jatim(quota=20)
    forwarded = []
    for _ in range(n):
        awarded = screened_entry()
        f.AwardFactory(innovation=awarded.innovation)
        entry = screened_entry()
        services.entry_forward_to_round(entry=entry, target_round=target, actor=organiser)
        forwarded.append(entry)
    client.force_login(organiser)

    with django_assert_num_queries(21):
        response = client.get(reverse("competition:round_detail", args=[target.slug]))

    text = response.content.decode()
    assert all(entry.innovation.title in text for entry in forwarded)


def test_round_page_shows_what_each_forwarded_entry_lacks_in_the_rounds_format(client, organiser):
    target = jatim()
    entry = screened_entry(reference="KIPP-2027-0001")
    ringkasan = f.SectionSpecFactory(competition=entry.competition, key="ringkasan")
    f.EntryAnswerFactory(entry=entry, section=ringkasan, text="kata " * 230)
    services.entry_forward_to_round(entry=entry, target_round=target, actor=organiser)
    client.force_login(organiser)

    page = client.get(reverse("competition:round_detail", args=[target.slug])).content.decode()

    forwarded = page.split('id="round-forwarded"')[1].split("<h2")[0]
    assert "Ringkasan: 230 / 200 kata, melebihi batas putaran" in forwarded
    assert "Latar Belakang dan Tujuan: belum ada isian" in forwarded
    assert "Lampiran SK penetapan inovator belum ada" in forwarded
