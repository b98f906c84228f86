from django.urls import path

from documents import views

app_name = "documents"
urlpatterns = [
    path(
        "cases/<int:case_id>/documents/<str:key>-<int:record_id>.<str:fmt>",
        views.case_document,
        name="case_document",
    ),
    path(
        "inspections/<int:inspection_id>/conclusion.<str:fmt>",
        views.inspection_conclusion,
        name="inspection_conclusion",
    ),
    path("reports/plan-report.<str:fmt>", views.plan_outcome_report, name="plan_report"),
]
