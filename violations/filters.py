"""The incident list's filters, shared by the web page and the API."""

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scope import regions_for
from elections.models import CandidatePair
from regions.models import Regency

from .constants import Category, Status
from .models import ViolationIncident
from .querysets import overdue_q


def _regencies(request):
    return regions_for(request.user, Regency) if request else Regency.objects.none()


def _pairs(request):
    if request is None:
        return CandidatePair.objects.none()
    return (
        CandidatePair.objects.for_user(request.user).filter(contest__election__is_active=True)
        .select_related("contest__regency").order_by("contest__kind", "contest__regency_id", "number")
    )


def pair_label(pair):
    """`Pilgub 01 A - B` or `Kota Samarinda 01 C - D`: the race and the pair."""
    contest = pair.contest
    race = contest.regency.name if contest.regency_id else _("Pilgub")
    return f"{race} · {pair}"


class IncidentFilter(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(choices=Category.choices, label=_("Kategori"))
    status = django_filters.ChoiceFilter(choices=Status.choices, label=_("Status"))
    regency = django_filters.ModelChoiceFilter(queryset=_regencies, label=_("Kabupaten/kota"))
    candidate_pair = django_filters.ModelChoiceFilter(queryset=_pairs, label=_("Pasangan calon"))
    date_from = django_filters.DateFilter(
        field_name="occurred_at", lookup_expr="date__gte", label=_("Kejadian sejak"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        field_name="occurred_at", lookup_expr="date__lte", label=_("Kejadian sampai"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", label=_("Lewat 7 hari belum diteruskan"),
        widget=forms.Select(choices=[("", _("Semua")), ("true", _("Ya")), ("false", _("Tidak"))]),
    )

    class Meta:
        model = ViolationIncident
        fields = ["category", "status", "regency", "candidate_pair", "date_from", "date_to", "overdue"]

    def __init__(self, *args, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()
        self.filters["candidate_pair"].field.label_from_instance = pair_label

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue_q(self.now)) if value else queryset.exclude(overdue_q(self.now))
