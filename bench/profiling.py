"""Where the time goes: a sampling profile of each request type of the rush and the heavy pages.

    /work/benchvenv/bin/python bench/profiling.py [--postgres] [--runs 20] [--top 15]
                                      [--only editor --only recap] [--rev REV]

pyinstrument (requirements-bench.txt) samples the Python stack every 0.5 ms while each
request runs in-process through Django's test client: no ptrace, no server. The rush's
request types run on a fresh city set shaped for the rush (``seed.py --scale city
--rush``), one OPD user and entry per repetition: the editor page, a draft save, a save
with the 2 MB PDF and the small statements, the checklist, the submission, a sign-in
(password hashing included), and the judge's "Penilaian saya", scoring page and sheet save. The
national desk leaderboard, final ranking and score recap XLSX run on a fresh national
set (``--pages-scale city`` for a quick try). For each it prints the requests' median
time under the profiler and the top functions by their own time (``self``) and by time
including what they call (``total``, the project's own code only), and writes the whole
call tree to ``bench/out/profile/<commit>/<request>.txt``.

``--rev REV`` profiles the revision ``REV`` instead of this tree, checked out into a
temporary git worktree and seeded as ``bench/run.py --against`` seeds it, for a before/after.
(Named profiling.py: a bench/profile.py would shadow the standard library's ``profile``.)
The sampler slows the code it watches; compare its figures only with each other.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from common import (
    BENCH_DIR,
    OUT,
    ROOT,
    SCORE,
    SECTION,
    VERSION,
    describe_tree,
    drop_postgres_database,
    ensure_postgres_database,
    padded_pdf,
    revision_tree,
    seed_database,
    setup_django,
)

PASSWORD = "bangku-uji-2026"  # noqa: S105 - the seed's throwaway accounts
MODEL_BACKEND = "django.contrib.auth.backends.AllowAllUsersModelBackend"


def profile_dir(root: Path) -> Path:
    """One folder of call trees per commit profiled, so a before and an after sit side by side."""
    return OUT / "profile" / (describe_tree(root).split(" ", 1)[0] or "tree")


PROFILE_DIR = profile_dir(ROOT)
INTERVAL = 0.0005
RUSH_REQUESTS = [
    "editor page",
    "draft save",
    "save with 2 MB PDF",
    "submit page",
    "submit",
    "sign-in",
    "judge: penilaian saya",
    "judge: scoring page",
    "judge: sheet save",
]
PAGES = ["Desk leaderboard", "Final ranking", "Score recap export"]


class Profiles:
    """One pyinstrument profiler per request type, started and stopped around each request."""

    def __init__(self):
        from pyinstrument import Profiler

        self.profilers: dict[str, Profiler] = {}
        self.times: dict[str, list[float]] = {}
        self.statuses: dict[str, dict[int, int]] = {}
        self.make = lambda: Profiler(interval=INTERVAL, async_mode="disabled")

    def run(self, name: str, fn: Callable):
        profiler = self.profilers.setdefault(name, self.make())
        started = time.perf_counter()
        profiler.start()
        try:
            response = fn()
        finally:
            profiler.stop()
        self.times.setdefault(name, []).append((time.perf_counter() - started) * 1000)
        status = getattr(response, "status_code", 200)
        counts = self.statuses.setdefault(name, {})
        counts[status] = counts.get(status, 0) + 1
        return response

    def report(self, top: int) -> None:
        from pyinstrument.renderers import ConsoleRenderer

        PROFILE_DIR.mkdir(parents=True, exist_ok=True)
        for name, profiler in self.profilers.items():
            times = self.times[name]
            statuses = ", ".join(f"HTTP {k} x{v}" for k, v in sorted(self.statuses[name].items()))
            print(
                f"\n== {name}: {len(times)} requests, median {statistics.median(times):.1f} ms"
                f" under the profiler ({statuses}) =="
            )
            session = profiler.last_session
            own = flat(profiler, ConsoleRenderer(flat=True, show_all=True, flat_time="self"))
            print(f"-- top {top} by own time (ms summed over the requests)")
            print("\n".join(own[:top]))
            total = flat(profiler, ConsoleRenderer(flat=True, show_all=True, flat_time="total"))
            project = [line for line in total if in_project(line)]
            print(f"-- top {top} of the project's functions by total time (callees included)")
            print("\n".join(project[:top]))
            tree = ConsoleRenderer(unicode=False, color=False).render(session)
            (PROFILE_DIR / f"{slug(name)}.txt").write_text(tree)


def flat(profiler, renderer) -> list[str]:
    """The flat profile's rows, times in ms, without pyinstrument's banner."""
    rows = []
    for line in renderer.render(profiler.last_session).splitlines():
        match = re.match(r"\s*([\d.]+)\s+(.*)", line)
        if match and not line.lstrip().startswith(("Recorded", "Samples", "Duration")):
            rows.append(f"{float(match.group(1)) * 1000:9.1f}  {match.group(2)}")
    return rows


# The portal's own packages (competition/, opd/, ...): pyinstrument prints paths from them.
PACKAGES = [p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()]
PROJECT_PATH = re.compile(r"\s({})/".format("|".join(PACKAGES)))


def in_project(line: str) -> bool:
    """A row of the portal's own code, not of a library, Python or bench/."""
    return bool(PROJECT_PATH.search(line))


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def words(n: int) -> str:
    return " ".join(
        ["layanan", "warga", "antrean", "cepat", "data", "terpadu"][i % 6] for i in range(n)
    )


def profile_rush(profiles: Profiles, runs: int, only: list[str]) -> None:
    """Each request type of the rush, ``runs`` times, one OPD user's entry per repetition."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from competition.models import AttachmentKind, Entry, EntryStatus
    from opd.models import Role, User

    wanted = [n for n in RUSH_REQUESTS if not only or any(o.lower() in n for o in only)]
    entries = list(
        Entry.objects.filter(status=EntryStatus.DRAFT)
        .select_related("created_by", "competition")
        .order_by("pk")[:runs]
    )
    kinds = list(
        AttachmentKind.objects.filter(competition=entries[0].competition, required=True)
        .order_by("order", "pk")
        .values_list("pk", flat=True)
    )
    big, small = padded_pdf(2_000_000), padded_pdf(20_000)
    for entry in entries:
        client = Client()
        client.force_login(entry.created_by, backend=MODEL_BACKEND)
        edit, submit = f"/proposal/{entry.pk}/ubah/", f"/proposal/{entry.pk}/kirim/"

        def editor_page(client=client, edit=edit):
            return client.get(edit)

        page = editor_page()
        if "editor page" in wanted:
            profiles.run("editor page", editor_page)

        def save(page, *, files=False, client=client, edit=edit, entry=entry):
            data = {
                "version": VERSION.search(page.text).group(1),
                "category": entry.category_id,
                "video_url": "https://youtu.be/dQw4w9WgXcQ",
                "action": "save",
            }
            data |= {name: words(30) for name in SECTION.findall(page.text)}
            if files:
                data["declaration_accepted"] = "on"
                for n, kind in enumerate(kinds):
                    data[f"file_{kind}"] = SimpleUploadedFile(
                        f"lampiran-{n}.pdf", big if n == 0 else small, "application/pdf"
                    )
            return client.post(edit, data)

        if "draft save" in wanted:
            profiles.run("draft save", lambda page=page, save=save: save(page))
        else:
            save(page)
        page = editor_page()
        if "save with 2 MB PDF" in wanted:
            profiles.run("save with 2 MB PDF", lambda page=page, save=save: save(page, files=True))
        else:
            save(page, files=True)
        if "submit page" in wanted:
            profiles.run("submit page", lambda client=client, submit=submit: client.get(submit))
        if "submit" in wanted:
            profiles.run("submit", lambda client=client, submit=submit: client.post(submit))
    if "sign-in" in wanted:
        # Password hashing is most of a sign-in: a few are enough to see it.
        for entry in entries[: max(1, min(runs, 5))]:
            client = Client()
            client.get("/akun/masuk/")
            profiles.run(
                "sign-in",
                lambda client=client, entry=entry: client.post(
                    "/akun/masuk/", {"username": entry.created_by.email, "password": PASSWORD}
                ),
            )
    judges = list(User.objects.filter(role=Role.JUDGE).order_by("pk"))
    if any(n.startswith("judge") for n in wanted):
        profile_judges(profiles, judges, runs, wanted)


def profile_judges(profiles: Profiles, judges, runs: int, wanted: list[str]) -> None:
    """The judges' desk: the list, then the scoring page and a sheet save per assignment."""
    from django.test import Client

    listing_url = "/penilaian/competition/assignment/"
    done = 0
    for listed, judge in enumerate(judges):
        if listed >= runs and done >= runs:
            return
        client = Client()
        client.force_login(judge, backend=MODEL_BACKEND)
        listing = client.get(listing_url)
        if "judge: penilaian saya" in wanted and listed < runs:
            profiles.run("judge: penilaian saya", lambda client=client: client.get(listing_url))
        ids = sorted(set(re.findall(r"/penilaian/competition/assignment/(\d+)/", listing.text)))
        for assignment in ids:
            if done >= runs:
                break
            done += 1
            url = f"{listing_url}{assignment}/"
            page = client.get(url)
            if 'name="decision"' in page.text:
                client.post(url, {"decision": "none"})
            if "judge: scoring page" in wanted:
                page = profiles.run(
                    "judge: scoring page", lambda client=client, url=url: client.get(url)
                )
            else:
                page = client.get(url)
            data = {
                "version": VERSION.search(page.text).group(1),
                "general_comment": words(12),
                "action": "submit",
            }
            for criterion in SCORE.findall(page.text):
                data[f"score_{criterion}"] = "80"
                data[f"comment_{criterion}"] = words(5)
            if "judge: sheet save" in wanted:
                profiles.run(
                    "judge: sheet save",
                    lambda client=client, url=url, data=data: client.post(url, data),
                )


def profile_pages(profiles: Profiles, runs: int, only: list[str], budget_s: float) -> None:
    """The heavy organiser pages of bench/run.py, as many runs as fit ``budget_s`` each."""
    import run

    ctx = run.Context()
    for name, _kind, build in run.TARGETS:
        if name not in PAGES or (only and not any(o.lower() in name.lower() for o in only)):
            continue
        _via, fn = build(ctx)
        started = time.perf_counter()
        fn()  # warm-up, not profiled
        n = max(1, min(runs, int(budget_s / max(time.perf_counter() - started, 1e-3))))
        for _ in range(n):
            profiles.run(name, fn)


def part(args) -> int:
    """One part (the rush or the pages) in this process, on its seeded database."""
    from django.conf import settings
    from django.test.utils import setup_test_environment

    setup_django(args.database_url, media_root=args.media)
    setup_test_environment(debug=settings.DEBUG)
    profiles = Profiles()
    if args.part == "rush":
        profile_rush(profiles, args.runs, args.only)
    else:
        profile_pages(profiles, args.runs, args.only, args.budget)
    profiles.report(args.top)
    return 0


def database(args, name: str) -> str:
    if args.postgres:
        drop_postgres_database(f"kovablik_bench_profile_{name}")
        return ensure_postgres_database(f"kovablik_bench_profile_{name}")
    path = OUT / f"profile-{name}.sqlite3"
    path.unlink(missing_ok=True)
    return f"sqlite:///{path}"


def profile_tree(args, root: Path) -> int:
    """Seed both sets for the tree ``root`` and profile each part in its own process."""
    print(f"profiling {describe_tree(root)}; load average {os.getloadavg()[0]:.2f}", flush=True)
    parts = [("rush", "city", True), ("pages", args.pages_scale, False)]
    for name, scale, rush in parts:
        if args.only and not any(
            o.lower() in n.lower() for o in args.only for n in (RUSH_REQUESTS if rush else PAGES)
        ):
            continue
        url = database(args, name)
        media = OUT / f"profile-{name}-media"
        print(f"seeding {scale}{' (rush)' if rush else ''} ...", file=sys.stderr, flush=True)
        seed_database(url, media, scale=scale, rush=rush, root=root)
        forwarded = [f"--only={o}" for o in args.only]
        subprocess.run(
            [sys.executable, str(BENCH_DIR / "profiling.py"), "--part", name, "--database-url", url,
             "--media", str(media), "--runs", str(args.runs), "--top", str(args.top),
             "--budget", str(args.budget), *forwarded],
            check=True, env={**os.environ, "BENCH_APP_ROOT": str(root)}, cwd=root,
        )  # fmt: skip
    print(f"\nload average {os.getloadavg()[0]:.2f} at the end; call trees in {profile_dir(root)}/")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="throwaway PostgreSQL databases")
    parser.add_argument("--runs", type=int, default=20, help="requests profiled per type")
    parser.add_argument("--top", type=int, default=15, help="functions listed per request type")
    parser.add_argument(
        "--budget", type=float, default=60, help="seconds of profiled runs per heavy page at most"
    )
    parser.add_argument("--pages-scale", choices=["city", "national"], default="national")
    parser.add_argument(
        "--only", action="append", default=[], help="request types whose name contains this"
    )
    parser.add_argument("--rev", help="profile this git revision instead of this tree")
    parser.add_argument("--part", choices=["rush", "pages"], help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--media", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.part:
        return part(args)
    if args.rev:
        with revision_tree(args.rev) as (tree, _described):
            return profile_tree(args, tree)
    return profile_tree(args, ROOT)


if __name__ == "__main__":
    OUT.mkdir(exist_ok=True)
    sys.exit(main())
