from rest_framework.routers import SimpleRouter

from .api import CandidatePairViewSet

router = SimpleRouter()
router.register("candidate-pairs", CandidatePairViewSet, basename="candidate-pair")
urlpatterns = router.urls
