"""REST endpoints of this app, mounted under /api/v1/."""

from rest_framework.routers import SimpleRouter

from .api import DailyReportViewSet, ExcusedDayViewSet

router = SimpleRouter()
router.register("daily-reports", DailyReportViewSet, basename="daily-report")
router.register("excused-days", ExcusedDayViewSet, basename="excused-day")
urlpatterns = router.urls
