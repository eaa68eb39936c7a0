"""CPU time per request of each of the deadline rush's request types, new against old.

    .venv/bin/python bench/rush_cpu.py --against REV [--users 15] [--judges 6]
                                       [--assignments 3] [--suffix TAG] [--cprofile]

What ``bench/load.py``'s ``server cpu`` is for a whole rush, per request type and without
locust, gunicorn or the machine's other load in the figure: each tree runs in its own
worker process with the production settings (``DEBUG`` off, ``bench/settings_load.py``)
on its own PostgreSQL database, dropped and seeded afresh with the city rush set
(``seed.py --scale city --rush``, as ``bench/run.py --against`` seeds). A request goes
through Django's WSGI handler as gunicorn calls it: a WSGI environ whose body (the 2 MB
PDF's multipart included) is encoded before the clock starts, the session and CSRF
cookies, the CSRF token in the form. The figure is ``time.process_time()`` around the
handler call and the reading of the response: the portal's Python, the middleware and
the database driver, not PostgreSQL's own process.

Each OPD user does what a rush user does: the editor page, two draft saves and a save
with the 2 MB PDF and the three small statements (each redirecting to the editor page,
which is requested as the browser would; on a tree whose editor saves in place, marked
``data-save-in-place``, the three saves are posted as its script posts them and answer
JSON, with no page after them), the checklist, the submission and its receipt.
Each judge opens "Penilaian saya", then for ``--assignments`` assignments the scoring
page, the no-conflict declaration, a draft sheet and the submitted sheet (with the
pages they redirect to). The driver asks the two workers in turn, user by user and
judge by judge (new-old, then old-new, ...), after one warm-up user and judge each.
It prints, per request type, both trees' median CPU ms, new/old (ratio of the medians),
the pair median (median of each pair's ratio), the median CPU ms of the PostgreSQL backend
that served the request (``pg ms``, from its ``/proc/<pid>/schedstat``), the queries per
request and the HTTP statuses, then the same for one OPD user's whole flow and one
judge's assignment; and two floors every request pays: ``/`` for a signed-in OPD user
(middleware, session and user, a redirect) and the profile page (the same plus the base
template).

``--cprofile`` also records each request type under cProfile in each tree and writes
``bench/out/rush-cpu/<tree>-<request>.prof`` (the times printed are then cProfile's, for
ordering only). Without ``--against`` it measures this tree alone.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import statistics
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path

from common import (
    BENCH_DIR,
    CSRF,
    OUT,
    SCORE,
    SECTION,
    VERSION,
    TreeWorker,
    describe_tree,
    drop_postgres_database,
    ensure_postgres_database,
    padded_pdf,
    revision_tree,
    seed_rush,
    serve_requests,
    server_env,
)

MODEL_BACKEND = "django.contrib.auth.backends.AllowAllUsersModelBackend"
PROFILES = OUT / "rush-cpu"
LISTING = "/penilaian/competition/assignment/"
WORDS = ["layanan", "warga", "antrean", "cepat", "data", "terpadu", "desa", "sehat"]
# The order the table lists request types in.
ORDER = [
    "floor: / (redirect)",
    "floor: profile page",
    "editor page",
    "draft save",
    "save with 2 MB PDF",
    "submit page",
    "submit",
    "receipt",
    "judge: penilaian saya",
    "judge: declaration page",
    "judge: declare",
    "judge: scoring page",
    "judge: sheet draft",
    "judge: sheet submit",
]


def words(n: int, offset: int = 0) -> str:
    return " ".join(WORDS[(i + offset) % len(WORDS)] for i in range(n))


def backend_cpu_ms(connection) -> tuple[int, float] | None:
    """The PostgreSQL backend behind ``connection`` and the CPU ms it has used so far.

    ``schedstat`` counts nanoseconds on the CPU, the parsing, planning and WAL writing of the
    request's statements included; /proc's ``stat`` ticks are too coarse for one request.
    """
    if connection.connection is None:
        return None
    pid = connection.connection.get_backend_pid()
    return pid, int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e6


class Browser:
    """One person's cookies against the tree's WSGI handler, timing each request's CPU."""

    def __init__(self, worker: Serve, cookies: dict[str, str]):
        self.worker = worker
        self.cookies = dict(cookies)

    def request(self, name: str, method: str, path: str, data: dict | None = None, headers=None):
        from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

        body, content_type = b"", ""
        if data is not None:
            body = encode_multipart(BOUNDARY, data)
            content_type = MULTIPART_CONTENT
        return self.worker.call(name, method, path, body, content_type, self, headers or {})

    def follow(self, response, name: str):
        """The GET a browser makes after a redirect, timed as ``name``."""
        if response.status_code not in (301, 302, 303):
            return response
        return self.request(name, "GET", response["Location"])


class Serve:
    """Worker mode: this tree's Django, answering the driver one JSON line at a time."""

    def __init__(self, cprofile: bool):
        import django

        django.setup()
        from django.core.handlers.wsgi import WSGIHandler

        # Not setup_test_environment(): its signal on every template rendered is not
        # production's cost. server_env() already sends e-mail to memory.
        self.handler = WSGIHandler()
        self.cprofile = cprofile
        self.profilers: dict = {}
        self.records: list = []
        self.big, self.small = padded_pdf(2_000_000), padded_pdf(20_000)

    # -- plumbing -------------------------------------------------------------
    def environ(self, method, path, body, content_type, cookies, headers) -> dict:
        path, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SCRIPT_NAME": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_USER_AGENT": "rush-cpu",
            "HTTP_ACCEPT_LANGUAGE": "id",
            "HTTP_COOKIE": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        for header, value in headers.items():
            environ["HTTP_" + header.upper().replace("-", "_")] = value
        if body:
            environ["CONTENT_LENGTH"] = str(len(body))
            environ["CONTENT_TYPE"] = content_type
        return environ

    def call(self, name, method, path, body, content_type, browser: Browser, headers):
        from django.db import connection

        environ = self.environ(method, path, body, content_type, browser.cookies, headers)
        queries = [0]

        def count(execute, sql, params, many, context):
            queries[0] += 1
            return execute(sql, params, many, context)

        def start_response(status, headers):
            pass

        profiler = None
        if self.cprofile:
            import cProfile

            profiler = self.profilers.setdefault(name, cProfile.Profile())
        backend = backend_cpu_ms(connection)
        with connection.execute_wrapper(count):
            started = time.process_time()
            if profiler:
                profiler.enable()
            response = self.handler(environ, start_response)
            content = b"".join(response)
            response.close()
            if profiler:
                profiler.disable()
            cpu_ms = (time.process_time() - started) * 1000
        after = backend_cpu_ms(connection)
        # The backend's CPU, when one and the same backend served the whole request.
        pg_ms = after[1] - backend[1] if backend and after and backend[0] == after[0] else None
        for morsel in response.cookies.values():
            if morsel["max-age"] == 0 or morsel.value == "":
                browser.cookies.pop(morsel.key, None)
            else:
                browser.cookies[morsel.key] = morsel.value
        response.text = content.decode(errors="replace")
        self.records.append([name, cpu_ms, queries[0], response.status_code, pg_ms])
        return response

    def browser(self, user) -> Browser:
        from django.test import Client

        client = Client()
        client.force_login(user, backend=MODEL_BACKEND)
        cookies = SimpleCookie()
        cookies.load("; ".join(f"{k}={v.value}" for k, v in client.cookies.items()))
        return Browser(self, {k: v.value for k, v in cookies.items()})

    def reset(self) -> None:
        """Forget the warm-up: its records and what cProfile saw of it."""
        self.records, self.profilers = [], {}

    def take(self) -> list:
        records, self.records = self.records, []
        return records

    # -- the driver's questions ----------------------------------------------
    def setup(self) -> dict:
        from competition.models import Entry, EntryStatus
        from opd.models import Role, User

        return {
            "code_root": str(Path(sys.modules["kovablik"].__file__).resolve().parents[1]),
            "drafts": Entry.objects.filter(status=EntryStatus.DRAFT).count(),
            "judges": User.objects.filter(role=Role.JUDGE).count(),
        }

    def opd(self, index: int) -> list:
        """The ``index``-th draft's OPD user through the rush's whole flow."""
        from competition.models import AttachmentKind, Entry, EntryStatus

        entry = (
            Entry.objects.filter(status=EntryStatus.DRAFT)
            .select_related("created_by")
            .order_by("pk")[index]
        )
        kinds = list(
            AttachmentKind.objects.filter(competition_id=entry.competition_id, required=True)
            .order_by("order", "pk")
            .values_list("pk", flat=True)
        )
        me = self.browser(entry.created_by)
        edit, submit = f"/proposal/{entry.pk}/ubah/", f"/proposal/{entry.pk}/kirim/"
        me.request("floor: / (redirect)", "GET", "/")
        me.request("floor: profile page", "GET", "/akun/profil/")
        page = me.request("editor page", "GET", edit)
        # A tree whose editor saves in place: its script posts "Simpan draf", files
        # included, and the page is not requested again.
        in_place = "data-save-in-place" in page.text
        version = VERSION.search(page.text).group(1)
        for n, (name, files) in enumerate(
            [("draft save", False), ("draft save", False), ("save with 2 MB PDF", True)]
        ):
            data = {
                "csrfmiddlewaretoken": CSRF.search(page.text).group(1),
                "version": version,
                "category": entry.category_id,
                "video_url": "https://youtu.be/dQw4w9WgXcQ",
                "action": "save",
            }
            data |= {section: words(30, n) for section in SECTION.findall(page.text)}
            if files:
                data["declaration_accepted"] = "on"
                for i, kind in enumerate(kinds):
                    upload = io.BytesIO(self.big if i == 0 else self.small)
                    upload.name = f"lampiran-{i}.pdf"
                    data[f"file_{kind}"] = upload
            if in_place:
                del data["action"]
                saved = json.loads(
                    me.request(name, "POST", edit, data, {"X-Kovablik-Autosave": "1"}).text
                )
                if saved.get("refused"):
                    raise RuntimeError(f"files refused: {saved['refused']}")
                version = str(saved["version"])
                continue
            page = me.follow(me.request(name, "POST", edit, data), "editor page")
            version = VERSION.search(page.text).group(1)
        checklist = me.request("submit page", "GET", submit)
        sent = me.request(
            "submit", "POST", submit, {"csrfmiddlewaretoken": CSRF.search(checklist.text).group(1)}
        )
        me.follow(sent, "receipt")
        return self.take()

    def judge(self, index: int, assignments: int) -> list:
        """The ``index``-th judge: the list, then ``assignments`` sheets declared and sent."""
        from opd.models import Role, User

        judge = User.objects.filter(role=Role.JUDGE).order_by("pk")[index]
        me = self.browser(judge)
        listing = me.request("judge: penilaian saya", "GET", LISTING)
        ids = sorted(set(re.findall(r"/penilaian/competition/assignment/(\d+)/", listing.text)))
        for n, assignment in enumerate(ids[:assignments]):
            url = f"/penilaian/competition/assignment/{assignment}/"
            page = me.request("judge: scoring page", "GET", url)
            if 'name="decision"' in page.text:
                self.records[-1][0] = "judge: declaration page"
                token = CSRF.search(page.text).group(1)
                page = me.request("judge: declare", "POST", url, {
                    "csrfmiddlewaretoken": token, "decision": "none",
                })  # fmt: skip
                page = me.follow(page, "judge: scoring page")
            for action in ("draft", "submit"):
                data = {
                    "csrfmiddlewaretoken": CSRF.search(page.text).group(1),
                    "version": VERSION.search(page.text).group(1),
                    "general_comment": words(12, n),
                    "action": action,
                }
                for k, criterion in enumerate(SCORE.findall(page.text)):
                    # The sent sheet changes the draft's scores, as load.py's random ones do.
                    shift = 3 if action == "submit" else 0
                    data[f"score_{criterion}"] = str(60 + (7 * k + n + shift) % 35)
                    data[f"comment_{criterion}"] = words(5, k)
                saved = me.request(f"judge: sheet {action}", "POST", url, data)
                if action == "draft":
                    page = me.follow(saved, "judge: scoring page")
                else:
                    listed = saved.get("Location", "").endswith(LISTING)
                    me.follow(saved, "judge: penilaian saya" if listed else "judge: scoring page")
        return self.take()

    def dump(self, label: str) -> list[str]:
        PROFILES.mkdir(parents=True, exist_ok=True)
        written = []
        for name, profiler in self.profilers.items():
            slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
            path = PROFILES / f"{label}-{slug}.prof"
            profiler.dump_stats(path)
            written.append(str(path))
        return written


def serve(cprofile: bool) -> int:
    return serve_requests(lambda: Serve(cprofile))


class Worker(TreeWorker):
    def __init__(self, label: str, root: Path, database_url: str, media: Path, cprofile: bool):
        super().__init__(
            label,
            [sys.executable, str(BENCH_DIR / "rush_cpu.py"), "--serve",
             *(["--cprofile"] if cprofile else [])],
            env=server_env(database_url, media, root),
            cwd=root,
        )  # fmt: skip


def summarise(records: dict[str, list[list]], labels: list[str]) -> None:
    """Per request type: each tree's median CPU ms, new/old and the pair median."""
    by_type = {
        label: {name: [r for r in records[label] if r[0] == name] for name in ORDER}
        for label in labels
    }
    head = f"{'request':<24}{'n':>4}"
    for label in labels:
        head += f"{label + ' ms':>10}"
    if len(labels) == 2:
        head += f"{'new/old':>9}{'pair med':>10}"
    head += f"{'pg ms':>14}   queries   statuses"
    print(head)
    print("-" * len(head))
    for name in ORDER:
        rows = [by_type[label][name] for label in labels]
        if not rows[0]:
            continue
        line = f"{name:<24}{len(rows[0]):>4}"
        medians = [statistics.median(r[1] for r in rows_) for rows_ in rows]
        line += "".join(f"{m:>10.2f}" for m in medians)
        if len(labels) == 2:
            pairs = [a[1] / b[1] for a, b in zip(rows[0], rows[1], strict=False) if b[1]]
            line += f"{medians[0] / medians[1]:>9.2f}{statistics.median(pairs):>10.2f}"
        postgres = " / ".join(
            f"{statistics.median(pg):.2f}"
            if (pg := [r[4] for r in rows_ if r[4] is not None])
            else "-"
            for rows_ in rows
        )
        line += f"{postgres:>14}"
        queries = " / ".join(f"{statistics.median(r[2] for r in rows_):g}" for rows_ in rows)
        statuses = " / ".join(",".join(sorted({str(r[3]) for r in rows_})) for rows_ in rows)
        print(f"{line}   {queries:<9} {statuses}")


def flows(records: dict[str, list[list]], labels: list[str], flows_cpu: dict) -> None:
    print()
    for what in ("OPD user's whole flow", "judge's assignment"):
        values = [flows_cpu[label][what] for label in labels]
        medians = [statistics.median(v) for v in values]
        line = f"{what:<28}" + "".join(f"{m:>10.1f}" for m in medians)
        if len(labels) == 2:
            pairs = [a / b for a, b in zip(*values, strict=False) if b]
            line += f"{medians[0] / medians[1]:>9.2f}{statistics.median(pairs):>10.2f}"
        print(line + "  (CPU ms, median)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", metavar="REV", help="compare with this git revision")
    parser.add_argument("--users", type=int, default=15, help="OPD users measured per tree")
    parser.add_argument("--judges", type=int, default=6, help="judges measured per tree")
    parser.add_argument("--assignments", type=int, default=3, help="sheets per judge")
    parser.add_argument(
        "--suffix", default="", help="appended to the database names (kovablik_bench_cpu_new...)"
    )
    parser.add_argument("--cprofile", action="store_true", help="also write cProfile stats")
    parser.add_argument("--json", type=Path, help="also write every request's figures here")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        return serve(args.cprofile)
    OUT.mkdir(exist_ok=True)
    if args.against:
        with revision_tree(args.against) as (old_root, old_described):
            roots = {"new": BENCH_DIR.parent, "old": old_root}
            described = {"new": describe_tree(roots["new"]), "old": old_described}
            return measure(args, roots, described)
    roots = {"new": BENCH_DIR.parent}
    return measure(args, roots, {"new": describe_tree(roots["new"])})


def measure(args, roots: dict[str, Path], described: dict[str, str]) -> int:
    labels = list(roots)
    workers = {}
    seeded_by = {}
    databases = []
    try:
        for label, root in roots.items():
            name = f"kovablik_bench_cpu_{label}{args.suffix}"
            drop_postgres_database(name)
            databases.append(name)
            url = ensure_postgres_database(name)
            media = OUT / f"rush-cpu-{label}{args.suffix}-media"
            print(f"seeding the {label} tree's database ...", file=sys.stderr, flush=True)
            seeded_by[label] = seed_rush(url, media, root=root)
            workers[label] = Worker(label, root, url, media, args.cprofile)
        setups = {label: w.call("setup") for label, w in workers.items()}
        for label, setup in setups.items():
            if Path(setup["code_root"]) != roots[label].resolve():
                raise SystemExit(f"the {label} worker imported {setup['code_root']}")
        load_start = os.getloadavg()[0]
        records = {label: [] for label in labels}
        flows_cpu = {
            label: {"OPD user's whole flow": [], "judge's assignment": []} for label in labels
        }
        # One warm-up user and judge per tree (templates, URL resolvers, connections).
        for worker in workers.values():
            worker.call("opd", 0)
            worker.call("judge", 0, 1)
            worker.call("reset")
        users = min(args.users, min(s["drafts"] for s in setups.values()) - 1)
        judges = min(args.judges, min(s["judges"] for s in setups.values()) - 1)
        jobs = [("opd", i + 1) for i in range(users)] + [
            ("judge", j + 1, args.assignments) for j in range(judges)
        ]
        for n, (op, *params) in enumerate(jobs):
            order = labels if n % 2 == 0 else labels[::-1]
            for label in order:
                got = workers[label].call(op, *params)
                records[label].extend(got)
                total = sum(r[1] for r in got if not r[0].startswith("floor"))
                if op == "opd":
                    flows_cpu[label]["OPD user's whole flow"].append(total)
                else:
                    per = total / max(1, sum(1 for r in got if r[0] == "judge: sheet submit"))
                    flows_cpu[label]["judge's assignment"].append(per)
        load_end = os.getloadavg()[0]
        if args.cprofile:
            for label, worker in workers.items():
                print("\n".join(worker.call("dump", label)), file=sys.stderr)
    finally:
        for worker in workers.values():
            worker.close()
        for name in databases:
            drop_postgres_database(name)
    print(
        f"CPU per request (time.process_time in the worker, production settings, PostgreSQL), "
        f"{users} OPD users and {judges} judges x {args.assignments} sheets per tree, "
        f"taking turns{' under cProfile' if args.cprofile else ''}"
    )
    for label in labels:
        print(f"  {label}: {described[label]} (rows by {seeded_by[label]})")
    print(f"load average {load_start:.2f} at the start, {load_end:.2f} at the end\n")
    summarise(records, labels)
    flows(records, labels, flows_cpu)
    if len(labels) == 2:
        print("new/old: ratio of the medians; pair med: median of each pair's new/old")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {
                    "trees": described,
                    "load_average": {"start": load_start, "end": load_end},
                    "records": records,
                    "flows": flows_cpu,
                },
                indent=1,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
