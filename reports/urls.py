from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.<str:fmt>", views.export, name="export"),
    path("official.xlsx", views.official_submission, name="official"),
    path("plan/", views.plan_outcome_page, name="plan"),
]
