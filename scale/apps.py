from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScaleConfig(AppConfig):
    """The national-scale benchmarks (docs/performance.md): no models; the generated country
    timed page by page, and every list walked with every filter."""

    name = "scale"
    verbose_name = _("National-scale benchmark")

    def ready(self) -> None:
        from scale import benchmark, filters  # noqa: F401 — `manage.py benchmark scale|filters`
