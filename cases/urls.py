from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.intake, name="intake"),
    path("queue/", views.chair_queue, name="queue"),
    path("<int:case_id>/", views.case_detail, name="detail"),
    path("<int:case_id>/transitions/<str:name>/", views.case_transition, name="transition"),
    path("<int:case_id>/correct/", views.case_correct, name="correct"),
    path("<int:case_id>/notes/", views.case_add_note, name="note"),
    path("<int:case_id>/sanctions/", views.case_record_sanction, name="sanction"),
    path("<int:case_id>/transfer/", views.case_transfer, name="transfer"),
    path("<int:case_id>/documents/", views.case_attach, name="attach"),
    path(
        "<int:case_id>/documents/<int:attachment_id>/",
        views.attachment_download,
        name="attachment",
    ),
    path("transfers/<int:transfer_id>/decide/", views.transfer_decide, name="transfer_decide"),
    path(
        "separations/<int:decision_id>/decide/",
        views.separation_decide,
        name="separation_decide",
    ),
]
