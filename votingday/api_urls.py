"""REST endpoints of this app, mounted under /api/v1/."""

from rest_framework.routers import SimpleRouter

from .api import DisputeViewSet, RecapViewSet, RevoteViewSet, TpsStatusViewSet, VotingRoundViewSet

router = SimpleRouter()
router.register("voting-day", VotingRoundViewSet, basename="voting-round")
router.register("tps-status", TpsStatusViewSet, basename="tps-status")
router.register("revotes", RevoteViewSet, basename="revote")
router.register("recap", RecapViewSet, basename="recap")
router.register("disputes", DisputeViewSet, basename="dispute")
urlpatterns = router.urls
