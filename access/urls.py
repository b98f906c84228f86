from django.urls import path

from access import views

app_name = "access"

urlpatterns = [
    path("case/<int:case_id>/grant/", views.grant, name="grant"),
    path("<int:access_id>/revoke/", views.revoke, name="revoke"),
    path("break-glass/", views.break_glass, name="break_glass"),
    path("reviews/", views.reviews, name="reviews"),
    path("users/", views.users, name="users"),
    path("users/<int:user_id>/", views.user_access, name="user"),
]
