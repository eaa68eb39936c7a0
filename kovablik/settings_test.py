"""Test settings: fast hashing, mail kept in memory, uploads in a throwaway folder."""

import tempfile
from pathlib import Path

from kovablik.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run at once, in the test's process: a test that commits sees its mail in
# mail.outbox. Tests of the worker itself switch to the database backend.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="kovablik-test-media-"))
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# A test's region profile lives as long as the test (tests/conftest.py resets it).
REGION_PROFILE_CACHE_SECONDS = 24 * 3600
