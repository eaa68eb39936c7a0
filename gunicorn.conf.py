"""gunicorn's settings for the portal, read by ``gunicorn -c gunicorn.conf.py kovablik.wsgi``.

Sync workers, twice as many as the cores the process may run on (``GUNICORN_WORKERS``
overrides). A request spends part of its time waiting for PostgreSQL, which runs on the
same server: with one worker per core the core idles meanwhile, and during the deadline
rush every request queues behind the two in flight. Measured against 2 workers on 2 cores
in one run (bench/README.md, "Profiles"). Threads (gthread) were tried in November and
not kept: no better quantiles, and idle keep-alive connections closed under the clients'
feet; Pillow's strict-decoding switch in competition/uploads.py is also process-wide.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * len(os.sched_getaffinity(0))))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
accesslog = "-"
