"""Seed a reproducible benchmark data set at city, national or province scale.

    .venv/bin/python bench/seed.py --scale city|national|province [--database-url URL]
                                   [--reset] [--rush]

City: 155 entries, 60 OPDs, 10 judges. National: 3,500 entries, 400 OPDs, 100 judges,
3 submitted sheets per entry on 8 criteria (84,000 scores). Province: 500 entries, 150 OPDs,
30 judges (meant for the rush: ``--scale province --rush``). Everything goes in with
``bulk_create`` from a fixed random seed, so two runs give the same rows. Without
``--database-url`` it writes to ``bench/out/bench.sqlite3`` (never the developer's
``db.sqlite3``). A database that already holds data is refused unless ``--reset``
flushes it first.

``--rush`` (used by ``bench/load.py``) shapes the set for the deadline rush: this
year's submission window is open, each OPD user (155 in the city, 500 in the province) has
a draft entry to fill in, and a second, already-screened competition has an open desk
stage where each judge has 9 sheets to score.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import random
import sys
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from common import resolve_database_url, setup_django

PASSWORD = "bangku-uji-2026"  # noqa: S105 - throwaway benchmark accounts
SEED = 20260101
BATCH = 2000


@dataclass(frozen=True)
class Scale:
    entries: int
    agencies: int
    judges: int
    sheets_per_entry: int = 3
    criteria: int = 8
    finalists: int = 20
    presentation_judges: int = 5
    # Share of agencies that enter nothing, so the compliance report has work to do.
    idle_agency_share: float = 0.15


SCALES = {
    "city": Scale(entries=155, agencies=60, judges=10),
    "national": Scale(entries=3500, agencies=400, judges=100),
    # The province's deadline rush (bench/load.py --scale province): 500 OPD users, 30 judges.
    "province": Scale(entries=500, agencies=150, judges=30),
}

AGENCY_KINDS = ["dinas", "badan", "bagian", "kecamatan", "kelurahan", "puskesmas", "upt", "rsud"]
WORDS = [
    "layanan",
    "masyarakat",
    "inovasi",
    "digital",
    "warga",
    "kelurahan",
    "puskesmas",
    "antrean",
    "data",
    "terpadu",
    "pengaduan",
    "cepat",
    "mudah",
    "murah",
    "transparan",
    "kolaborasi",
    "sekolah",
    "kesehatan",
    "sampah",
    "pajak",
    "lingkungan",
    "pelaporan",
    "aplikasi",
    "petugas",
    "terlatih",
    "anggaran",
    "kebijakan",
    "evaluasi",
    "dampak",
    "survei",
    "kepuasan",
    "meningkat",
    "menurun",
    "waktu",
    "tunggu",
    "biaya",
    "menit",
    "hari",
    "bulan",
    "tahun",
]
CRITERIA = [
    ("Kebaruan", 15),
    ("Efektivitas", 15),
    ("Kemanfaatan", 15),
    ("Dapat direplikasi", 10),
    ("Keberlanjutan", 15),
    ("Signifikansi dampak", 10),
    ("Kolaborasi", 10),
    ("Kualitas proposal", 10),
]
PRESENTATION_CRITERIA = [("Presentasi", 30), ("Substansi", 70)]


def words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def database_has_data() -> bool:
    from competition.models import Competition, Entry
    from opd.models import Agency, User

    return any(m.objects.exists() for m in (User, Agency, Competition, Entry))


def reseed_sdgs() -> None:
    """``flush`` also empties the SDG table the migration filled; put it back."""
    from competition.models import SDG

    sdgs = importlib.import_module("competition.migrations.0002_seed_sdgs").SDGS
    SDG.objects.bulk_create([SDG(number=n, name=name) for n, name in sdgs], ignore_conflicts=True)


def seed(scale_name: str, *, rush: bool = False) -> dict[str, int]:
    """Create the whole data set; returns counts per model for the summary."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from competition import defaults
    from competition import models as cm
    from competition.models.innovation import title_key
    from opd.models import Agency, Approval, Role, User

    scale = SCALES[scale_name]
    rng = random.Random(SEED)
    now = timezone.now().replace(microsecond=0)
    today = timezone.localdate()
    password = make_password(PASSWORD)

    # Agencies: dinas and badan first, then units under them.
    agencies = []
    for i in range(scale.agencies):
        kind = AGENCY_KINDS[i % len(AGENCY_KINDS)]
        agencies.append(
            Agency(
                name=f"{kind.title()} Contoh {i + 1:03d}",
                short_name=f"{kind[:3].upper()}{i + 1:03d}",
                kind=kind,
                head_name=f"Kepala {i + 1:03d}",
                email=f"opd{i + 1:03d}@bench.go.id",
            )
        )
    Agency.objects.bulk_create(agencies, batch_size=BATCH)
    for i, agency in enumerate(agencies):
        if agency.kind in {"kelurahan", "puskesmas", "upt"}:
            agency.parent = agencies[(i // len(AGENCY_KINDS)) * len(AGENCY_KINDS)]
    Agency.objects.bulk_update([a for a in agencies if a.parent_id], ["parent"], batch_size=BATCH)
    entering = agencies[: round(scale.agencies * (1 - scale.idle_agency_share))]

    organiser = User(
        email="organiser@bench.go.id",
        full_name="Petugas Bagian Organisasi",
        role=Role.ORGANISER,
        approval=Approval.APPROVED,
        is_staff=True,
        password=password,
    )
    judges = [
        User(
            email=f"juri{j + 1:03d}@bench.go.id",
            full_name=f"Dr. Juri {j + 1:03d}",
            role=Role.JUDGE,
            approval=Approval.APPROVED,
            institution="Universitas Contoh",
            password=password,
        )
        for j in range(scale.judges)
    ]
    # One OPD user per entry, so the load test has one person per proposal.
    staff = [
        User(
            email=f"opd{e + 1:04d}@bench.go.id",
            full_name=f"Staf OPD {e + 1:04d}",
            role=Role.OPD_STAFF,
            agency=entering[e % len(entering)],
            approval=Approval.APPROVED,
            password=password,
        )
        for e in range(scale.entries)
    ]
    User.objects.bulk_create([organiser, *judges, *staff], batch_size=BATCH)

    year = today.year
    if rush:
        opens, closes = now - dt.timedelta(days=30), now + dt.timedelta(days=1)
    else:
        opens, closes = now - dt.timedelta(days=120), now - dt.timedelta(days=60)
    competition = cm.Competition.objects.create(
        year=year,
        name="Kompetisi Inovasi Pelayanan Publik",
        submission_opens_at=opens,
        submission_closes_at=closes,
        prize_first=15_000_000,
        prize_second=10_000_000,
        prize_third=7_500_000,
    )
    groups = cm.CompetitionGroup.objects.bulk_create(
        [
            cm.CompetitionGroup(
                competition=competition,
                code=g["code"],
                description=str(g["description"]),
                invitation_only=g["invitation_only"],
            )
            for g in defaults.GROUPS
        ]
    )
    categories = cm.Category.objects.bulk_create(
        [cm.Category(competition=competition, name=f"Kategori {c + 1}", order=c) for c in range(9)]
    )
    sections = cm.SectionSpec.objects.bulk_create(
        [
            cm.SectionSpec(
                competition=competition,
                key=s["key"],
                label=str(s["label"]),
                guidance=str(s["guidance"]),
                word_limit=s["word_limit"],
                order=order,
            )
            for order, s in enumerate(defaults.SECTIONS)
        ]
    )
    by_code = {g.code: g for g in groups}
    through = cm.SectionSpec.groups.through
    through.objects.bulk_create(
        [
            through(sectionspec_id=section.pk, competitiongroup_id=by_code[code].pk)
            for section, spec in zip(sections, defaults.SECTIONS, strict=True)
            for code in spec.get("groups", [])
        ]
    )
    kinds = cm.AttachmentKind.objects.bulk_create(
        [
            cm.AttachmentKind(
                competition=competition,
                key=k["key"],
                label=str(k["label"]),
                guidance=str(k["guidance"]),
                required=k["required"],
                allowed_types=k["allowed_types"],
                max_size_mb=k["max_size_mb"],
                max_files=k["max_files"],
                order=order,
            )
            for order, k in enumerate(defaults.ATTACHMENT_KINDS)
        ]
    )

    innovations = [
        cm.Innovation(
            agency=staff[e].agency,
            title=f"Inovasi {words(rng, 3).title()} {e + 1:04d}",
            brand_name=f"INOV{e + 1:04d}",
            brand_long_form=words(rng, 6),
            description=words(rng, 40),
            started_on=today - dt.timedelta(days=rng.randint(400, 3000)),
            is_digital=rng.random() < 0.5,
            created_by=staff[e],
        )
        for e in range(scale.entries)
    ]
    for e, innovation in enumerate(innovations):
        innovation.title_key = title_key(innovation.title)
        if e % 10 == 0:  # the Replikasi group's entries (below) name what they replicate
            innovation.replicates_name = f"Inovasi Asal {e + 1:04d}"
            innovation.replicates_region = "Kabupaten Contoh"
            innovation.replicates_year = year - 3
    cm.Innovation.objects.bulk_create(innovations, batch_size=BATCH)
    cm.Innovator.objects.bulk_create(
        [
            cm.Innovator(
                innovation=innovation,
                name=f"Inovator {i + 1} {innovation.brand_name}",
                nip=f"{198001012005011000 + n * 3 + i}",
                phone="081234567890",
                email=f"inovator{n}-{i}@bench.go.id",
                order=i,
            )
            for n, innovation in enumerate(innovations)
            for i in range(1 + n % 3)
        ],
        batch_size=BATCH,
    )
    sdg_ids = list(cm.SDG.objects.values_list("pk", flat=True))
    sdg_through = cm.Innovation.sdgs.through
    sdg_through.objects.bulk_create(
        [
            sdg_through(innovation_id=innovation.pk, sdg_id=sdg)
            for innovation in innovations
            for sdg in rng.sample(sdg_ids, 2)
        ],
        batch_size=BATCH,
    )
    cm.Award.objects.bulk_create(
        [
            cm.Award(innovation=innovation, level="province", year=year - 2, label="Top 30")
            for innovation in innovations[::25]
        ]
    )

    draft = rush
    prefix = competition.reference_prefix
    entries = []
    for e, innovation in enumerate(innovations):
        group = groups[0] if e % 10 else groups[1]
        entries.append(
            cm.Entry(
                competition=competition,
                innovation=innovation,
                agency=innovation.agency,
                group=group,
                category=categories[e % len(categories)],
                status=cm.EntryStatus.DRAFT if draft else cm.EntryStatus.PASSED,
                reference=None if draft else f"{prefix}-{year}-{e + 1:04d}",
                video_url=f"https://www.youtube.com/watch?v=bench{e:06d}",
                declaration_accepted=not draft,
                submitted_at=None if draft else closes - dt.timedelta(hours=e % 500),
                created_by=staff[e],
            )
        )
    cm.Entry.objects.bulk_create(entries, batch_size=BATCH)
    answers = [
        cm.EntryAnswer(entry=entry, section=section, text=text, word_count=len(text.split()))
        for entry in entries
        for section, spec in zip(sections, defaults.SECTIONS, strict=True)
        if not spec.get("groups") or entry.group.code in spec["groups"]
        for text in [words(rng, min(section.word_limit, rng.randint(60, 180)))]
    ]
    cm.EntryAnswer.objects.bulk_create(answers, batch_size=BATCH)

    counts = {"answers": len(answers)}
    if not draft:
        counts |= seed_submitted(
            competition=competition,
            entries=entries,
            kinds=kinds,
            judges=judges,
            organiser=organiser,
            scale=scale,
            rng=rng,
            now=now,
        )
    else:
        counts |= seed_rush_judging(judges=judges, organiser=organiser, now=now)
    counts |= {
        "agencies": len(agencies),
        "judges": len(judges),
        "opd_users": len(staff),
        "entries": len(entries),
    }
    return counts


def sample_pdf() -> str:
    """One small real PDF that every seeded attachment row points at."""
    from django.conf import settings

    relative = "bench/sample.pdf"
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return relative


def seed_submitted(*, competition, entries, kinds, judges, organiser, scale, rng, now):
    """Submitted and screened entries, a closed desk stage and an open presentation stage."""
    from competition import models as cm

    pdf = sample_pdf()
    cm.Attachment.objects.bulk_create(
        [
            cm.Attachment(
                entry=entry,
                kind=kind,
                file=pdf,
                original_name=f"{kind.key}.pdf",
                content_type="application/pdf",
                size=120,
                sha256="0" * 64,
                uploaded_by=entry.created_by,
            )
            for entry in entries
            for kind in kinds
            if kind.required
        ],
        batch_size=BATCH,
    )
    changes = []
    for entry in entries:
        changes.append(
            cm.StatusChange(
                entry=entry, from_status="draft", to_status="submitted", actor=entry.created_by
            )
        )
        changes.append(
            cm.StatusChange(
                entry=entry, from_status="submitted", to_status="passed", actor=organiser
            )
        )

    desk = cm.Stage.objects.create(
        competition=competition,
        order=1,
        kind=cm.StageKind.DESK,
        name="Penilaian proposal",
        opens_at=now - dt.timedelta(days=50),
        closes_at=now - dt.timedelta(days=20),
        closed_at=now - dt.timedelta(days=20),
        final_weight=Decimal("60"),
        judges_per_entry=scale.sheets_per_entry,
    )
    presentation = cm.Stage.objects.create(
        competition=competition,
        order=2,
        kind=cm.StageKind.PRESENTATION,
        name="Presentasi dan wawancara",
        opens_at=now - dt.timedelta(days=5),
        closes_at=now + dt.timedelta(days=10),
        final_weight=Decimal("40"),
        judges_per_entry=scale.presentation_judges,
    )
    desk_criteria = cm.Criterion.objects.bulk_create(
        [
            cm.Criterion(stage=desk, order=i, label=label, weight=Decimal(weight))
            for i, (label, weight) in enumerate(CRITERIA[: scale.criteria])
        ]
    )
    presentation_criteria = cm.Criterion.objects.bulk_create(
        [
            cm.Criterion(stage=presentation, order=i, label=label, weight=Decimal(weight))
            for i, (label, weight) in enumerate(PRESENTATION_CRITERIA)
        ]
    )

    # Each entry has a latent quality and each judge a bias, so rankings are not flat.
    quality = [rng.gauss(72, 9) for _ in entries]
    bias = [rng.gauss(0, 4) for _ in judges]
    n_judges = len(judges)
    desk_panels = [
        [(e * scale.sheets_per_entry + k) % n_judges for k in range(scale.sheets_per_entry)]
        for e in range(len(entries))
    ]
    ranked = sorted(range(len(entries)), key=lambda e: -quality[e])
    finalists = ranked[: scale.finalists]
    for e in finalists:
        entries[e].status = cm.EntryStatus.FINALIST
        changes.append(
            cm.StatusChange(
                entry=entries[e], from_status="passed", to_status="finalist", actor=organiser
            )
        )
    cm.Entry.objects.bulk_update([entries[e] for e in finalists], ["status"])
    cm.StatusChange.objects.bulk_create(changes, batch_size=BATCH)

    rounds = [(desk, desk_criteria, [(e, desk_panels[e]) for e in range(len(entries))])]
    rounds.append(
        (
            presentation,
            presentation_criteria,
            [
                (e, [(e + k) % n_judges for k in range(scale.presentation_judges)])
                for e in finalists
            ],
        )
    )
    counts = {"sheets": 0, "scores": 0}
    for stage, criteria, panels in rounds:
        pairs = [(entries[e], judges[j], e, j) for e, panel in panels for j in panel]
        cm.Assignment.objects.bulk_create(
            [
                cm.Assignment(stage=stage, entry=entry, judge=judge, assigned_by=organiser)
                for entry, judge, _, _ in pairs
            ],
            batch_size=BATCH,
        )
        cm.ConflictDeclaration.objects.bulk_create(
            [
                cm.ConflictDeclaration(stage=stage, entry=entry, judge=judge, has_conflict=False)
                for entry, judge, _, _ in pairs
            ],
            batch_size=BATCH,
        )
        # Values first: a submitted sheet stores its total, as score_sheet_save does.
        values = [
            [
                (
                    Decimal(f"{min(100.0, max(0.0, quality[e] + bias[j] + rng.gauss(0, 6))):.2f}"),
                    words(rng, 6) if c == 0 else "",
                )
                for c in range(len(criteria))
            ]
            for _, _, e, j in pairs
        ]
        sheets = [
            cm.ScoreSheet(
                stage=stage,
                entry=entry,
                judge=judge,
                status=cm.SheetStatus.SUBMITTED,
                general_comment=words(rng, 12),
                submitted_at=stage.opens_at + dt.timedelta(days=1 + e % 20),
                total=cm.ScoreSheet.weighted_total(
                    criteria,
                    {c.pk: value for c, (value, _) in zip(criteria, sheet_values, strict=True)},
                ),
            )
            for (entry, judge, e, _), sheet_values in zip(pairs, values, strict=True)
        ]
        cm.ScoreSheet.objects.bulk_create(sheets, batch_size=BATCH)
        scores = [
            cm.Score(sheet=sheet, criterion=criterion, value=value, comment=comment)
            for sheet, sheet_values in zip(sheets, values, strict=True)
            for criterion, (value, comment) in zip(criteria, sheet_values, strict=True)
        ]
        cm.Score.objects.bulk_create(scores, batch_size=BATCH)
        counts["sheets"] += len(sheets)
        counts["scores"] += len(scores)
    cm.PresentationSlot.objects.bulk_create(
        [
            cm.PresentationSlot(
                stage=presentation,
                entry=entries[e],
                starts_at=presentation.opens_at + dt.timedelta(minutes=30 * i),
                ends_at=presentation.opens_at + dt.timedelta(minutes=30 * (i + 1)),
            )
            for i, e in enumerate(finalists)
        ]
    )
    counts["finalists"] = len(finalists)
    return counts


def seed_rush_judging(*, judges, organiser, now):
    """Last year's competition, screened, with an open desk stage for the judges to score."""
    from competition import models as cm
    from opd.models import Agency

    last = cm.Competition.objects.create(
        year=now.year - 1,
        name="Kompetisi Inovasi Pelayanan Publik",
        submission_opens_at=now - dt.timedelta(days=400),
        submission_closes_at=now - dt.timedelta(days=340),
    )
    group = cm.CompetitionGroup.objects.create(competition=last, code=cm.GroupCode.UMUM)
    category = cm.Category.objects.create(competition=last, name="Kategori 1")
    stage = cm.Stage.objects.create(
        competition=last,
        order=1,
        kind=cm.StageKind.DESK,
        name="Penilaian proposal",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=14),
        final_weight=Decimal("100"),
    )
    cm.Criterion.objects.bulk_create(
        [
            cm.Criterion(stage=stage, order=i, label=label, weight=Decimal(weight))
            for i, (label, weight) in enumerate(CRITERIA)
        ]
    )
    agencies = list(Agency.objects.order_by("pk")[:40])
    innovations = []
    for i in range(len(judges) * 3):
        title = f"Inovasi Tahun Lalu {i + 1:03d}"
        innovations.append(
            cm.Innovation(
                agency=agencies[i % len(agencies)],
                title=title,
                title_key=title.casefold(),
                started_on=now.date() - dt.timedelta(days=900),
            )
        )
    cm.Innovation.objects.bulk_create(innovations)
    entries = cm.Entry.objects.bulk_create(
        [
            cm.Entry(
                competition=last,
                innovation=innovation,
                agency=innovation.agency,
                group=group,
                category=category,
                status=cm.EntryStatus.PASSED,
                reference=f"{last.reference_prefix}-{last.year}-{i + 1:04d}",
                declaration_accepted=True,
                submitted_at=now - dt.timedelta(days=345),
            )
            for i, innovation in enumerate(innovations)
        ]
    )
    assignments = [
        cm.Assignment(stage=stage, entry=entry, judge=judges[(i + k) % len(judges)])
        for i, entry in enumerate(entries)
        for k in range(3)
    ]
    for a in assignments:
        a.assigned_by = organiser
    cm.Assignment.objects.bulk_create(assignments)
    return {"rush_assignments": len(assignments)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), required=True)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument(
        "--postgres", action="store_true", help="use (and create) kovablik_bench_<scale> locally"
    )
    parser.add_argument("--reset", action="store_true", help="flush the database first")
    parser.add_argument("--rush", action="store_true", help="shape the set for bench/load.py")
    args = parser.parse_args(argv)

    setup_django(
        resolve_database_url(
            scale=args.scale, database_url=args.database_url, postgres=args.postgres
        )
    )
    from django.core.management import call_command
    from django.db import connection, transaction

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    if database_has_data():
        if not args.reset:
            print(
                f"Refusing to seed {connection.vendor} database {connection.settings_dict['NAME']}:"
                " it already holds data. Pass --reset to flush it first.",
                file=sys.stderr,
            )
            return 2
        call_command("flush", verbosity=0, interactive=False)
        reseed_sdgs()
    with transaction.atomic():
        counts = seed(args.scale, rush=args.rush)
    elapsed = time.perf_counter() - started
    summary = ", ".join(f"{k}={v:,}" for k, v in counts.items())
    print(
        f"Seeded {args.scale} scale{' (rush)' if args.rush else ''} into {connection.vendor} "
        f"{connection.settings_dict['NAME']} in {elapsed:.1f} s: {summary}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
