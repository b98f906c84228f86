from django.utils.translation import gettext_lazy as _

from core.clocks import Span, register_clock

RECOMMENDATION = "inspection_recommendation"
LABELS = {RECOMMENDATION: _("Inspection recommendation carried out")}


def register() -> None:
    # The due date is set by the inspection's conclusion; the span is only a fallback.
    register_clock(RECOMMENDATION, Span(days=30))
