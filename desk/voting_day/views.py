"""The voting-day situation room (`/voting-day/`): every regency the user sees; its panel refreshes itself."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from accounts.scope import require_desk_role
from elections.visible import active_elections_with_regencies
from votingday.room import situation_rows

from .room import COUNTED_LOOKS, counted_map_svg

REFRESH_SECONDS = 60


def _rooms(request):
    scope = require_desk_role(request.user)
    now = timezone.now()
    rooms = []
    for election, regencies in active_elections_with_regencies(request.user):
        rows = situation_rows(election=election, regencies=regencies, now=now)
        rooms.append({
            "election": election, "rows": rows,
            "map": counted_map_svg(rows=rows) if not scope.is_officer else "",
            "totals": {key: sum(row["counts"][key] for row in rows) for key in ("opened", "closed", "counted")},
            "tps_total": sum(row["tps_total"] for row in rows),
            "problems": sum(len(row["problems"]) for row in rows),
        })
    return {"rooms": rooms, "now": now, "scope": scope, "refresh_seconds": REFRESH_SECONDS,
            "counted_looks": COUNTED_LOOKS}


@login_required
def voting_day_room(request):
    """The situation room: each regency's rounds, TPS bars, turnout, problem TPS, and the map."""
    return render(request, "desk/voting_day.html", _rooms(request))


@login_required
def voting_day_panel(request):
    """The room's changing part alone, fetched every minute by desk/voting_day.js."""
    return render(request, "desk/voting_day_panel.html", _rooms(request))
