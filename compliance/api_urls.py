from rest_framework.routers import SimpleRouter

from .api import FlagViewSet

router = SimpleRouter()
router.register("flags", FlagViewSet, basename="flag")
urlpatterns = router.urls
