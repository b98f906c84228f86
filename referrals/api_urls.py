from core.api_routers import TypedIdRouter
from referrals.api.views import ReferralViewSet

router = TypedIdRouter()
router.register("referrals", ReferralViewSet, basename="referral")

urlpatterns = [*router.urls]
