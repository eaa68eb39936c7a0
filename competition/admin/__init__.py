"""The organiser's admin, one module per area; each module registers its own models."""

from . import judging, results, setup  # noqa: F401
