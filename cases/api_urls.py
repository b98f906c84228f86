from cases.api.views import CaseViewSet, SeparationViewSet, TransferViewSet
from core.api_routers import TypedIdRouter

router = TypedIdRouter()
router.register("cases", CaseViewSet, basename="case")
router.register("transfers", TransferViewSet, basename="case-transfer")
router.register("separations", SeparationViewSet, basename="separation")

urlpatterns = [*router.urls]
