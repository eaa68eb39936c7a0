"""Every e-mail goes through the outbox (outbox.services.mail_queue), never straight to SMTP.

A direct ``send_mail`` in a service or view would send inside the request (a slow or
broken mail server then breaks the page) and outside the transaction (mail for a change
that rolled back). This check names the file to switch to ``mail_queue``.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DIRECT = re.compile(
    r"\b(send_mail|send_mass_mail|EmailMessage|EmailMultiAlternatives|get_connection)\b"
)


def test_no_code_outside_the_outbox_talks_to_the_mail_server():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for app in ("competition", "opd", "kovablik")
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if DIRECT.search(line) and "def send_mail(" not in line
    ]

    assert offenders == [], "queue e-mail with outbox.services.mail_queue:\n" + "\n".join(offenders)
