from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScaleConfig(AppConfig):
    """The national-scale benchmark (docs/performance.md): no models, one benchmark."""

    name = "scale"
    verbose_name = _("National-scale benchmark")

    def ready(self) -> None:
        from scale import benchmark  # noqa: F401 — registers `manage.py benchmark scale`
