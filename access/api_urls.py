from django.urls import path

from access import api

urlpatterns = [
    path("cases/<int:case_id>/access/", api.WhoCanSeeView.as_view(), name="case-access"),
    path("access/grants/", api.GrantView.as_view(), name="access-grant"),
    path("access/<int:access_id>/revoke/", api.RevokeView.as_view(), name="access-revoke"),
    path("access/break-glass/", api.BreakGlassView.as_view(), name="access-break-glass"),
    path("access/reviews/", api.ReviewListView.as_view(), name="access-reviews"),
    path("access/<int:access_id>/review/", api.ReviewView.as_view(), name="access-review"),
    path("access/users/<int:user_id>/", api.UserReachView.as_view(), name="access-user"),
]
