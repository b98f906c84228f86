from rest_framework.routers import DefaultRouter

from notifications.api import NotificationViewSet

router = DefaultRouter()
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns = [*router.urls]
