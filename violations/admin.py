from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from pilkada_desk.admin import ReadOnlyAdminMixin

from .models import IncidentEvent, IncidentEvidence, ViolationIncident


class IncidentEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = IncidentEvent
    extra = 0
    fields = ["at", "by", "from_status", "to_status", "forwarded_to", "reference", "outcome", "note"]


class IncidentEvidenceInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = IncidentEvidence
    extra = 0
    # The stored name, not a link: evidence is served only through the desk's scoped views.
    fields = ["stored_name", "original_name", "kind", "size", "sha256", "latitude", "longitude", "uploaded_by",
              "uploaded_at"]
    readonly_fields = ["stored_name"]

    @admin.display(description=_("berkas"))
    def stored_name(self, evidence):
        return evidence.file.name


@admin.register(ViolationIncident)
class ViolationIncidentAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Incidents are written by the desks through the services; here they are read with their history."""

    list_display = ["__str__", "occurred_at", "regency", "category", "status", "reported_by", "reported_at"]
    list_filter = ["status", "category", "election", "regency"]
    search_fields = ["description", "reference", "regency__code", "regency__name"]
    date_hierarchy = "occurred_at"
    list_select_related = ["regency", "reported_by"]
    inlines = [IncidentEventInline, IncidentEvidenceInline]


@admin.register(IncidentEvidence)
class IncidentEvidenceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "incident", "kind", "size", "uploaded_by", "uploaded_at"]
    list_filter = ["kind"]
    search_fields = ["original_name", "sha256"]
    list_select_related = ["incident", "uploaded_by"]
    exclude = ["file"]
    readonly_fields = ["stored_name"]

    @admin.display(description=_("berkas"))
    def stored_name(self, evidence):
        return evidence.file.name


@admin.register(IncidentEvent)
class IncidentEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The status timeline of every incident: who moved it, when, where to."""

    list_display = ["incident", "at", "by", "from_status", "to_status", "forwarded_to", "reference", "outcome"]
    list_filter = ["to_status", "forwarded_to"]
    search_fields = ["reference", "note"]
    list_select_related = ["incident", "by"]
