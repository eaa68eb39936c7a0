"""The cyclic garbage collector paused while a national result is built.

Python frees an object as soon as nothing refers to it; the cyclic collector exists only
for reference cycles, and every time enough new objects pile up it walks every object
the process holds (Django's own included, about 200,000). A national leaderboard, final
ranking or score recap keeps 100,000 rows, dicts and tuples alive until the response is
written: that triggers such a full walk once or twice a request, a third of the page's
CPU time, and finds nothing (these structures hold no cycles). Paused while they are
built, the collector resumes afterwards with everything it would have seen.
"""

import gc
from contextlib import contextmanager


@contextmanager
def collector_paused():
    """Pause the cyclic collector for the block (or the decorated call), nested or not."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
