from django.urls import path

from reports.api import IndicatorsView, OfficialSubmissionView, PlanOutcomeView

urlpatterns = [
    path("reports/indicators/", IndicatorsView.as_view(), name="api-indicators"),
    path(
        "reports/official-submission/",
        OfficialSubmissionView.as_view(),
        name="api-official-submission",
    ),
    path("reports/plan-outcome/", PlanOutcomeView.as_view(), name="api-plan-outcome"),
]
