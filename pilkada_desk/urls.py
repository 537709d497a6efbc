from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from accounts.forms import AdminLoginForm

admin.site.site_header = "Desk Pilkada: data induk"
admin.site.site_title = "Desk Pilkada"
admin.site.login_form = AdminLoginForm

urlpatterns = [
    path("accounts/", include("accounts.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("reports/", include("reports.urls")),
    path("logistics/", include("logistics.urls")),
    path("violations/", include("violations.urls")),
    path("compliance/", include("compliance.urls")),
    path("contacts/", include("contacts.urls")),
    path("intake/", include("intake.urls")),
    path("", include("votingday.urls")),
    path("", include("offline.urls")),
    path("", include("desk.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("pilkada_desk.api_urls")),
]

# A database error outside a view (saving the session, say) is a readable 503 too.
handler500 = "core.unavailable.server_error"
