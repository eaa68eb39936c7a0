"""Django's shell, minus simple-history's generated models in its automatic imports."""

from django.apps import apps
from django.core.management.commands import shell
from simple_history.models import HistoricalChanges


class Command(shell.Command):
    """The ``Historical*`` models are built at run time and live on no module, so the
    shell could not import them and listed all thirteen at every start; their rows are
    reached through each model's ``history`` manager anyway."""

    def get_auto_imports(self):
        historical = {
            f"{model.__module__}.{model.__name__}"
            for model in apps.get_models()
            if issubclass(model, HistoricalChanges)
        }
        return [path for path in super().get_auto_imports() if path not in historical]
