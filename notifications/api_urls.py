from core.api_routers import TypedIdRouter
from notifications.api import NotificationViewSet

router = TypedIdRouter()
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns = [*router.urls]
