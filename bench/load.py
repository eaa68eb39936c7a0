"""Replay the deadline rush with locust against gunicorn on PostgreSQL, headless.

    python3 -m venv /work/benchvenv && /work/benchvenv/bin/pip install -r requirements-bench.txt
    /work/benchvenv/bin/python bench/load.py [--scale city|province] [--workers N]
                                   [--arrival-seconds 40] [--rush-seconds 60]
    /work/benchvenv/bin/python bench/load.py --against REV [--repeat 3]

Loopback only and bounded in time. The script creates the database
``kovablik_bench_load`` on the local PostgreSQL, seeds the city set shaped for the rush
(``bench/seed.py --scale city --rush``), starts gunicorn (configured by the measured
tree's own ``gunicorn.conf.py``; 2 sync workers for a tree without one) on a free port of
127.0.0.1, signs in 155 OPD users and 10 judges, then starts the rush: the judges at
once, the OPD users one after another, evenly over its first 40 seconds
(``--arrival-seconds 0`` releases everybody in the same instant). Each OPD user opens
the editor, saves two drafts, saves a third time with a 2 MB PDF (and the three small
statements the submission needs), opens the checklist and submits, pausing 1-3 s between
the editor's clicks (on a tree whose editor saves in place, ``data-save-in-place``, the three
saves are posted as the page's script posts them, answering JSON with no page after them;
on other trees each posts the page and is sent the editor again); each judge declares no conflict,
saves a draft sheet and submits it for every assignment. It prints throughput (and beside
it the most any server could show: the rush's requests over the time the slowest user's
start and pauses alone take), p50/p95/p99 and errors for the rush (sign-in is reported
apart: sessions last a working day, so the rush does not start with a login), checks in
the database that every entry is fully submitted within the rush's 60 seconds, and stops
gunicorn and drops the database.

With ``--smtp-blackhole`` and/or ``--smtp-refused`` it runs the rush once with a working
mail server (aiosmtpd, a sink) and once per fault: a server that accepts the connection and
never answers, or a port that refuses it. Each run has a fresh database, gunicorn and the
background worker (``manage.py db_worker``) set to that server, and the script compares each
fault's p95 with the working run's: the target is 0 errors, every proposal submitted and a
p95 within 20% of the working run.

``--no-pauses`` takes the 1-3 s pauses out: everybody clicks as soon as the answer is in,
so the rush's req/s is what the server can answer on its cores (beside locust and
PostgreSQL), where with pauses it cannot pass the users' own pace.

``--scale province`` is the province's rush: 500 OPD users arriving evenly over five
minutes (``--arrival-seconds 300``) and 30 judges scoring, every entry to be submitted
within 330 s of the start.

``--against REV`` runs the same rush against this tree and the revision ``REV``
(checked out into a temporary git worktree, removed afterwards), taking turns rush by
rush for ``--repeat`` pairs (new, old, then old, new, ...), each rush with its own
gunicorn and a database dropped and seeded afresh with the same fixed seed (this tree's
``bench/seed.py`` on that tree's code; see ``bench/README.md``). It
prints each rush's figures for both trees and, per figure, the ratio new/old of the
medians over the rushes and the median of the per-pair ratios. Besides answer times, which
include waiting for a core, it reports ``server cpu``: the CPU seconds gunicorn's
processes spent during the rush (from /proc), which the machine's other load does not move,
and beside it the CPU of PostgreSQL and of locust itself, which share the same cores.
"""

# ruff: noqa: I001 - locust patches the standard library with gevent on import: it comes first.
from __future__ import annotations

import locust
import gevent
from gevent.event import Event
from locust import HttpUser, events, task
from locust.env import Environment
from locust.exception import StopUser

import argparse
import json
import os
import random
import re
import socket
import subprocess
import sys
import time

import statistics
from pathlib import Path

from common import (
    BENCH_DIR,
    CSRF,
    OUT,
    SCORE,
    SECTION,
    VERSION,
    describe_tree,
    drop_postgres_database,
    ensure_postgres_database,
    free_port,
    group_cpu_seconds,
    postgres_cpu_seconds,
    padded_pdf,
    postgres_url,
    revision_tree,
    seed_rush,
    start_gunicorn,
    start_worker,
    stop_gunicorn,
    stop_process_group,
)

DATABASE = "kovablik_bench_load"
PASSWORD = "bangku-uji-2026"  # noqa: S105 - the seed's throwaway accounts
MEDIA = OUT / "load-media"
P95_TARGET_MS = 1500
# Per scale: OPD users arrive evenly over the first ``arrival_seconds`` of the rush, and every
# entry is to be submitted within ``rush_seconds`` of its start.
RUSH_SHAPES = {
    "city": {"arrival_seconds": 40, "rush_seconds": 60},
    "province": {"arrival_seconds": 300, "rush_seconds": 330},
}
SMTP_P95_MARGIN = 1.2  # a rush against a broken mail server: p95 within 20% of a working one
# A mail server that accepts the TCP connection and never says a word.
BLACKHOLE = """
import socket, sys, time
listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", int(sys.argv[1])))
listener.listen(128)
held = []
while True:
    held.append(listener.accept()[0])
"""
WORDS = ["layanan", "warga", "antrean", "cepat", "data", "terpadu", "pengaduan", "dampak"]


BIG_PDF = padded_pdf(2_000_000)
SMALL_PDF = padded_pdf(20_000)


class Plan:
    """Who signs in, which entry each OPD user fills, and when the rush starts."""

    opd: list[tuple[str, int]] = []
    judges: list[str] = []
    required_kinds: list[int] = []
    category: dict[int, int] = {}
    signed_in = 0
    expected = 0
    rush = Event()
    rush_started_at = 0.0
    arrival_seconds = 0.0
    pauses = True  # False with --no-pauses: every click as soon as the answer is in
    load_at_start = 0.0
    finished_opd = 0
    finished_judges = 0
    # The latest anyone could finish on an infinitely fast server: start plus own pauses.
    pace_floor = 0.0
    all_done = Event()

    @classmethod
    def reset(cls) -> None:
        """A fresh plan for the next rush of the same script run."""
        cls.opd, cls.judges, cls.required_kinds, cls.category = [], [], [], {}
        cls.signed_in = cls.expected = cls.finished_opd = cls.finished_judges = 0
        cls.rush, cls.all_done = Event(), Event()
        cls.rush_started_at = cls.load_at_start = cls.pace_floor = 0.0


def words(n: int) -> str:
    return " ".join(random.choice(WORDS) for _ in range(n))


def csrf_of(response) -> str:
    match = CSRF.search(response.text)
    if not match:
        raise RuntimeError(f"no CSRF token on {response.url}")
    return match.group(1)


def signed_in_barrier() -> None:
    Plan.signed_in += 1
    if Plan.signed_in == Plan.expected:
        Plan.rush_started_at = time.time()
        Plan.rush.set()
    Plan.rush.wait()


class Person(HttpUser):
    abstract = True
    email = ""
    arrival = 0.0  # seconds after the rush's start this person begins
    paused = 0.0

    def wait_time(self) -> float:
        """1-3 s between clicks, added up: a pace no server can beat (``Plan.pace_floor``)."""
        seconds = random.uniform(1, 3) if Plan.pauses else 0.0
        self.paused += seconds
        return seconds

    def login(self) -> None:
        page = self.client.get("/akun/masuk/", name="login page")
        with self.client.post(
            "/akun/masuk/",
            {"username": self.email, "password": PASSWORD, "csrfmiddlewaretoken": csrf_of(page)},
            name="login",
            catch_response=True,
        ) as response:
            if "/akun/masuk/" in response.url:
                response.failure(f"login refused for {self.email}")


class OpdUser(Person):
    fixed_count = 155
    version = ""  # the entry's version as the page on screen last heard it

    def on_start(self):
        index = OpdUser.fixed_count - len(Plan.opd)
        self.email, self.entry_id = Plan.opd.pop(0)
        # People open the editor one after another over the first ``--arrival-seconds``.
        self.arrival = Plan.arrival_seconds * index / OpdUser.fixed_count
        self.login()
        signed_in_barrier()
        gevent.sleep(max(0.0, Plan.rush_started_at + self.arrival - time.time()))

    def save(self, page, *, version_text: str, files=None, declare=False):
        """The editor's "Simpan draf": the page is posted and sent again, or, on a tree whose
        editor saves in place (``data-save-in-place``), posted as its script posts it,
        answering JSON. Returns the page now on screen."""
        in_place = "data-save-in-place" in page.text
        data = {
            "csrfmiddlewaretoken": csrf_of(page),
            "version": self.version,
            "category": Plan.category[self.entry_id],
            "video_url": "https://youtu.be/dQw4w9WgXcQ",
        }
        if not in_place:
            data["action"] = "save"
        if declare:
            data["declaration_accepted"] = "on"
        for name in SECTION.findall(page.text):
            data[name] = f"{version_text} {words(30)}"
        with self.client.post(
            f"/proposal/{self.entry_id}/ubah/",
            data,
            files=files,
            headers={"X-Kovablik-Autosave": "1"} if in_place else None,
            name="editor save" + (" with files" if files else ""),
            catch_response=True,
        ) as response:
            if in_place:
                body = response.json() if response.status_code == 200 else {}
                if not body.get("saved") or body.get("refused"):
                    response.failure("draft not saved")
                    return page
                self.version = str(body["version"])
                return page
            if response.status_code != 200 or "alert-danger" in response.text:
                response.failure("draft not saved")
                return response
            self.version = VERSION.search(response.text).group(1)
            return response

    @task
    def rush(self):
        url = f"/proposal/{self.entry_id}/ubah/"
        page = self.client.get(url, name="editor")
        self.version = VERSION.search(page.text).group(1)
        self.wait()
        page = self.save(page, version_text="Draf pertama")
        self.wait()
        page = self.save(page, version_text="Draf kedua")
        self.wait()
        files = {
            f"file_{kind}": (
                f"lampiran-{n}.pdf",
                BIG_PDF if n == 0 else SMALL_PDF,
                "application/pdf",
            )
            for n, kind in enumerate(Plan.required_kinds)
        }
        self.save(page, version_text="Final", files=files, declare=True)
        checklist = self.client.get(f"/proposal/{self.entry_id}/kirim/", name="submit page")
        with self.client.post(
            f"/proposal/{self.entry_id}/kirim/",
            {"csrfmiddlewaretoken": csrf_of(checklist)},
            name="submit",
            catch_response=True,
        ) as response:
            if "tanda-terima" not in response.url:
                response.failure("entry not submitted")
        Plan.finished_opd += 1
        finished(self)
        raise StopUser


class JudgeUser(Person):
    fixed_count = 10

    def on_start(self):
        self.email = Plan.judges.pop(0)
        self.login()
        signed_in_barrier()

    @task
    def rush(self):
        listing = self.client.get("/penilaian/competition/assignment/", name="penilaian saya")
        ids = sorted(set(re.findall(r"/penilaian/competition/assignment/(\d+)/", listing.text)))
        for assignment in ids:
            url = f"/penilaian/competition/assignment/{assignment}/"
            page = self.client.get(url, name="desk open")
            if 'name="decision"' in page.text:
                page = self.client.post(
                    url,
                    {"csrfmiddlewaretoken": csrf_of(page), "decision": "none"},
                    name="desk declare",
                )
            self.wait()
            criteria = SCORE.findall(page.text)
            for action in ("draft", "submit"):
                data = {
                    "csrfmiddlewaretoken": csrf_of(page),
                    "version": VERSION.search(page.text).group(1),
                    "general_comment": words(12),
                    "action": action,
                }
                for criterion in criteria:
                    data[f"score_{criterion}"] = str(random.randint(55, 95))
                    data[f"comment_{criterion}"] = words(5)
                with self.client.post(
                    url, data, name=f"desk {action}", catch_response=True
                ) as response:
                    if response.status_code != 200 or "errorlist" in response.text:
                        response.failure(f"sheet {action} refused")
                page = self.client.get(url, name="desk open") if action == "draft" else page
                self.wait()
        Plan.finished_judges += 1
        finished(self)
        raise StopUser


def pace_ceiling(total) -> float:
    """The rush's requests over the time its users' own pace takes: the most req/s any server
    could show on this rush, so the throughput's ratio between trees is read against it."""
    return total.num_requests / Plan.pace_floor if Plan.pace_floor else float("nan")


def finished(person: Person) -> None:
    Plan.pace_floor = max(Plan.pace_floor, person.arrival + person.paused)
    if Plan.finished_opd == OpdUser.fixed_count and Plan.finished_judges == JudgeUser.fixed_count:
        Plan.all_done.set()


def load_plan(database_url: str, opd_users: int | None) -> None:
    import psycopg2

    connection = psycopg2.connect(database_url)
    with connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT u.email, e.id, e.category_id FROM competition_entry e "
            "JOIN opd_user u ON u.id = e.created_by_id WHERE e.status = 'draft' ORDER BY e.id"
        )
        rows = cursor.fetchall()
        Plan.opd = [(email, entry) for email, entry, _ in rows][:opd_users]
        Plan.category = {entry: category for _, entry, category in rows}
        cursor.execute("SELECT email FROM opd_user WHERE role = 'judge' ORDER BY id")
        Plan.judges = [email for (email,) in cursor.fetchall()]
        cursor.execute(
            "SELECT k.id FROM competition_attachmentkind k JOIN competition_competition c "
            "ON c.id = k.competition_id WHERE k.required ORDER BY c.year DESC, k.order, k.id"
        )
        kinds = [kind for (kind,) in cursor.fetchall()]
        cursor.execute(
            "SELECT count(*) FROM competition_attachmentkind k WHERE k.competition_id = "
            "(SELECT id FROM competition_competition ORDER BY year DESC LIMIT 1) AND k.required"
        )
        Plan.required_kinds = kinds[: cursor.fetchone()[0]]
    connection.close()
    OpdUser.fixed_count = len(Plan.opd)
    JudgeUser.fixed_count = len(Plan.judges)
    Plan.expected = len(Plan.opd) + len(Plan.judges)


def verify(database_url: str) -> dict[str, int]:
    """Every entry is either fully submitted (reference, status, audit row) or untouched."""
    import psycopg2

    connection = psycopg2.connect(database_url)
    with connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FILTER (WHERE e.status = 'submitted' AND e.reference IS NOT NULL "
            "  AND e.submitted_at IS NOT NULL AND EXISTS (SELECT 1 FROM competition_statuschange"
            "  s WHERE s.entry_id = e.id AND s.to_status = 'submitted')),"
            " count(*) FILTER (WHERE e.status = 'submitted'),"
            " count(*) FILTER (WHERE e.status = 'draft' AND e.reference IS NULL),"
            " count(*),"
            " max(extract(epoch FROM e.submitted_at))"
            " FROM competition_entry e JOIN competition_competition c ON c.id = e.competition_id"
            " WHERE c.year = (SELECT max(year) FROM competition_competition)"
        )
        complete, submitted, untouched, total, last = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM competition_scoresheet WHERE status = 'submitted'")
        sheets = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM competition_attachment")
        attachments = cursor.fetchone()[0]
    connection.close()
    return {
        "entries": total,
        "submitted_complete": complete,
        "submitted": submitted,
        "untouched": untouched,
        "half_written": total - complete - untouched,
        "sheets_submitted": sheets,
        "attachments": attachments,
        "last_submitted_epoch": int(last or 0),
    }


def report(
    env: Environment, rush_seconds: float, window_seconds: float, signin, checks: dict[str, int]
) -> tuple[int, float]:
    stats = env.stats
    total = stats.total
    print(
        f"\nDeadline rush: {OpdUser.fixed_count} OPD users starting over "
        f"{Plan.arrival_seconds:.0f} s and {JudgeUser.fixed_count} judges"
        + ("" if Plan.pauses else ", no pauses between clicks")
    )
    print(
        f"load average (1 min, whole machine): {Plan.load_at_start:.2f} when the rush started,"
        f" {os.getloadavg()[0]:.2f} when it ended"
    )
    print(
        f"sign-in (before the rush): {signin['n']} logins, median {signin['p50']:.0f} ms, "
        f"p95 {signin['p95']:.0f} ms, {signin['failures']} failures"
    )
    print(
        f"rush: {total.num_requests} requests in {rush_seconds:.1f} s = "
        f"{total.num_requests / rush_seconds:.1f} req/s; "
        f"p50 {total.get_response_time_percentile(0.5):.0f} ms, "
        f"p95 {total.get_response_time_percentile(0.95):.0f} ms, "
        f"p99 {total.get_response_time_percentile(0.99):.0f} ms, "
        f"max {total.max_response_time:.0f} ms; errors {total.num_failures}"
    )
    if Plan.pauses:
        print(
            f"the users' own pace: their starts and 1-3 s pauses alone take"
            f" {Plan.pace_floor:.1f} s, so no server answers this rush at more than"
            f" {pace_ceiling(total):.1f} req/s"
        )
    print(f"{'request':<24}{'n':>6}{'p50':>8}{'p95':>8}{'p99':>8}{'fail':>6}")
    for (name, _method), entry in sorted(stats.entries.items()):
        print(
            f"{name:<24}{entry.num_requests:>6}"
            f"{entry.get_response_time_percentile(0.5):>8.0f}"
            f"{entry.get_response_time_percentile(0.95):>8.0f}"
            f"{entry.get_response_time_percentile(0.99):>8.0f}{entry.num_failures:>6}"
        )
    for error in stats.errors.values():
        print(f"error x{error.occurrences}: {error.method} {error.name}: {error.error}")
    last = checks.pop("last_submitted_epoch")
    window = last - Plan.rush_started_at if last else float("nan")
    print("database: " + ", ".join(f"{k}={v}" for k, v in checks.items()))
    print(f"last submission {window:.1f} s after the rush started")
    p95 = total.get_response_time_percentile(0.95)
    ok = (
        total.num_failures == 0
        and p95 < P95_TARGET_MS
        and checks["submitted_complete"] == OpdUser.fixed_count
        and checks["half_written"] == 0
        and window <= window_seconds
    )
    print(
        ("MEETS" if ok else "MISSES")
        + f" the target: zero errors, p95 < {P95_TARGET_MS} ms, every entry submitted"
        + f" within {window_seconds:.0f} s"
    )
    return (0 if ok else 1), window


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(RUSH_SHAPES), default="city")
    parser.add_argument(
        "--rush-seconds",
        type=float,
        help="every entry submitted within this (city 60, province 330)",
    )
    parser.add_argument("--grace-seconds", type=float, default=60, help="extra time allowed")
    parser.add_argument(
        "--workers",
        type=int,
        help="gunicorn workers (default: the tree's gunicorn.conf.py; 2 for a tree without one)",
    )
    parser.add_argument("--threads", type=int, help="gunicorn threads per worker (gthread)")
    parser.add_argument("--spawn-rate", type=float, default=15)
    parser.add_argument(
        "--arrival-seconds",
        type=float,
        help="OPD users start evenly over this many seconds of the rush (0: all at once;"
        " city 40, province 300)",
    )
    parser.add_argument(
        "--no-pauses",
        action="store_true",
        help="every user clicks as soon as the answer is in: the rush's req/s is then what"
        " the server can answer, not the users' pace",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--opd-users", type=int, help="fewer OPD users, for a quick try")
    parser.add_argument(
        "--against", metavar="REV", help="also rush the git revision REV, taking turns"
    )
    parser.add_argument("--repeat", type=int, default=1, help="rushes per tree")
    parser.add_argument("--json", type=Path, help="also write every rush's figures here")
    parser.add_argument(
        "--smtp-blackhole",
        action="store_true",
        help="also rush against a mail server that accepts and never answers",
    )
    parser.add_argument(
        "--smtp-refused", action="store_true", help="also rush against a refusing mail server"
    )
    args = parser.parse_args(argv)
    for name, value in RUSH_SHAPES[args.scale].items():
        if getattr(args, name) is None:
            setattr(args, name, value)

    OUT.mkdir(exist_ok=True)
    wanted = (("blackhole", args.smtp_blackhole), ("refused", args.smtp_refused))
    faults = [mode for mode, on in wanted if on]
    if faults and args.against:
        parser.error("--against compares the trees with a silent mailer; no --smtp-* with it")
    if args.against:
        return run_against(args)
    if not faults:
        results = [rush_once(args, smtp=None) for _ in range(args.repeat)]
        write_json(args.json, {"tree": describe_tree(BENCH_DIR.parent), "rushes": results})
        return max(r["exit"] for r in results)
    results = {mode: rush_once(args, smtp=mode) for mode in ["working", *faults]}
    return compare(results)


# Figures of a rush compared between the trees: (key, label, format).
FIGURES = [
    ("p50", "p50 ms", "{:.0f}"),
    ("p95", "p95 ms", "{:.0f}"),
    ("p99", "p99 ms", "{:.0f}"),
    ("max", "max ms", "{:.0f}"),
    ("throughput", "req/s", "{:.1f}"),
    ("pace_ceiling", "pace req/s", "{:.1f}"),
    ("errors", "errors", "{:.0f}"),
    ("submitted", "submitted", "{:.0f}"),
    ("last_submission_s", "last sub. s", "{:.1f}"),
    ("signin_p50", "sign-in p50", "{:.0f}"),
    ("server_cpu_s", "server cpu", "{:.1f}"),
    ("postgres_cpu_s", "postgres cpu", "{:.1f}"),
    ("client_cpu_s", "locust cpu", "{:.1f}"),
]


def run_against(args) -> int:
    """The rush against this tree and ``args.against``, one rush each in turn."""
    with revision_tree(args.against) as (old_root, old_described):
        roots = {"new": BENCH_DIR.parent, "old": old_root}
        # What was measured: a commit made while the run goes on is not part of it.
        described = {"new": describe_tree(roots["new"]), "old": old_described}
        results: dict[str, list[dict]] = {"new": [], "old": []}
        for repeat in range(args.repeat):
            order = ["new", "old"] if repeat % 2 == 0 else ["old", "new"]
            for label in order:
                print(f"\n===== rush {repeat + 1} of {args.repeat}, {label} tree =====", flush=True)
                results[label].append(rush_once(args, smtp=None, root=roots[label], label=label))
    print(
        f"\nDeadline rush ({args.scale}), new against old in the same run, "
        f"{args.repeat} rush(es) each, taking turns\n  new: {described['new']}\n"
        f"  old: {described['old']}"
    )
    print(f"{'rush':<10}{'load avg':>12}" + "".join(f"{label:>12}" for _, label, _ in FIGURES))
    for repeat in range(args.repeat):
        for label in ("new", "old"):
            r = results[label][repeat]
            print(
                f"{label} {repeat + 1:<6}{r['load_start']:>6.2f}-{r['load_end']:<5.2f}"
                + "".join(f"{fmt.format(r[key]):>12}" for key, _, fmt in FIGURES)
            )
    ratios = {}
    for key, _label, _ in FIGURES:
        new = [r[key] for r in results["new"]]
        old = [r[key] for r in results["old"]]
        pairs = [a / b for a, b in zip(new, old, strict=True) if b]
        ratios[key] = {
            "new_median": statistics.median(new),
            "old_median": statistics.median(old),
            "ratio_of_medians": (
                statistics.median(new) / statistics.median(old) if statistics.median(old) else None
            ),
            "pair_median": statistics.median(pairs) if pairs else None,
        }
    print(f"\n{'figure':<20}{'new':>10}{'old':>10}{'new/old':>10}{'pair median':>13}")
    for key, label, fmt in FIGURES:
        r = ratios[key]
        ratio = "" if r["ratio_of_medians"] is None else f"{r['ratio_of_medians']:.2f}"
        pair = "" if r["pair_median"] is None else f"{r['pair_median']:.2f}"
        print(
            f"{label:<20}{fmt.format(r['new_median']):>10}{fmt.format(r['old_median']):>10}"
            f"{ratio:>10}{pair:>13}"
        )
    print("new/old: ratio of the medians over the rushes; pair median: median of each pair's ratio")
    expected = {r["expected"] for label in results for r in results[label]}
    print(f"every rush expects {', '.join(map(str, sorted(expected)))} submissions")
    for label in ("new", "old"):
        print(
            f"{label} tree seeded by {', '.join(sorted({r['seeded_by'] for r in results[label]}))}"
        )
    write_json(args.json, {"trees": described, **results, "ratios": ratios})
    return max(r["exit"] for r in results["new"])


def write_json(path: Path | None, figures: dict) -> None:
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(figures, indent=2))


def compare(results: dict[str, dict]) -> int:
    working = results["working"]
    print("\nMail server faults against the working run of this script run:")
    print(
        f"{'mail server':<12}{'p95 ms':>8}{'vs working':>12}{'errors':>8}{'submitted':>11}  outbox"
    )
    ok = working["errors"] == 0 and working["submitted"] == working["expected"]
    for mode, result in results.items():
        ratio = result["p95"] / working["p95"] if working["p95"] else float("nan")
        print(
            f"{mode:<12}{result['p95']:>8.0f}{ratio:>11.2f}x{result['errors']:>8}"
            f"{result['submitted']:>6} / {result['expected']:<3}  {result['outbox']}"
        )
        if mode != "working":
            ok = ok and (
                result["errors"] == 0
                and result["submitted"] == result["expected"]
                and ratio <= SMTP_P95_MARGIN
            )
    print(
        ("MEETS" if ok else "MISSES")
        + " the mail target: 0 errors, every proposal submitted, p95 within"
        + f" {SMTP_P95_MARGIN - 1:.0%} of the working mail server"
    )
    return 0 if ok else 1


def start_smtp(mode: str) -> tuple[subprocess.Popen | None, dict[str, str]]:
    """A mail server in the given state, and the settings that point the portal at it."""
    port = free_port()
    if mode == "working":
        server = subprocess.Popen(
            [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
             "-c", "aiosmtpd.handlers.Sink"],
            start_new_session=True,
        )  # fmt: skip
    elif mode == "blackhole":
        server = subprocess.Popen(
            [sys.executable, "-c", BLACKHOLE, str(port)], start_new_session=True
        )
    else:  # refused: nothing listens on the port
        server = None
    if server is not None:
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
    return server, {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_TIMEOUT": "10",
    }


def outbox_counts(database_url: str) -> dict[str, int]:
    import psycopg2

    connection = psycopg2.connect(database_url)
    with connection, connection.cursor() as cursor:
        cursor.execute("SELECT status, count(*) FROM outbox_mail GROUP BY status ORDER BY status")
        counts = dict(cursor.fetchall())
    connection.close()
    return counts


def rush_once(
    args, *, smtp: str | None, root: Path = BENCH_DIR.parent, label: str | None = None
) -> dict:
    """One deadline rush on a fresh database of the tree ``root``.

    With ``smtp``, a background worker and that mail server too.
    """
    Plan.reset()
    database = DATABASE + ("_smtp" if smtp else "") + (f"_{label}" if label else "")
    drop_postgres_database(database)
    database_url = ensure_postgres_database(database)
    if database_url != postgres_url(database):
        raise SystemExit(f"unexpected database URL {database_url}")
    media = MEDIA.with_name(MEDIA.name + (f"-{label}" if label else ""))
    seeded_by = seed_rush(database_url, media, scale=args.scale, root=root)
    load_plan(database_url, args.opd_users)
    Plan.arrival_seconds = args.arrival_seconds
    Plan.pauses = not args.no_pauses
    mail_server, worker, env_extra = None, None, None
    if smtp is not None:
        print(f"\n===== deadline rush, mail server: {smtp} =====")
        mail_server, env_extra = start_smtp(smtp)
    name = "load" + (f"-smtp-{smtp}" if smtp else "") + (f"-{label}" if label else "")
    server, port = start_gunicorn(
        database_url,
        media,
        workers=args.workers,
        threads=args.threads,
        name=name,
        env_extra=env_extra,
        root=root,
    )
    if smtp is not None:
        worker = start_worker(database_url, media, name=name, env_extra=env_extra, root=root)
    try:
        host = f"http://127.0.0.1:{port}"
        env = Environment(user_classes=[OpdUser, JudgeUser], events=events, host=host)
        runner = env.create_local_runner()
        runner.start(Plan.expected, spawn_rate=args.spawn_rate)
        # Sign-ins queue on the workers: PBKDF2 (before 5 December 2026) about 0.5 s of CPU each
        # on a busy machine, Argon2id about 30 ms.
        signin_timeout = max(300, Plan.expected)
        if not Plan.rush.wait(timeout=signin_timeout):
            raise SystemExit(f"not every user could sign in within {signin_timeout} s")
        login = env.stats.get("login", "POST")
        signin = {
            "n": login.num_requests,
            "p50": login.get_response_time_percentile(0.5),
            "p95": login.get_response_time_percentile(0.95),
            "failures": login.num_failures,
        }
        env.stats.reset_all()
        Plan.load_at_start = os.getloadavg()[0]
        cpu_at_start = group_cpu_seconds(server)
        postgres_at_start, client_at_start = postgres_cpu_seconds(), time.process_time()
        started = time.time()
        Plan.all_done.wait(timeout=args.rush_seconds + args.grace_seconds)
        rush_seconds = time.time() - started
        server_cpu = group_cpu_seconds(server) - cpu_at_start
        postgres_cpu = postgres_cpu_seconds() - postgres_at_start
        client_cpu = time.process_time() - client_at_start
        runner.quit()
        load_end = os.getloadavg()[0]
        checks = verify(database_url)
        submitted = checks["submitted_complete"]
        code, last_submission = report(env, rush_seconds, args.rush_seconds, signin, checks)
        print(
            f"CPU during the rush: gunicorn {server_cpu:.1f} s, PostgreSQL {postgres_cpu:.1f} s,"
            f" locust (this process) {client_cpu:.1f} s"
        )
        outbox = {}
        if smtp is not None:
            # The working server gets its mail within a minute; the broken ones keep it waiting.
            deadline = time.time() + (60 if smtp == "working" else 0)
            outbox = outbox_counts(database_url)
            while outbox.get("pending") and time.time() < deadline:
                time.sleep(2)
                outbox = outbox_counts(database_url)
            print("outbox: " + ", ".join(f"{k}={v}" for k, v in outbox.items()))
        total = env.stats.total
        return {
            "exit": code,
            "load_start": Plan.load_at_start,
            "load_end": load_end,
            "requests": total.num_requests,
            "throughput": total.num_requests / rush_seconds,
            "pace_ceiling": pace_ceiling(total),
            "p50": total.get_response_time_percentile(0.5),
            "p95": total.get_response_time_percentile(0.95),
            "p99": total.get_response_time_percentile(0.99),
            "max": total.max_response_time,
            "errors": total.num_failures,
            "submitted": submitted,
            "expected": OpdUser.fixed_count,
            "last_submission_s": last_submission,
            "signin_p50": signin["p50"],
            "server_cpu_s": server_cpu,
            "postgres_cpu_s": postgres_cpu,
            "client_cpu_s": client_cpu,
            "seeded_by": seeded_by,
            "per_request": {
                name: {
                    "n": entry.num_requests,
                    "p50": entry.get_response_time_percentile(0.5),
                    "p95": entry.get_response_time_percentile(0.95),
                    "failures": entry.num_failures,
                }
                for (name, _method), entry in env.stats.entries.items()
            },
            "outbox": outbox,
        }
    finally:
        if worker is not None:
            stop_process_group(worker)
        stop_gunicorn(server)
        if mail_server is not None:
            stop_process_group(mail_server)
        if not args.keep:
            drop_postgres_database(database)


if __name__ == "__main__":
    print(f"locust {locust.__version__}, gevent {gevent.__version__}")
    sys.exit(main())
