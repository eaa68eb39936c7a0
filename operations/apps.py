from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the installation rather than the competition: the health check, backup and
    restore, the management shell. No models, so no name a user ever sees."""

    name = "operations"
