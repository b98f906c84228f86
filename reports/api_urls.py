from django.urls import path

from reports.api import IndicatorsView, PlanOutcomeView

urlpatterns = [
    path("reports/indicators/", IndicatorsView.as_view(), name="api-indicators"),
    path("reports/plan-outcome/", PlanOutcomeView.as_view(), name="api-plan-outcome"),
]
