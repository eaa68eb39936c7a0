"""Docker HEALTHCHECK: asks /healthz the way the reverse proxy would (allowed host, HTTPS)."""

import os
import sys
import urllib.request

host = os.environ.get("ALLOWED_HOSTS", "").split(",")[0].strip().lstrip(".")
if not host or host == "*":
    host = "localhost"

request = urllib.request.Request(
    "http://127.0.0.1:8000/healthz",
    headers={"Host": host, "X-Forwarded-Proto": "https"},
)
try:
    # A fixed http:// address on the loopback, not a user-supplied URL.
    with urllib.request.urlopen(request, timeout=8) as response:  # noqa: S310
        sys.exit(0 if response.status == 200 else 1)
except OSError:
    sys.exit(1)
