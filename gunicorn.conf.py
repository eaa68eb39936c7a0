"""gunicorn's settings for the portal, read by ``gunicorn -c gunicorn.conf.py kovablik.wsgi``.

Sync workers, one per core the process may run on (``GUNICORN_WORKERS`` overrides).
Measured on 2 cores in one interleaved run (bench/README.md, "Profiles"): 4 sync workers
against 2 gave no better deadline rush (p95 pair median 1.82 against 2cdee9e, the same as
the code change alone on 2 workers, 1.84, on a machine at load 4-11), so nothing supports
more processes than cores; PostgreSQL on the same server needs its share too. Threads
(gthread) were tried in November and not kept: no better quantiles, and idle keep-alive
connections closed under the clients' feet; the image checks in competition/uploads.py
also switch a Pillow setting process-wide.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", len(os.sched_getaffinity(0))))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
accesslog = "-"
