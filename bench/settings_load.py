"""Production settings for the load and fault runs, minus the hashed static files.

``collectstatic`` is not part of what is measured (the rush never fetches static files),
so the plain storage spares the run a build step.
"""

from kovablik.settings import *  # noqa: F403

STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
