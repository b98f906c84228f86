from django.urls import path

from inspections import views

app_name = "inspections"

urlpatterns = [
    path("", views.inspection_list, name="list"),
    path("calendar/", views.inspection_calendar, name="calendar"),
    path("new/", views.inspection_plan, name="plan"),
    path("subjects/<int:subject_id>/", views.subject_history, name="subject"),
    path("<int:inspection_id>/", views.inspection_detail, name="detail"),
    path(
        "<int:inspection_id>/transitions/<str:name>/",
        views.inspection_transition,
        name="transition",
    ),
    path("<int:inspection_id>/subjects/", views.subject_name, name="subject_name"),
    path("<int:inspection_id>/findings/", views.finding_add, name="finding"),
    path("<int:inspection_id>/recommendations/", views.recommendation_add, name="recommendation"),
    path(
        "<int:inspection_id>/recommendations/<int:recommendation_id>/<str:outcome>/",
        views.recommendation_resolve,
        name="resolve",
    ),
]
