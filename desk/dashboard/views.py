from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scope import desk_scope, regions_for
from elections.models import Election
from elections.visible import active_elections_with_regencies
from regions.models import Province, Regency
from reports.selectors import province_overview, regency_home
from votingday.room import situation_rows

from ..graphics.maps import regency_map_svg
from ..models import ActionItem, CoordinationMeeting
from .national import SORT_KEYS, national_rows
from .panels import TODAY_STATES, province_panels


@login_required
def home(request):
    """The start page of each role: the officer's regency, the province for the secretariat, every province for
    the national desk."""
    scope = desk_scope(request.user)
    now = timezone.now()
    if scope.is_officer and scope.regency_code:
        regency = Regency.objects.select_related("province").get(pk=scope.regency_code)
        election = Election.objects.active_for(regency)
        desk = regency_home(election=election, regency=regency, now=now) if election else None
        next_meeting = (
            CoordinationMeeting.objects.filter(election=election).upcoming(now).select_related("election__province").first()
            if election else None
        )
        open_items = list(ActionItem.objects.for_user(request.user).open().select_related("regency"))
        # On voting day the three round reports come first.
        rounds = (situation_rows(election=election, regencies=[regency], now=now)[0]["rounds"]
                  if election and election.local_date(now) == election.voting_day else None)
        return render(request, "desk/home_officer.html", {
            "regency": regency, "election": election, "desk": desk,
            "next_meeting": next_meeting, "open_items": open_items, "voting_rounds": rounds,
        })
    if scope.is_national:
        return _national_dashboard(request, now)
    if scope.manages:
        return _province_dashboard(request, active_elections_with_regencies(request.user), now)
    return render(request, "desk/home_no_role.html", status=403)


@login_required
def province_page(request, code):
    """One province's dashboard, as its secretariat sees it; read-only for the national desk."""
    scope = desk_scope(request.user)
    if not scope.oversees:
        raise Http404
    province = get_object_or_404(Province.objects.filter(scope.province_q()), pk=code)
    followed = [(election, regencies) for election, regencies in active_elections_with_regencies(request.user)
                if election.province_id == province.pk]
    return _province_dashboard(request, followed, timezone.now(), province=province)


def _province_dashboard(request, followed, now, province=None):
    overviews = []
    for election, regencies in followed:
        overview = province_overview(election=election, regencies=regencies, now=now)
        overview["panels"] = province_panels(election=election, regencies=regencies, user=request.user, now=now)
        overview["map"] = regency_map_svg(
            election=election, regencies=regencies, states={row["regency"].pk: row["state"] for row in
                                                            overview["rows"]})
        overviews.append(overview)
    # Without an active election the page lists the regencies the user sees.
    regencies = [] if followed else list(
        regions_for(request.user, Regency).filter(**({"province": province} if province else {}))
        .select_related("province")
    )
    return render(
        request, "desk/home_secretariat.html",
        {"elections": [election for election, _regencies in followed], "regencies": regencies,
         "overviews": overviews, "today_states": TODAY_STATES, "province": province},
    )


def _national_dashboard(request, now):
    sort = request.GET.get("sort", "province")
    if sort.lstrip("-") not in SORT_KEYS:
        sort = "province"
    rows = national_rows(now=now, sort=sort.lstrip("-"), descending=sort.startswith("-"))
    columns = [(key, label, sort.lstrip("-") == key, sort.startswith("-")) for key, label in NATIONAL_COLUMNS]
    return render(request, "desk/home_national.html", {
        "rows": rows, "columns": columns, "sort": sort, "now": now,
        "voting_started": any(row.voting for row in rows)})


NATIONAL_COLUMNS = [
    ("province", _("Provinsi")),
    ("reported", _("Melapor hari ini")),
    ("missed", _("Tidak melapor hari ini")),
    ("compliance", _("Kepatuhan sejak awal")),
    ("flags", _("Tanda terbuka")),
    ("incidents", _("Pelanggaran baru (24 jam)")),
    ("logistics", _("Logistik lengkap")),
]
