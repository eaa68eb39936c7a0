"""The organiser's admin, one module per area; each module registers its own models."""

from . import setup  # noqa: F401
from . import judging  # noqa: F401
from . import results  # noqa: F401
