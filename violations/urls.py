app_name = "violations"

urlpatterns = []
