from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from core.admin import CorrectionAdminMixin, CorrectionForm, ReasonActionMixin
from regions.models import District

from .constants import CONTENT_FIELDS
from .forms import NOTE_PREFIX, DailyReportForm, ExcuseWithdrawForm
from .models import DailyReport, ExcusedDay
from .services import day_excuse_withdraw, report_edit


class DailyReportCorrectionForm(CorrectionForm):
    """The officer's content of a report (the desk form's fields), corrected through `report_edit`."""

    content_fields = CONTENT_FIELDS
    situation = DailyReportForm.base_fields["situation"]
    summary = DailyReportForm.base_fields["summary"]
    sources = DailyReportForm.base_fields["sources"]

    class Meta(CorrectionForm.Meta):
        model = DailyReport

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        desk = DailyReportForm(districts=self.districts(self.instance), editing=True)
        self.fields.update({name: field for name, field in desk.fields.items() if name.startswith(NOTE_PREFIX)})

    @staticmethod
    def districts(report):
        return District.objects.filter(regency_id=report.regency_id).only("code", "name").order_by("code")

    @classmethod
    def field_names(cls, obj):
        return [*super().field_names(obj), *(f"{NOTE_PREFIX}{district.code}" for district in cls.districts(obj))]

    def initial_content(self):
        return DailyReportForm.initial_from(self.instance)

    def correct(self, *, by, version, reason, now):
        data = {
            "situation": self.cleaned_data.get("situation"),
            "summary": self.cleaned_data.get("summary"),
            "sources": self.cleaned_data.get("sources") or [],
            "district_notes": {
                name.removeprefix(NOTE_PREFIX): value
                for name, value in self.cleaned_data.items() if name.startswith(NOTE_PREFIX) and value
            },
        }
        report_edit(report=self.instance, by=by, data=data, now=now, version=version, reason=reason)


@admin.register(DailyReport)
class DailyReportAdmin(CorrectionAdminMixin, SimpleHistoryAdmin):
    """Reports are written by the desks; an admin corrects their content here, through `report_edit`."""

    correction_form = DailyReportCorrectionForm
    list_display = ["report_date", "regency", "situation", "is_late", "submitted_by", "acknowledged_at"]
    list_filter = ["situation", "is_late", "regency"]
    search_fields = ["summary", "regency__code", "regency__name"]
    date_hierarchy = "report_date"
    list_select_related = ["regency", "submitted_by"]


@admin.register(ExcusedDay)
class ExcusedDayAdmin(ReasonActionMixin, SimpleHistoryAdmin):
    """Excuses are given by the secretariat; an admin withdraws a mistaken one here, saying why."""

    list_display = ["date", "regency", "reason", "excused_by", "excused_at"]
    list_filter = ["election", "regency"]
    date_hierarchy = "date"
    list_select_related = ["regency", "excused_by"]
    actions = ["withdraw"]

    @admin.action(description=_("Cabut pengecualian yang dipilih"), permissions=["correct"])
    def withdraw(self, request, queryset):
        def apply(excuse, data):
            day_excuse_withdraw(excuse=excuse, by=request.user, reason=data["reason"], now=timezone.now())
            return True

        return self.action_with_reason(
            request, queryset.select_related("regency"), form_class=ExcuseWithdrawForm,
            title=_("Cabut pengecualian"), submit=_("Cabut pengecualian"), apply=apply,
            done=lambda count: ngettext(
                "%(n)s pengecualian dicabut; hari itu dihitung lagi pada pemeriksaan berikutnya.",
                "%(n)s pengecualian dicabut; hari-hari itu dihitung lagi pada pemeriksaan berikutnya.",
                count,
            ) % {"n": count},
        )
