from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from accounts.scope import desk_scope
from accounts.visible import active_elections_with_regencies
from elections.models import Election
from regions.models import Regency
from reports.selectors import province_overview, regency_home
from votingday.room import situation_rows

from .dashboard import TODAY_STATES, province_panels
from .maps import regency_map_svg
from .models import ActionItem, CoordinationMeeting


@login_required
def home(request):
    """The start page of each role: the officer's regency, or the province for the secretariat."""
    scope = desk_scope(request.user)
    now = timezone.now()
    if scope.is_officer and scope.regency_code:
        regency = Regency.objects.select_related("province").get(pk=scope.regency_code)
        election = Election.objects.active_for(regency)
        desk = regency_home(election=election, regency=regency, now=now) if election else None
        next_meeting = (
            CoordinationMeeting.objects.filter(election=election).upcoming(now).select_related("election").first()
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
    if scope.is_secretariat or scope.is_admin:
        followed = active_elections_with_regencies(request.user)
        overviews = []
        for election, regencies in followed:
            overview = province_overview(election=election, regencies=regencies, now=now)
            overview["panels"] = province_panels(election=election, regencies=regencies, user=request.user, now=now)
            overview["map"] = regency_map_svg(
                election=election, regencies=regencies, states={row["regency"].pk: row["state"] for row in
                                                                overview["rows"]})
            overviews.append(overview)
        # Without an active election the page lists the regencies the user sees.
        regencies = [] if followed else list(Regency.objects.for_user(request.user).select_related("province"))
        return render(
            request, "desk/home_secretariat.html",
            {"elections": [election for election, _regencies in followed], "regencies": regencies,
             "overviews": overviews, "today_states": TODAY_STATES},
        )
    return render(request, "desk/home_no_role.html", status=403)
