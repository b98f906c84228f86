from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.intake, name="intake"),
    path("queue/", views.chair_queue, name="queue"),
    path("<int:case_id>/", views.case_detail, name="detail"),
]
