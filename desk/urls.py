"""The secretariat's pages, which read every stream."""

urlpatterns = []
