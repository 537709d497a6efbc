"""The Rakor brief: everything the desks sent since the previous meeting, for the meeting on one date.

"Since the previous meeting" is from the start of the last meeting before this
one (or the opening of the reporting window) up to the start of this meeting
(or the end of the date when none is scheduled on it). Report days counted are
those from the previous meeting's date up to the day before this one. A fixed
number of queries whatever the number of regencies, days and records.
"""

import datetime as dt
from collections import Counter, defaultdict

from django.db.models import OuterRef, Q, Subquery
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import DeskProfile
from compliance.models import Flag
from logistics.selectors import logistics_status_by_regency
from regions.models import Regency
from reports.constants import COUNTED_STATES
from reports.models import DailyReport
from reports.selectors import day_states
from violations.constants import Category, Status
from violations.models import ViolationIncident
from votingday.room import recap_overview, situation_rows

from ..graphics.charts import compliance_chart_svg
from ..graphics.maps import regency_map_svg
from ..models import ActionItem, CoordinationMeeting, MeetingAttendance

# The printed page: the chart's days spread over this many SVG units (8.5 pt text on A4), the map's labels
# a little smaller than on screen so that neighbours' names do not cover each other.
BRIEF_CHART_WIDTH = 560
BRIEF_MAP_FONT_SCALE = 0.8


def _local_midnight(election, day):
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=election.zone)


def meetings_around(*, election, date):
    """(the meeting on `date` or None, the meeting before it or None): one query. Cancelled ones are neither."""
    day_end = _local_midnight(election, date + dt.timedelta(days=1))
    latest = list(CoordinationMeeting.objects.held().filter(election=election, starts_at__lt=day_end)
                  .order_by("-starts_at")[:2])
    if latest and latest[0].local_start.date() == date:
        return latest[0], (latest[1] if len(latest) > 1 else None)
    return None, (latest[0] if latest else None)


def _latest_reports(election, codes, until):
    """{regency code: its latest report submitted before `until`}: one query."""
    latest = DailyReport.objects.filter(
        election=election, regency_id=OuterRef("code"), submitted_at__lt=until
    ).order_by("-report_date").values("pk")[:1]
    ids = Regency.objects.filter(code__in=codes).annotate(latest=Subquery(latest)).values("latest")
    return {report.regency_id: report for report in DailyReport.objects.filter(pk__in=ids)}


def brief_map_day(*, election, until):
    """The report date the brief's map shows: the last one whose deadline had passed at `until`, inside the
    reporting window (None before its first deadline)."""
    day = min(election.last_due_date(until), election.reporting_end)
    return day if day >= election.reporting_start else None


def rakor_brief(*, election, date, now, signer=None):
    """The brief's content for the meeting of `election` on `date` (local), as of `now`."""
    meeting, previous = meetings_around(election=election, date=date)
    since = previous.starts_at if previous else _local_midnight(election, election.reporting_start)
    until = meeting.starts_at if meeting else min(now, _local_midnight(election, date + dt.timedelta(days=1)))
    since_date = previous.local_start.date() if previous else election.reporting_start
    until_date = meeting.local_start.date() if meeting else date
    days = [day for day in election.reporting_dates(until=until_date - dt.timedelta(days=1)) if day >= since_date]

    regencies = list(Regency.objects.filter(province_id=election.province_id).order_by("code"))
    codes = [regency.code for regency in regencies]
    map_day = brief_map_day(election=election, until=until)
    states = day_states(election=election, regencies=codes, dates=sorted({*days, *filter(None, [map_day])}),
                        now=now)
    map_states = {code: state for (code, day), state in states.items() if day == map_day}
    states = {key: state for key, state in states.items() if key[1] in days}
    day_counts = defaultdict(Counter)
    for (code, _day), state in states.items():
        if state in COUNTED_STATES:
            day_counts[code][state] += 1
    logistics = {row.regency.code: row for row in logistics_status_by_regency(election=election, regencies=regencies)}
    incidents = list(
        ViolationIncident.objects.filter(election=election, reported_at__gte=since, reported_at__lt=until)
        .for_display().with_overdue(now).order_by("regency_id", "occurred_at")
    )
    flags = list(
        Flag.objects.filter(election=election, raised_at__lt=until)
        .filter(Q(resolved_at__isnull=True) | Q(resolved_at__gte=until)).order_by("regency_id", "date")
    )
    items = list(
        ActionItem.objects.filter(meeting__election=election, created_at__lt=until)
        .filter(Q(done_at__isnull=True) | Q(done_at__gte=since))
        .select_related("meeting__election", "done_by").order_by("regency_id", "due_date", "pk")
    )
    attendance = {
        row.regency_id: row for row in MeetingAttendance.objects.filter(meeting=previous)
    } if previous else {}
    reports = _latest_reports(election, codes, until)
    by_regency = {key: defaultdict(list) for key in ("incidents", "flags", "items")}
    for key, rows in (("incidents", incidents), ("flags", flags), ("items", items)):
        for row in rows:
            by_regency[key][row.regency_id].append(row)

    per_category = Counter((incident.category, incident.status) for incident in incidents)
    statuses = list(Status)
    return {
        "election": election,
        "province": election.province,
        "date": date,
        "meeting": meeting,
        "previous": previous,
        "since": since,
        "until": until,
        "days": days,
        "phase": election.phase_on(date),
        "days_to_voting": (election.voting_day - date).days,
        "days_after_voting": (date - election.voting_day).days,
        "day_totals": [(state, sum(counts[state] for counts in day_counts.values())) for state in COUNTED_STATES],
        "logistics_complete": sum(1 for row in logistics.values() if row.confirmed),
        "regency_count": len(regencies),
        "statuses": statuses,
        "violations_by_category": [
            (category, [per_category[(category.value, status.value)] for status in statuses],
             sum(per_category[(category.value, status.value)] for status in statuses))
            for category in Category if any(per_category[(category.value, s.value)] for s in statuses)
        ],
        "violations_by_status": [sum(per_category[(c.value, s.value)] for c in Category) for s in statuses],
        "violation_total": len(incidents),
        "open_flag_count": len(flags),
        # The province KPU's own recapitulation overdue: a flag of no regency.
        "province_flags": by_regency["flags"][None],
        "regencies": [
            {
                "regency": regency,
                "report": reports.get(regency.code),
                "days": [(state, day_counts[regency.code][state]) for state in COUNTED_STATES],
                "logistics": logistics.get(regency.code),
                "incidents": by_regency["incidents"][regency.code],
                "flags": by_regency["flags"][regency.code],
                "items": by_regency["items"][regency.code],
                "attendance": attendance.get(regency.code),
            }
            for regency in regencies
        ],
        # The map: each regency's report on the last day whose deadline had passed at the brief's moment (on
        # the meeting day before the cutoff, today is still "waiting" everywhere). The chart: the window's
        # days up to the meeting date, spread over the printed page's width.
        "map_day": map_day,
        "map": regency_map_svg(
            election=election, regencies=regencies, states=map_states, font_scale=BRIEF_MAP_FONT_SCALE,
            title=_("Laporan harian %(day)s per kabupaten/kota") % {"day": date_format(map_day, "l, j F Y")},
        ) if map_day else "",
        "chart": compliance_chart_svg(election=election, regencies=regencies, now=until, until=until_date,
                                      plot_width=BRIEF_CHART_WIDTH),
        # From voting day on: the rounds, TPS, turnout and problem TPS; after it the recapitulation and disputes.
        "voting_day": situation_rows(election=election, regencies=regencies, now=until)
        if date >= election.voting_day else None,
        "recap": recap_overview(election=election, regencies=regencies, now=until)
        if date > election.voting_day else None,
        "signer": DeskProfile.objects.filter(user=signer).first() if signer is not None else None,
        "now": now,
    }
