from rest_framework.routers import DefaultRouter

from cases.api.views import CaseViewSet, SeparationViewSet, TransferViewSet

router = DefaultRouter()
router.register("cases", CaseViewSet, basename="case")
router.register("transfers", TransferViewSet, basename="case-transfer")
router.register("separations", SeparationViewSet, basename="separation")

urlpatterns = [*router.urls]
