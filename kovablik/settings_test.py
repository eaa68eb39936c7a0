"""Test settings: fast hashing, mail kept in memory, uploads in a throwaway folder."""

import tempfile
from pathlib import Path

from kovablik.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="kovablik-test-media-"))
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405

# Client.force_login() signs in through the first backend that has get_user(); the
# permission-only backends have one that returns nobody, so the model backend goes first
# here. Axes stays out of force_login's way (it only wraps authenticate()).
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.AllowAllUsersModelBackend",
    *(b for b in AUTHENTICATION_BACKENDS if not b.endswith("AllowAllUsersModelBackend")),  # noqa: F405
]
