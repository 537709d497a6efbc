from rest_framework.routers import SimpleRouter

from .regions_api import RegencyViewSet

router = SimpleRouter()
router.register("regencies", RegencyViewSet, basename="regency")
urlpatterns = router.urls
