from django.urls import path
from rest_framework.authtoken.views import obtain_auth_token

from core.api import AgencyViewSet, MeView, UnitViewSet
from core.api_routers import TypedIdRouter

router = TypedIdRouter()
router.register("units", UnitViewSet, basename="unit")
router.register("agencies", AgencyViewSet, basename="agency")

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("me/", MeView.as_view(), name="api-me"),
    *router.urls,
]
