"""REST endpoints of this app, mounted under /api/v1/."""

from rest_framework.routers import SimpleRouter

from .api import LogisticsItemViewSet, LogisticsReceiptViewSet, LogisticsStatusViewSet

router = SimpleRouter()
router.register("logistics/items", LogisticsItemViewSet, basename="logistics-item")
router.register("logistics/receipts", LogisticsReceiptViewSet, basename="logistics-receipt")
router.register("logistics/status", LogisticsStatusViewSet, basename="logistics-status")
urlpatterns = router.urls
