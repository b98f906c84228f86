from core.api_routers import TypedIdRouter
from inspections.api.views import InspectedSubjectViewSet, InspectionViewSet, RecommendationViewSet

router = TypedIdRouter()
router.register("inspections", InspectionViewSet, basename="inspection")
router.register("recommendations", RecommendationViewSet, basename="inspection-recommendation")
router.register("inspection-subjects", InspectedSubjectViewSet, basename="inspected-subject")

urlpatterns = [*router.urls]
