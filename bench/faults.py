"""Fault checks that need real processes: PostgreSQL restarting mid-rush, true races.

    .venv/bin/python bench/faults.py [--users 40] [--no-restart]

Loopback only, bounded in time. Seeds ``kovablik_bench_faults`` (city set shaped for
the rush), starts gunicorn (as gunicorn.conf.py sets it), then prints PASS/FAIL for:

1. Two tabs saving the same proposal at the same instant (same version): exactly one
   save wins, the other is told; never both.
2. Two tabs of one judge saving the same sheet at the same instant: the same.
3. Double submission at the same instant: one reference, one status change.
4. PostgreSQL restarts (``pg_ctlcluster ... restart``) while ``--users`` OPD users are
   saving, uploading and submitting; each user retries a failed step like a person
   would. Afterwards every entry is either fully submitted (status, reference, time,
   one StatusChange) or untouched (draft, no reference, no StatusChange); every user
   who saw a receipt has a submitted entry; no stored file lacks its row and no row
   lacks its file.

This restarts the machine's PostgreSQL cluster (a second or two); run it when no one
else is using the database server.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import random
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

from common import (
    CSRF,
    OUT,
    SCORE,
    SECTION,
    VERSION,
    drop_postgres_database,
    ensure_postgres_database,
    seed_rush,
    start_gunicorn,
    stop_gunicorn,
)

DATABASE = "kovablik_bench_faults"
MEDIA = OUT / "faults-media"
PASSWORD = "bangku-uji-2026"  # noqa: S105 - the seed's throwaway accounts
STALE_ENTRY = "sudah diubah di tab atau oleh pengguna lain"


def small_pdf(tag: str) -> bytes:
    body = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = bytearray(b"%PDF-1.4\n%" + tag.encode() + b"\n")
    offsets = []
    for number, obj in enumerate(body, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 4\n0000000000 65535 f \n"
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


class Browser:
    """One person's browser: cookies, CSRF token, form posts (multipart when files)."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(self, path: str, data=None, files=None) -> tuple[int, str, str]:
        """(status, final URL, body); redirects are followed like a browser."""
        headers = {}
        body = None
        if files:
            boundary = uuid.uuid4().hex
            parts = []
            for name, value in (data or {}).items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                    f"{value}\r\n".encode()
                )
            for name, (filename, content) in files.items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                    f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
                    + content
                    + b"\r\n"
                )
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        elif data is not None:
            body = urllib.parse.urlencode(data, doseq=True).encode()
        # base is always http://127.0.0.1:<port> (loopback only).
        req = urllib.request.Request(self.base + path, data=body, headers=headers)  # noqa: S310
        try:
            with self.opener.open(req, timeout=60) as response:
                return response.status, response.url, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.url, exc.read().decode(errors="replace")

    @staticmethod
    def csrf(body: str) -> str:
        match = CSRF.search(body)
        return match.group(1) if match else ""

    def login(self, email: str) -> bool:
        _, _, page = self.request("/akun/masuk/")
        status, url, _ = self.request(
            "/akun/masuk/",
            {"username": email, "password": PASSWORD, "csrfmiddlewaretoken": self.csrf(page)},
        )
        return status == 200 and "/akun/masuk/" not in url


def editor_data(page: str, category: int, text: str, version: str | None = None) -> dict:
    data = {
        "csrfmiddlewaretoken": Browser.csrf(page),
        "version": version or VERSION.search(page).group(1),
        "category": category,
        "video_url": "https://youtu.be/dQw4w9WgXcQ",
        "declaration_accepted": "on",
        "action": "save",
    }
    for name in SECTION.findall(page):
        data[name] = text
    return data


def at_once(*calls):
    """Run the calls in threads released together; returns their results in order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        barrier.wait()
        results[i] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


class Check:
    failures = 0

    @classmethod
    def report(cls, ok: bool, what: str, detail: str = "") -> None:
        print(f"{'PASS' if ok else 'FAIL'}  {what}" + (f"  ({detail})" if detail else ""))
        if not ok:
            cls.failures += 1


def db_rows(database_url: str, sql: str, params=()) -> list[tuple]:
    import psycopg2

    connection = psycopg2.connect(database_url)
    try:
        with connection, connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    finally:
        connection.close()


def plan(database_url: str) -> tuple[list[tuple[str, int, int]], list[int], list[str]]:
    users = db_rows(
        database_url,
        "SELECT u.email, e.id, e.category_id FROM competition_entry e JOIN opd_user u "
        "ON u.id = e.created_by_id WHERE e.status = 'draft' ORDER BY e.id",
    )
    kinds = [
        k
        for (k,) in db_rows(
            database_url,
            "SELECT id FROM competition_attachmentkind WHERE required AND competition_id = "
            "(SELECT id FROM competition_competition ORDER BY year DESC LIMIT 1) "
            'ORDER BY "order", id',
        )
    ]
    judges = [e for (e,) in db_rows(database_url, "SELECT email FROM opd_user WHERE role='judge'")]
    return users, kinds, judges


def check_entry_race(base: str, email: str, entry: int, category: int, database_url: str):
    """Two tabs, same version, released together, ten times."""
    tabs = [Browser(base), Browser(base)]
    for tab in tabs:
        tab.login(email)
    path = f"/proposal/{entry}/ubah/"
    both_won = 0
    outcomes = Counter()
    for attempt in range(10):
        pages = [tab.request(path)[2] for tab in tabs]
        version = VERSION.search(pages[0]).group(1)
        texts = [f"tab {n} percobaan {attempt}" for n in (1, 2)]
        results = at_once(
            *(
                lambda tab=tab, page=page, text=text, version=version: tab.request(
                    path, editor_data(page, category, text, version)
                )
                for tab, page, text in zip(tabs, pages, texts, strict=True)
            )
        )
        won = [STALE_ENTRY not in body and status == 200 for status, _, body in results]
        outcomes[sum(won)] += 1
        both_won += all(won)
        stored = db_rows(
            database_url,
            "SELECT a.text FROM competition_entryanswer a JOIN competition_sectionspec s "
            "ON s.id = a.section_id WHERE a.entry_id = %s ORDER BY s.order LIMIT 1",
            (entry,),
        )[0][0]
        winner = [t for t, w in zip(texts, won, strict=True) if w]
        if len(winner) == 1 and stored != winner[0]:
            both_won += 1
    Check.report(
        both_won == 0 and outcomes[1] == 10,
        "two tabs saving one proposal at once: one wins, the other is warned",
        f"winners per attempt {dict(outcomes)}",
    )


def check_submit_race(base: str, email: str, entry: int, category: int, kinds, database_url):
    tabs = [Browser(base), Browser(base)]
    for tab in tabs:
        tab.login(email)
    path = f"/proposal/{entry}/ubah/"
    page = tabs[0].request(path)[2]
    files = {f"file_{k}": (f"l{k}.pdf", small_pdf(f"race{k}")) for k in kinds}
    tabs[0].request(path, editor_data(page, category, "siap dikirim"), files)
    pages = [tab.request(f"/proposal/{entry}/kirim/")[2] for tab in tabs]
    at_once(
        *(
            lambda tab=tab, page=page: tab.request(
                f"/proposal/{entry}/kirim/", {"csrfmiddlewaretoken": Browser.csrf(page)}
            )
            for tab, page in zip(tabs, pages, strict=True)
        )
    )
    ((changes, references),) = db_rows(
        database_url,
        "SELECT (SELECT count(*) FROM competition_statuschange WHERE entry_id = %s "
        "AND to_status = 'submitted'), (SELECT count(reference) FROM competition_entry "
        "WHERE id = %s AND status = 'submitted')",
        (entry, entry),
    )
    Check.report(
        changes == 1 and references == 1,
        "double submission at the same instant: one reference, one status change",
        f"{changes} status changes",
    )


def check_sheet_race(base: str, judge: str, database_url: str):
    tabs = [Browser(base), Browser(base)]
    for tab in tabs:
        tab.login(judge)
    _, _, listing = tabs[0].request("/penilaian/competition/assignment/")
    assignment = re.findall(r"/penilaian/competition/assignment/(\d+)/", listing)[0]
    path = f"/penilaian/competition/assignment/{assignment}/"
    _, _, page = tabs[0].request(path)
    if 'name="decision"' in page:
        tabs[0].request(path, {"csrfmiddlewaretoken": Browser.csrf(page), "decision": "none"})
    both_won = 0
    outcomes = Counter()
    for attempt in range(10):
        pages = [tab.request(path)[2] for tab in tabs]
        version = VERSION.search(pages[0]).group(1)
        calls = []
        for n, (tab, page) in enumerate(zip(tabs, pages, strict=True)):
            data = {
                "csrfmiddlewaretoken": Browser.csrf(page),
                "version": version,
                "general_comment": f"tab {n} percobaan {attempt}",
                "action": "draft",
            }
            for criterion in SCORE.findall(page):
                data[f"score_{criterion}"] = str(50 + n * 10 + attempt)
            calls.append(lambda tab=tab, data=data: tab.request(path, data))
        results = at_once(*calls)
        won = [status == 200 and "errorlist" not in body for status, _, body in results]
        outcomes[sum(won)] += 1
        both_won += all(won)
    Check.report(
        both_won == 0 and outcomes[1] == 10,
        "two tabs of one judge saving one sheet at once: one wins, the other is warned",
        f"winners per attempt {dict(outcomes)}",
    )


def restart_postgres() -> float:
    version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]
    started = time.time()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True
    )
    return time.time() - started


def rush_with_restart(base, users, kinds, restart: bool, database_url: str):
    """Users save, upload and submit while PostgreSQL restarts; each retries like a person."""
    receipts: dict[int, bool] = {}
    errors = Counter()
    started = threading.Event()
    progress = Counter()
    submitted_at: dict[int, float] = {}

    class Interrupted(Exception):
        """A step failed: the person starts the journey again after a pause."""

    def person(email, entry, category):
        browser = Browser(base)
        editor, submit = f"/proposal/{entry}/ubah/", f"/proposal/{entry}/kirim/"
        receipt = f"/proposal/{entry}/tanda-terima/"

        def get(step, path, ok):
            try:
                status, url, body = browser.request(path)
            except OSError as exc:
                errors[f"{step}: {type(exc).__name__}"] += 1
                raise Interrupted from exc
            if status != 200 or not ok(url, body):
                errors[f"{step}: HTTP {status}"] += 1
                raise Interrupted
            return body

        def post(step, path, data, files=None):
            try:
                status, url, body = browser.request(path, data, files)
            except OSError as exc:
                errors[f"{step}: {type(exc).__name__}"] += 1
                raise Interrupted from exc
            if status != 200:
                errors[f"{step}: HTTP {status}"] += 1
                raise Interrupted
            return url, body

        def journey() -> bool:
            files = {f"file_{k}": (f"l{k}.pdf", small_pdf(f"{entry}-{k}")) for k in kinds}
            for round_, upload in enumerate([None, files]):
                page = get("editor", editor, lambda url, body: VERSION.search(body))
                post("save", editor, editor_data(page, category, f"draf {round_}"), upload)
                progress["saves"] += 1
                time.sleep(random.random())
            page = get("submit page", submit, lambda url, body: Browser.csrf(body))
            url, _ = post("submit", submit, {"csrfmiddlewaretoken": Browser.csrf(page)})
            return "tanda-terima" in url

        for _ in range(20):
            try:
                if browser.login(email):
                    break
            except OSError:
                pass
            errors["login: refused or failed"] += 1
            time.sleep(2)
        progress["signed_in"] += 1
        started.wait()
        # A person keeps trying for a couple of minutes, checking first whether the last
        # attempt went through after all (its answer may have been lost).
        for attempt in range(10):
            try:
                if attempt and get("receipt", receipt, lambda url, body: "tanda-terima" in url):
                    receipts[entry] = True
                    return
            except Interrupted:
                pass
            try:
                if journey():
                    receipts[entry] = True
                    submitted_at[entry] = time.time()
                    return
                errors["submit: refused"] += 1
            except Interrupted:
                pass
            time.sleep(min(10, 1.5**attempt) + random.random())
        receipts[entry] = False

    threads = [threading.Thread(target=person, args=u) for u in users]
    for t in threads:
        t.start()
    # Everyone signs in first (sessions last a working day); then the rush starts.
    deadline = time.time() + 300
    while progress["signed_in"] < len(users) and time.time() < deadline:
        time.sleep(0.2)
    started.set()
    restart_took = None
    restart_began = float("inf")
    if restart:
        # Restart once a third of the users have saved something, mid-rush.
        deadline = time.time() + 60
        while progress["saves"] < len(users) // 3 and time.time() < deadline:
            time.sleep(0.1)
        restart_began = time.time()
        restart_took = restart_postgres()
    for t in threads:
        t.join(timeout=300)

    rows = db_rows(
        database_url,
        "SELECT e.id, e.status, e.reference IS NOT NULL, e.submitted_at IS NOT NULL, "
        "(SELECT count(*) FROM competition_statuschange s WHERE s.entry_id = e.id "
        " AND s.to_status = 'submitted'), "
        "(SELECT count(*) FROM competition_attachment a WHERE a.entry_id = e.id) "
        "FROM competition_entry e WHERE e.id = ANY(%s)",
        ([entry for _, entry, _ in users],),
    )
    complete = untouched = broken = 0
    for _, status, has_ref, has_time, changes, files in rows:
        if status == "submitted" and has_ref and has_time and changes == 1 and files >= len(kinds):
            complete += 1
        elif status == "draft" and not has_ref and changes == 0:
            untouched += 1
        else:
            broken += 1
    submitted = {entry for entry, status, *_ in rows if status == "submitted"}
    lost = [entry for entry, ok in receipts.items() if ok and entry not in submitted]
    stored = (
        {str(p.relative_to(MEDIA)) for p in (MEDIA / "entries").rglob("*") if p.is_file()}
        if (MEDIA / "entries").exists()
        else set()
    )
    referenced = {
        name for (name,) in db_rows(database_url, "SELECT file FROM competition_attachment")
    }
    orphans = stored - referenced
    missing = referenced - stored
    detail = (
        f"{len(users)} users, PostgreSQL restart took {restart_took:.1f} s, "
        if restart_took is not None
        else f"{len(users)} users, no restart, "
    )
    after = sum(1 for t in submitted_at.values() if t > restart_began)
    detail += (
        f"{after} submitted after the restart began, {complete} fully submitted, "
        f"{untouched} untouched drafts, {broken} half-written, "
        f"{len(lost)} receipts without a submitted entry; retried errors {dict(errors)}"
    )
    Check.report(
        broken == 0 and not lost and complete + untouched == len(users),
        "PostgreSQL restarting during the rush loses no submission and leaves none half-written",
        detail,
    )
    Check.report(
        not orphans and not missing,
        "every stored file has its row and every row its file",
        f"{len(stored)} files, {len(orphans)} orphans, {len(missing)} missing",
    )
    Check.report(
        complete == len(users),
        "every user got the entry submitted after retrying",
        f"{complete} of {len(users)}",
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--no-restart", action="store_true")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)

    OUT.mkdir(exist_ok=True)
    drop_postgres_database(DATABASE)
    database_url = ensure_postgres_database(DATABASE)
    seed_rush(database_url, MEDIA)
    users, kinds, judges = plan(database_url)
    server, port = start_gunicorn(database_url, MEDIA, name="faults")
    base = f"http://127.0.0.1:{port}"
    try:
        email, entry, category = users[-1]
        check_entry_race(base, email, entry, category, database_url)
        check_submit_race(base, email, entry, category, kinds, database_url)
        check_sheet_race(base, judges[0], database_url)
        rush_with_restart(base, users[: args.users], kinds, not args.no_restart, database_url)
    finally:
        stop_gunicorn(server)
        if not args.keep:
            drop_postgres_database(DATABASE)
    print(f"{Check.failures} check(s) failed" if Check.failures else "all checks passed")
    return 1 if Check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
