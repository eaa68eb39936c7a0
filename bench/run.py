"""Time the heavy pages and exports in-process on a seeded benchmark database.

    .venv/bin/python bench/run.py --scale city|national [--postgres | --database-url URL]
                                  [--runs 5] [--json bench/out/result.json]
                                  [--only leaderboard --only recap]
    .venv/bin/python bench/run.py --scale national --postgres --against REV [--runs 9]

Seed first with ``bench/seed.py`` (same ``--scale`` and database options). Each target
is run once to warm up, counting its SQL queries with ``CaptureQueriesContext``, then
``--runs`` times for the median. Exports are also run once under ``tracemalloc`` for
their peak Python allocation; the process's peak RSS (``getrusage``) is noted beside it.
Every time is also given as a multiple of a trivial request (``GET /healthz`` through
the same test client and middleware, in the same run), so figures compare across
machines. A page that does not exist yet prints "n/a (not built)".

``--against REV`` compares this tree with the revision ``REV`` in the same run. REV is
checked out into a temporary git worktree (removed afterwards). Each tree gets its own
database, dropped and seeded afresh with the same fixed random seed by this tree's
``bench/seed.py`` running on that tree's code (migrated by that tree's own migrations), so
both hold the same rows; a revision whose models refuse those rows is seeded by its own
``bench/seed.py`` instead. Each tree also gets its own worker process, this script's
``--serve`` mode with that tree's packages on ``sys.path`` and its own Django settings.
The driver asks the two workers for one run each in turn (new, old, then old, new for the
next pair, and so on), so both trees see the same machine load, and prints each figure for
both trees, the ratio of their medians (new/old) and the median of the per-pair ratios.
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

from common import (
    BENCH_DIR,
    OUT,
    TreeWorker,
    describe_tree,
    drop_postgres_database,
    ensure_postgres_database,
    resolve_database_url,
    revision_tree,
    seed_database,
    serve_requests,
    setup_django,
)

# Targets at national scale on PostgreSQL (issue 7).
LEADERBOARD_TARGET_MS = 300
EXPORT_TARGET_MS = 3000
EXPORT_TARGET_MB = 250


# force_login names it: the one backend whose get_user() finds somebody.
MODEL_BACKEND = "django.contrib.auth.backends.AllowAllUsersModelBackend"


class NotBuilt(Exception):
    """The page or selector a target measures does not exist (yet)."""


@dataclass
class Result:
    """One target measured in one tree."""

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
    warmup_ms: float | None = None


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


def error_status(exc: Exception) -> str:
    from django.db import connection

    if tracemalloc.is_tracing():
        tracemalloc.stop()
    connection.close()
    return " ".join(f"error: {type(exc).__name__}: {exc}".split())[:120]


class Bench:
    """The targets of one tree, measured in this process (the tree's Django is set up)."""

    def __init__(self):
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
        self.ctx = Context()
        self.vendor = connection.vendor
        self.functions: dict[str, Callable] = {}

    def setup(self, runs: int) -> dict:
        return {
            "vendor": self.vendor,
            "data": data_summary(),
            "baseline_ms": baseline(self.ctx, runs),
            "code_root": str(Path(sys.modules["kovablik"].__file__).resolve().parents[1]),
        }

    def prepare(self, name: str) -> dict:
        """Warm a target up: its query count, and for an export its peak allocation."""
        kind, build = {n: (k, b) for n, k, b in TARGETS}[name]
        result = Result(name=name)
        try:
            result.via, fn = build(self.ctx)
            # The warm-up run (template and URL caches, connection) is the one counted.
            started = time.perf_counter()
            result.queries = count_queries(fn)
            result.warmup_ms = (time.perf_counter() - started) * 1000
            if kind == "export":
                gc.collect()
                tracemalloc.start()
                tracemalloc.reset_peak()
                result.bytes = fn()
                result.peak_mb = tracemalloc.get_traced_memory()[1] / 1048576
                tracemalloc.stop()
            self.functions[name] = fn
        except NotBuilt as exc:
            result.status = "n/a (not built)"
            result.via = str(exc)
        except Exception as exc:  # a benchmark reports a broken page, it does not stop
            result.status = error_status(exc)
        return asdict(result)

    def time(self, name: str) -> float | str:
        try:
            return time_once(self.functions[name])
        except Exception as exc:
            return error_status(exc)

    def rss(self) -> float:
        return rss_mb()


class Worker(TreeWorker):
    """A ``--serve`` process measuring one tree: the targets' setup and timings."""

    def __init__(self, label: str, root: Path, database_url: str, media: Path):
        super().__init__(
            label,
            [sys.executable, str(BENCH_DIR / "run.py"), "--serve", "--database-url",
             database_url, "--media", str(media)],
            env={**os.environ, "BENCH_APP_ROOT": str(root)},
            cwd=root,
        )  # fmt: skip

    def setup(self, runs: int) -> dict:
        return self.call("setup", runs)

    def prepare(self, name: str) -> dict:
        return self.call("prepare", name)

    def time(self, name: str) -> float | str:
        return self.call("time", name)

    def rss(self) -> float:
        return self.call("rss")


def serve(database_url: str, media: Path) -> int:
    """Worker mode: answer the driver's JSON lines on stdin; prints nothing else on stdout."""
    setup_django(database_url, media_root=media)
    return serve_requests(Bench)


def measure(sides: list, name: str, runs: int, budget_s: float) -> list[Result]:
    """Warm the target up in every tree, then time it run by run, the trees taking turns.

    Pairs alternate which tree goes first (new-old, old-new, ...), so neither always runs
    right after the other's garbage or on a warmer cache.
    """
    print(f"... {name}", file=sys.stderr, flush=True)
    results = [Result(**side.prepare(name)) for side in sides]
    if any(r.status != "ok" for r in results):
        return results
    # A page that takes many seconds gets fewer runs, within the time budget.
    slowest = max(r.warmup_ms for r in results) / 1000
    runs = max(1, min(runs, int(budget_s / len(sides) / max(slowest, 1e-3))))
    for run in range(runs):
        order = list(enumerate(sides))
        for index, side in order if run % 2 == 0 else reversed(order):
            ms = side.time(name)
            if isinstance(ms, str):
                results[index].status = ms
            else:
                results[index].runs_ms.append(ms)
    for result, side in zip(results, sides, strict=True):
        result.rss_mb = side.rss()
        if result.status == "ok":
            result.median_ms = statistics.median(result.runs_ms)
    return results


def judge(result: Result, kind: str, baseline_ms: float) -> None:
    """The time as a multiple of the trivial request, and the issue 7 targets."""
    if result.median_ms is None:
        return
    result.ratio = result.median_ms / baseline_ms
    if result.name == "Desk leaderboard":
        result.verdict = "meets" if result.median_ms < LEADERBOARD_TARGET_MS else "MISSES"
        result.verdict += f" <{LEADERBOARD_TARGET_MS} ms"
    elif kind == "export":
        ok = result.median_ms < EXPORT_TARGET_MS and (result.peak_mb or 0) < EXPORT_TARGET_MB
        result.verdict = ("meets" if ok else "MISSES") + f" <{EXPORT_TARGET_MS} ms, <250 MB"


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


def print_rows(cols: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(c), *(len(row[i]) for row in rows)) for i, c in enumerate(cols)]
    line = "  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True))
    print(line)
    print("-" * len(line))
    for row in rows:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)))


def print_table(results: list[Result], header: str) -> None:
    print(header)
    cols = ["target", "median ms", "runs", "x trivial", "queries", "peak MB", "RSS MB", "check"]
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
    print_rows([*cols, "via"], rows)


def pair_ratios(new: Result, old: Result) -> list[float]:
    return [a / b for a, b in zip(new.runs_ms, old.runs_ms, strict=True) if b]


def print_comparison(pairs: list[tuple[Result, Result]], header: str) -> None:
    print(header)
    cols = ["target", "new ms", "old ms", "new/old", "pair median", "runs", "queries new/old",
            "peak MB new/old", "RSS MB new/old"]  # fmt: skip
    rows = []
    for new, old in pairs:
        if new.median_ms is None or old.median_ms is None:
            rows.append([new.name, f"new: {new.status}; old: {old.status}"] + [""] * 7)
            continue
        exported = new.peak_mb is not None and old.peak_mb is not None
        rows.append(
            [
                new.name,
                f"{new.median_ms:.1f}",
                f"{old.median_ms:.1f}",
                f"{new.median_ms / old.median_ms:.2f}",
                f"{statistics.median(pair_ratios(new, old)):.2f}",
                str(len(new.runs_ms)),
                f"{new.queries} / {old.queries}",
                f"{new.peak_mb:.1f} / {old.peak_mb:.1f}" if exported else "",
                f"{new.rss_mb:.0f} / {old.rss_mb:.0f}" if exported else "",
            ]
        )
    print_rows(cols, rows)
    print("new/old: ratio of the medians; pair median: median of each pair's new/old")


def load_average() -> float:
    return os.getloadavg()[0]


def selected_targets(only: list[str]) -> list[tuple[str, str]]:
    return [
        (name, kind)
        for name, kind, _ in TARGETS
        if not only or any(o.lower() in name.lower() for o in only)
    ]


def run_here(args) -> int:
    """The targets of this tree, in this process."""
    url = resolve_database_url(
        scale=args.scale, database_url=args.database_url, postgres=args.postgres
    )
    setup_django(url)
    load_start = load_average()
    bench = Bench()
    setup = bench.setup(max(20, args.runs))
    results = []
    for name, kind in selected_targets(args.only):
        [result] = measure([bench], name, args.runs, args.budget)
        judge(result, kind, setup["baseline_ms"])
        results.append(result)
        print(f"    {name}: {result.median_ms or result.status} ms", file=sys.stderr, flush=True)
    load_end = load_average()
    header = (
        f"Kovablik benchmark, {args.scale} scale on {setup['vendor']} "
        f"({', '.join(f'{k}={v:,}' for k, v in setup['data'].items())})\n"
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, load average {load_start:.2f} at the start, {load_end:.2f} at "
        f"the end; median of up to {args.runs} runs after warm-up; trivial request "
        f"(GET /healthz) = {setup['baseline_ms']:.2f} ms"
    )
    print_table(results, header)
    write_json(
        args.json,
        {
            "scale": args.scale,
            **setup,
            "load_average": {"start": load_start, "end": load_end},
            "results": [asdict(r) for r in results],
        },
    )
    return 0


def against_databases(args) -> dict[str, str]:
    """A fresh, empty database per tree: SQLite files in bench/out/ or PostgreSQL ones."""
    urls = {}
    for label in ("new", "old"):
        if args.postgres:
            name = f"kovablik_bench_{args.scale}_{label}"
            drop_postgres_database(name)
            urls[label] = ensure_postgres_database(name)
        else:
            path = OUT / f"against-{label}-{args.scale}.sqlite3"
            path.unlink(missing_ok=True)
            urls[label] = f"sqlite:///{path}"
    return urls


def run_against(args) -> int:
    """This tree against ``args.against``, each in its own worker, run by run in turn."""
    if args.database_url:
        raise SystemExit("--against seeds a database per tree: use --postgres or SQLite")
    with revision_tree(args.against) as (old_root, old_described):
        urls = against_databases(args)
        roots = {"new": Path(BENCH_DIR.parent), "old": old_root}
        # What was measured: a commit made while the run goes on is not part of it.
        described = {"new": describe_tree(roots["new"]), "old": old_described}
        media = {label: OUT / f"against-{label}-media" for label in roots}
        seeded_by = {}
        for label, root in roots.items():
            print(f"seeding {args.scale} for the {label} tree ...", file=sys.stderr, flush=True)
            seeded_by[label] = seed_database(
                urls[label], media[label], scale=args.scale, rush=False, root=root
            )
        workers = [Worker(label, roots[label], urls[label], media[label]) for label in roots]
        try:
            load_start = load_average()
            setups = [w.setup(max(20, args.runs)) for w in workers]
            for label, setup in zip(roots, setups, strict=True):
                if Path(setup["code_root"]) != roots[label].resolve():
                    raise SystemExit(f"the {label} worker imported {setup['code_root']}")
            pairs = []
            for name, kind in selected_targets(args.only):
                new, old = measure(workers, name, args.runs, args.budget)
                judge(new, kind, setups[0]["baseline_ms"])
                judge(old, kind, setups[1]["baseline_ms"])
                pairs.append((new, old))
            load_end = load_average()
        finally:
            for worker in workers:
                worker.close()
    if setups[0]["data"] != setups[1]["data"]:
        print(f"WARNING: the trees' data sets differ: {setups[0]['data']} / {setups[1]['data']}")
    header = (
        f"Kovablik benchmark, {args.scale} scale on {setups[0]['vendor']}, new against old in"
        f" the same run\n  new: {described['new']}\n  old: {described['old']}\n"
        f"rows written by: new {seeded_by['new']}; old {seeded_by['old']}\n"
        f"data ({', '.join(f'{k}={v:,}' for k, v in setups[0]['data'].items())}); "
        f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} "
        f"CPUs; load average {load_start:.2f} at the start, {load_end:.2f} at the end\n"
        f"median of up to {args.runs} runs per tree after warm-up, interleaved run by run; "
        f"trivial request (GET /healthz) new {setups[0]['baseline_ms']:.2f} ms, "
        f"old {setups[1]['baseline_ms']:.2f} ms"
    )
    print_comparison(pairs, header)
    write_json(
        args.json,
        {
            "scale": args.scale,
            "vendor": setups[0]["vendor"],
            "trees": described,
            "seeded_by": seeded_by,
            "data": {"new": setups[0]["data"], "old": setups[1]["data"]},
            "baseline_ms": {"new": setups[0]["baseline_ms"], "old": setups[1]["baseline_ms"]},
            "load_average": {"start": load_start, "end": load_end},
            "results": [
                {
                    "name": new.name,
                    "new": asdict(new),
                    "old": asdict(old),
                    "ratio_of_medians": (
                        new.median_ms / old.median_ms if new.median_ms and old.median_ms else None
                    ),
                    "pair_ratios": pair_ratios(new, old) if new.runs_ms and old.runs_ms else [],
                }
                for new, old in pairs
            ],
        },
    )
    return 0


def write_json(path: Path | None, figures: dict) -> None:
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(figures, indent=2))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["city", "national"])
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
    parser.add_argument(
        "--against", metavar="REV", help="compare with this git revision, interleaved run by run"
    )
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--media", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        return serve(args.database_url, args.media)
    if not args.scale:
        parser.error("--scale is required")
    if args.against:
        return run_against(args)
    return run_here(args)


if __name__ == "__main__":
    OUT.mkdir(exist_ok=True)
    sys.exit(main())
