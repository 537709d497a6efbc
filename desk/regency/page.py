"""One regency on one page: its report calendar, districts, logistics, violations, flags and officers.

A fixed number of queries whatever the length of the window or the number of
records: each stream is read once, in whole sets.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db.models import Count, F

from compliance.models import Flag
from logistics.selectors import distribution_progress, logistics_status_by_regency
from regions.models import District
from reports.models import DailyReport
from reports.selectors import day_states
from violations.models import ViolationIncident
from votingday.models import RevoteTps
from votingday.selectors import repeat_decisions

from ..graphics.maps import district_map_svg
from ..graphics.svg import day_state_look
from ..models import ActionItem


def report_calendar(*, election, regency, now):
    """The whole reporting window as weeks (Monday first) of day cells: state, look and report id."""
    dates = list(election.reporting_dates(until=election.reporting_end))
    states = day_states(election=election, regencies=[regency.pk], dates=dates, now=now)
    reports = dict(
        DailyReport.objects.filter(election=election, regency=regency).values_list("report_date", "pk")
    )
    today = election.local_date(now)
    cells = [None] * dates[0].weekday() if dates else []
    for day in dates:
        state = states.get((regency.pk, day))
        cells.append({"date": day, "state": state, "look": day_state_look(state), "report_id": reports.get(day),
                      "is_today": day == today, "is_voting_day": day == election.voting_day,
                      "month_starts": day.day == 1 or day == dates[0]})
    cells += [None] * (-len(cells) % 7)
    return [cells[start:start + 7] for start in range(0, len(cells), 7)]


def regency_officers(regency):
    """The regency's active officers with their WhatsApp numbers (one query)."""
    return list(
        get_user_model().objects.filter(desk_profile__regency=regency, is_active=True)
        .select_related("desk_profile").order_by("username")
    )


def regency_page(*, election, regency, now):
    """Everything the regency page shows, for the election and `now`."""
    latest = (
        DailyReport.objects.filter(election=election, regency=regency)
        .select_related("submitted_by").order_by("-report_date").first()
    )
    incidents = list(
        ViolationIncident.objects.filter(election=election, regency=regency)
        .select_related("district", "candidate_pair__contest").order_by("-occurred_at", "-pk")
    )
    notes = (latest.district_notes or {}) if latest else {}
    districts = list(District.objects.filter(regency=regency).order_by("code"))
    incident_districts = {incident.district_id for incident in incidents if incident.district_id}
    status = logistics_status_by_regency(election=election, regencies=[regency])[0]
    progress = distribution_progress(election=election, regencies=[regency])[0].progress
    return {
        "today": election.local_date(now),
        "phase": election.phase_on(election.local_date(now)),
        "calendar": report_calendar(election=election, regency=regency, now=now),
        "latest": latest,
        "districts": [
            {"number": number, "district": district, "note": notes.get(district.code, ""),
             "incidents": sum(1 for incident in incidents if incident.district_id == district.code)}
            for number, district in enumerate(districts, start=1)
        ],
        "district_map": district_map_svg(
            regency=regency, noted=[code for code, note in notes.items() if note], incidents=incident_districts,
            numbers={district.code: number for number, district in enumerate(districts, start=1)},
        ),
        "logistics": status,
        "progress": progress,
        "incidents": incidents,
        "open_flags": list(Flag.objects.open().filter(election=election, regency=regency).order_by("-date")),
        "officers": regency_officers(regency),
        # The Rakor's decisions for this desk: open ones first, by due date.
        "action_items": list(
            ActionItem.objects.filter(meeting__election=election, regency=regency)
            .select_related("meeting", "done_by")
            .order_by(F("done_at").asc(nulls_first=True), "due_date", "pk")
        ),
        "window": (election.reporting_start, election.reporting_end),
        # The Constitutional Court's re-vote and recount decisions for this regency's races.
        "court_decisions": repeat_decisions(election=election, regency=regency),
        # The re-votes (PSU) scheduled for this regency's TPS: per date, how many TPS.
        "revotes": list(RevoteTps.objects.filter(election=election, regency=regency).order_by("date")
                        .values("date").annotate(tps=Count("pk")).values_list("date", "tps")),
        "days_to_voting": (election.voting_day - election.local_date(now)) // dt.timedelta(days=1),
    }
