from django.urls import path

from core.api import (
    AgencyViewSet,
    MeView,
    MyTokensView,
    MyTokenView,
    ObtainTokenView,
    SignOutView,
    UnitViewSet,
)
from core.api_routers import TypedIdRouter

router = TypedIdRouter()
router.register("units", UnitViewSet, basename="unit")
router.register("agencies", AgencyViewSet, basename="agency")

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("auth/logout/", SignOutView.as_view(), name="api-logout"),
    path("me/", MeView.as_view(), name="api-me"),
    path("me/tokens/", MyTokensView.as_view(), name="api-my-tokens"),
    path("me/tokens/<int:token_id>/", MyTokenView.as_view(), name="api-my-token"),
    *router.urls,
]
