"""Time the heavy pages and exports in-process on a seeded benchmark database.

    .venv/bin/python bench/run.py --scale city|national [--postgres | --database-url URL]
                                  [--runs 5] [--json bench/out/result.json]
                                  [--only leaderboard --only recap]

Seed first with ``bench/seed.py`` (same ``--scale`` and database options). Each target
is run once to warm up, counting its SQL queries with ``CaptureQueriesContext``, then
``--runs`` times for the median. Exports are also run once under ``tracemalloc`` for
their peak Python allocation; the process's peak RSS (``getrusage``) is noted beside it.
Every time is also given as a multiple of a trivial request (``GET /healthz`` through
the same test client and middleware, in the same run), so figures compare across
machines. A page that does not exist yet prints "n/a (not built)".
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import platform
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from common import OUT, resolve_database_url, setup_django

# Targets at national scale on PostgreSQL (issue 7).
LEADERBOARD_TARGET_MS = 300
EXPORT_TARGET_MS = 3000
EXPORT_TARGET_MB = 250


# force_login must name it: the permission backends' get_user() returns nobody.
MODEL_BACKEND = "django.contrib.auth.backends.AllowAllUsersModelBackend"


class NotBuilt(Exception):
    """The page or selector a target measures does not exist (yet)."""


@dataclass
class Result:
    name: str
    via: str = ""
    status: str = "ok"
    median_ms: float | None = None
    runs_ms: list[float] = field(default_factory=list)
    ratio: float | None = None
    queries: int | None = None
    bytes: int | None = None
    peak_mb: float | None = None
    rss_mb: float | None = None
    verdict: str = ""


def rss_mb() -> float:
    # ru_maxrss is in KiB on Linux: the process's high-water mark, not its current size.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def consume(response) -> int:
    """Read a response to the end, as a browser would; returns its size in bytes."""
    if response.status_code != 200:
        raise RuntimeError(f"HTTP {response.status_code}")
    if getattr(response, "streaming", False):
        size = sum(len(chunk) for chunk in response.streaming_content)
        response.close()
        return size
    return len(response.content)


class Context:
    """The objects every target needs, found in whatever the seed left."""

    def __init__(self):
        from django.db.models import Count
        from django.test import Client

        from competition.models import Competition, Stage, StageKind
        from opd.models import Role, User

        self.competition = (
            Competition.objects.annotate(n=Count("entries")).filter(n__gt=0).order_by("-n").first()
        )
        if self.competition is None:
            raise SystemExit("The benchmark database is empty: run bench/seed.py first.")
        stages = Stage.objects.filter(competition=self.competition)
        self.desk = stages.filter(kind=StageKind.DESK).order_by("order").first()
        self.presentation = stages.filter(kind=StageKind.PRESENTATION).first()
        self.organiser = User.objects.filter(role=Role.ORGANISER).order_by("pk").first()
        # The judge with the most desk assignments: the heaviest "Penilaian saya".
        self.judge = (
            User.objects.filter(role=Role.JUDGE, assignments__stage=self.desk)
            .annotate(n=Count("assignments"))
            .order_by("-n", "pk")
            .first()
        )
        self.opd_user = (
            User.objects.filter(role=Role.OPD_STAFF, agency__entries__competition=self.competition)
            .annotate(n=Count("agency__entries"))
            .order_by("-n", "pk")
            .first()
        )
        self.clients: dict[str, Client] = {}
        for role, user in [
            ("organiser", self.organiser),
            ("judge", self.judge),
            ("opd", self.opd_user),
        ]:
            client = Client()
            client.force_login(user, backend=MODEL_BACKEND)
            self.clients[role] = client


def reverse_first(candidates: list[tuple[str, list]]) -> str:
    from django.urls import NoReverseMatch, reverse

    for name, args in candidates:
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    raise NotBuilt(" / ".join(name for name, _ in candidates))


def import_attr(module: str, name: str):
    import importlib

    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        raise NotBuilt(f"{module}.{name}") from exc


def page(ctx: Context, role: str, candidates: list[tuple[str, list]]):
    url = reverse_first(candidates)
    client = ctx.clients[role]
    return f"GET {url} ({role})", lambda: consume(client.get(url))


def target_leaderboard(ctx: Context):
    try:
        return page(ctx, "organiser", [("competition:results_stage", [ctx.desk.pk])])
    except NotBuilt:
        stage_leaderboard = import_attr("competition.selectors.leaderboard", "stage_leaderboard")
        return "stage_leaderboard(stage) selector", lambda: stage_leaderboard(ctx.desk)


def target_final_ranking(ctx: Context):
    try:
        return page(ctx, "organiser", [("competition:results_final", [ctx.competition.year])])
    except NotBuilt:
        final_ranking = import_attr("competition.selectors.final_ranking", "final_ranking")
        return "final_ranking(competition) selector", lambda: final_ranking(ctx.competition)


def target_my_reviews(ctx: Context):
    """The judge's list in an open stage: the desk stage is reopened for the run only."""
    via, fn = page(ctx, "judge", [("judge_desk:competition_assignment_changelist", [])])

    def run():
        from django.db import transaction
        from django.utils import timezone

        from competition.models import Stage

        with transaction.atomic():
            Stage.objects.filter(pk=ctx.desk.pk).update(
                closed_at=None, closes_at=timezone.now() + timezone.timedelta(days=1)
            )
            size = fn()
            transaction.set_rollback(True)
        return size

    return via + ", desk stage open", run


def target_opd_dashboard(ctx: Context):
    return page(ctx, "opd", [("competition:opd_dashboard", [])])


def target_organiser_dashboard(ctx: Context):
    return page(ctx, "organiser", [("competition:dashboard", [])])


def target_compliance(ctx: Context):
    return page(ctx, "organiser", [("competition:organiser_compliance", [])])


def target_finalists_xlsx(ctx: Context):
    year = ctx.competition.year
    return page(ctx, "organiser", [("competition:export_competition", [year, "finalis", "xlsx"])])


def target_score_recap(ctx: Context):
    args = [ctx.competition.year, ctx.desk.order, "rekap-nilai", "xlsx"]
    return page(ctx, "organiser", [("competition:export_stage", args)])


TARGETS: list[tuple[str, str, Callable]] = [
    ("Desk leaderboard", "page", target_leaderboard),
    ("Final ranking", "page", target_final_ranking),
    ("Penilaian saya (judge)", "page", target_my_reviews),
    ("OPD dashboard", "page", target_opd_dashboard),
    ("Organiser dashboard", "page", target_organiser_dashboard),
    ("Compliance page", "page", target_compliance),
    ("Finalist XLSX export", "export", target_finalists_xlsx),
    ("Score recap export", "export", target_score_recap),
]


def time_once(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def count_queries(fn) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured)


def measure(
    name: str, kind: str, build, ctx: Context, runs: int, baseline_ms: float, budget_s: float
) -> Result:
    result = Result(name=name)
    try:
        result.via, fn = build(ctx)
        print(f"... {name}", file=sys.stderr, flush=True)
        # The warm-up run (template and URL caches, connection) is the one counted.
        started = time.perf_counter()
        result.queries = count_queries(fn)
        # A page that takes many seconds gets fewer runs, within the time budget.
        runs = max(1, min(runs, int(budget_s / max(time.perf_counter() - started, 1e-3))))
        if kind == "export":
            gc.collect()
            tracemalloc.start()
            tracemalloc.reset_peak()
            result.bytes = fn()
            result.peak_mb = tracemalloc.get_traced_memory()[1] / 1048576
            tracemalloc.stop()
        result.runs_ms = [time_once(fn) for _ in range(runs)]
        result.rss_mb = rss_mb()
    except NotBuilt as exc:
        result.status = "n/a (not built)"
        result.via = str(exc)
        return result
    except Exception as exc:  # a benchmark reports a broken page, it does not stop
        from django.db import connection

        if tracemalloc.is_tracing():
            tracemalloc.stop()
        connection.close()
        result.status = " ".join(f"error: {type(exc).__name__}: {exc}".split())[:120]
        return result
    result.median_ms = statistics.median(result.runs_ms)
    result.ratio = result.median_ms / baseline_ms
    if name == "Desk leaderboard":
        result.verdict = "meets" if result.median_ms < LEADERBOARD_TARGET_MS else "MISSES"
        result.verdict += f" <{LEADERBOARD_TARGET_MS} ms"
    elif kind == "export":
        ok = result.median_ms < EXPORT_TARGET_MS and (result.peak_mb or 0) < EXPORT_TARGET_MB
        result.verdict = ("meets" if ok else "MISSES") + f" <{EXPORT_TARGET_MS} ms, <250 MB"
    return result


def baseline(ctx: Context, runs: int) -> float:
    """The trivial request every figure is divided by."""
    client = ctx.clients["opd"]
    for _ in range(3):
        consume(client.get("/healthz"))
    return statistics.median(
        time_once(lambda: consume(client.get("/healthz"))) for _ in range(runs)
    )


def data_summary() -> dict[str, int]:
    from competition.models import Entry, Score, ScoreSheet
    from opd.models import Agency, Role, User

    return {
        "entries": Entry.objects.count(),
        "agencies": Agency.objects.count(),
        "judges": User.objects.filter(role=Role.JUDGE).count(),
        "sheets": ScoreSheet.objects.count(),
        "scores": Score.objects.count(),
    }


def print_table(results: list[Result], header: str) -> None:
    print(header)
    cols = [
        "target",
        "median ms",
        "runs",
        "x trivial",
        "queries",
        "peak MB",
        "RSS MB",
        "check",
        "via",
    ]
    rows = []
    for r in results:
        if r.median_ms is None:
            rows.append([r.name, r.status, "", "", "", "", "", "", r.via])
            continue
        rows.append(
            [
                r.name,
                f"{r.median_ms:.1f}",
                str(len(r.runs_ms)),
                f"{r.ratio:.1f}",
                str(r.queries),
                "" if r.peak_mb is None else f"{r.peak_mb:.1f}",
                "" if r.peak_mb is None else f"{r.rss_mb:.0f}",
                r.verdict,
                r.via,
            ]
        )
    widths = [max(len(c), *(len(row[i]) for row in rows)) for i, c in enumerate(cols)]
    line = "  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True))
    print(line)
    print("-" * len(line))
    for row in rows:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["city", "national"], required=True)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--budget", type=float, default=60, help="seconds of timed runs per target at most"
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--only", action="append", default=[], help="run targets whose name contains this"
    )
    args = parser.parse_args(argv)

    url = resolve_database_url(
        scale=args.scale, database_url=args.database_url, postgres=args.postgres
    )
    setup_django(url)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    # A failing page is reported in the table, not as a traceback on the console.
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    # The schema moves while the portal is built; a seeded database follows it.
    call_command("migrate", verbosity=0, interactive=False)

    # Lets the test client reach the site as "testserver"; e-mail stays in memory.
    setup_test_environment(debug=settings.DEBUG)

    ctx = Context()
    summary = data_summary()
    base_ms = baseline(ctx, max(20, args.runs))
    results = []
    for name, kind, build in TARGETS:
        if args.only and not any(o.lower() in name.lower() for o in args.only):
            continue
        result = measure(name, kind, build, ctx, args.runs, base_ms, args.budget)
        results.append(result)
        print(f"    {name}: {result.median_ms or result.status} ms", file=sys.stderr, flush=True)
    header = (
        f"Kovablik benchmark, {args.scale} scale on {connection.vendor} "
        f"({', '.join(f'{k}={v:,}' for k, v in summary.items())})\n"
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}; median of up to "
        f"{args.runs} runs after warm-up; trivial request (GET /healthz) = {base_ms:.2f} ms"
    )
    print_table(results, header)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {
                    "scale": args.scale,
                    "vendor": connection.vendor,
                    "data": summary,
                    "baseline_ms": base_ms,
                    "load_average": os.getloadavg()[0],
                    "results": [asdict(r) for r in results],
                },
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    OUT.mkdir(exist_ok=True)
    sys.exit(main())
