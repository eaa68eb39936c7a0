"""The hostile tests reuse the hardening tests' open competition and draft entry."""

from tests.competition.hardening.conftest import competition, entry  # noqa: F401
