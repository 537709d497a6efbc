from rest_framework.routers import SimpleRouter

from .api import ContactViewSet

router = SimpleRouter()
router.register("contacts", ContactViewSet, basename="contact")
urlpatterns = router.urls
