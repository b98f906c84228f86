from django.urls import path

from reports.api import IndicatorsView

urlpatterns = [path("reports/indicators/", IndicatorsView.as_view(), name="api-indicators")]
