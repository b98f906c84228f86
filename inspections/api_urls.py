from rest_framework.routers import DefaultRouter

from inspections.api.views import InspectedSubjectViewSet, InspectionViewSet, RecommendationViewSet

router = DefaultRouter()
router.register("inspections", InspectionViewSet, basename="inspection")
router.register("recommendations", RecommendationViewSet, basename="inspection-recommendation")
router.register("inspection-subjects", InspectedSubjectViewSet, basename="inspected-subject")

urlpatterns = [*router.urls]
