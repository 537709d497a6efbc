"""Filters of the report lists, shared by the review page and the API."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.scope import regions_for
from regions.models import Regency

from .constants import Situation
from .models import DailyReport, ExcusedDay

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _yes_no(any_label):
    return forms.Select(choices=[("", any_label), ("true", _("Ya")), ("false", _("Tidak"))])


def _visible_regencies(request):
    if request is None:
        return Regency.objects.none()
    return regions_for(request.user, Regency)


class DailyReportFilter(django_filters.FilterSet):
    report_date = django_filters.DateFilter(label=_("Tanggal"), widget=DATE_INPUT)
    date_from = django_filters.DateFilter(
        field_name="report_date", lookup_expr="gte", label=_("Dari tanggal"), widget=DATE_INPUT)
    date_to = django_filters.DateFilter(
        field_name="report_date", lookup_expr="lte", label=_("Sampai tanggal"), widget=DATE_INPUT)
    regency = django_filters.ModelChoiceFilter(queryset=_visible_regencies, label=_("Kabupaten/kota"))
    situation = django_filters.ChoiceFilter(choices=Situation.choices, label=_("Situasi"))
    is_late = django_filters.BooleanFilter(label=_("Terlambat"), widget=_yes_no(_("Semua")))
    acknowledged = django_filters.BooleanFilter(
        field_name="acknowledged_at", lookup_expr="isnull", exclude=True, label=_("Sudah ditinjau"),
        widget=_yes_no(_("Semua")),
    )
    # By id, not a choice among all elections: a foreign id is simply no match.
    election = django_filters.NumberFilter(field_name="election_id", widget=forms.HiddenInput, label=_("Pemilihan"))

    class Meta:
        model = DailyReport
        fields = ["report_date", "date_from", "date_to", "regency", "situation", "is_late", "acknowledged"]


class ExcusedDayFilter(django_filters.FilterSet):
    regency = django_filters.ModelChoiceFilter(queryset=_visible_regencies)
    # By id, not a choice among all elections: a foreign id is simply no match.
    election = django_filters.NumberFilter(field_name="election_id")

    class Meta:
        model = ExcusedDay
        fields = ["regency", "date", "election"]
