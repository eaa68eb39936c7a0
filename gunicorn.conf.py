"""gunicorn's settings for the portal, read by ``gunicorn -c gunicorn.conf.py kovablik.wsgi``.

Sync workers, one per core the process may run on (``GUNICORN_WORKERS`` overrides): the
count the load test has always measured. On 2 cores 4 sync workers showed no better rush
than 2 (bench/README.md, "Profiles"), so nothing measured supports more processes than
cores on a server whose PostgreSQL needs its share of them. Threads
(gthread) were tried in November and not kept: no better quantiles, and idle keep-alive
connections closed under the clients' feet; the image checks in competition/uploads.py
also switch a Pillow setting process-wide.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", len(os.sched_getaffinity(0))))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
accesslog = "-"
