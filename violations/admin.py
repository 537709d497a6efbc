from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import CorrectionAdminMixin, CorrectionForm, ReadOnlyAdminMixin
from elections.models import CandidatePair
from regions.models import District, PollingStation, Village

from .forms import IncidentForm
from .models import IncidentEvent, IncidentEvidence, ViolationIncident
from .services import EDITABLE_FIELDS, incident_edit


class ViolationIncidentCorrectionForm(CorrectionForm):
    """What the officer recorded (the desk form's fields), corrected through `incident_edit`; never the status.

    The place and pair lists offer the incident's regency; `incident_edit`
    says plainly when a choice lies elsewhere.
    """

    content_fields = EDITABLE_FIELDS
    occurred_at = IncidentForm.base_fields["occurred_at"]
    category = IncidentForm.base_fields["category"]
    district = IncidentForm.base_fields["district"]
    village = IncidentForm.base_fields["village"]
    tps = IncidentForm.base_fields["tps"]
    candidate_pair = IncidentForm.base_fields["candidate_pair"]
    origin = IncidentForm.base_fields["origin"]
    description = IncidentForm.base_fields["description"]

    class Meta(CorrectionForm.Meta):
        model = ViolationIncident

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        regency, election = self.instance.regency, self.instance.election
        unknown = ("", _("(tidak diketahui)"))
        self.fields["district"].widget.choices = [
            unknown, *((d.pk, d.name) for d in District.objects.filter(regency=regency).order_by("code"))]
        self.fields["village"].widget.choices = [unknown, *(
            (v.pk, f"{v.district.name} · {v.name}")
            for v in Village.objects.filter(regency=regency).select_related("district").order_by("code"))]
        self.fields["tps"].widget.choices = [("", _("(bukan di TPS)")), *(
            (tps.pk, f"{tps.village.name} · " + _("TPS %(number)03d") % {"number": tps.number})
            for tps in PollingStation.objects.filter(regency=regency).select_related("village")
            .order_by("village_id", "number"))]
        pairs = (CandidatePair.objects.voting_in(regency).filter(contest__election=election)
                 .select_related("contest").order_by("contest__kind", "number"))
        self.fields["candidate_pair"].widget.choices = [
            ("", _("(tidak terkait pasangan calon)")), *((pair.pk, str(pair)) for pair in pairs)]

    def initial_content(self):
        initial = super().initial_content()
        for name in ("district", "village", "tps", "candidate_pair"):
            initial[name] = getattr(self.instance, f"{name}_id")
        return initial

    def correct(self, *, by, version, reason, now):
        changes = {name: self.cleaned_data.get(name) for name in EDITABLE_FIELDS}
        incident_edit(incident=self.instance, by=by, now=now, version=version, reason=reason, **changes)


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
class ViolationIncidentAdmin(CorrectionAdminMixin, SimpleHistoryAdmin):
    """Incidents are written by the desks; an admin corrects what was recorded here, through `incident_edit`.

    The status moves only along the workflow (`incident_move`), never here.
    """

    correction_form = ViolationIncidentCorrectionForm

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
