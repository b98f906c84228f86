from django.urls import path

from documents import views

app_name = "documents"
urlpatterns = [
    path(
        "cases/<int:case_id>/documents/<str:key>-<int:record_id>.<str:fmt>",
        views.case_document,
        name="case_document",
    ),
]
