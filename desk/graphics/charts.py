"""The compliance chart: per day of the reporting window, how the regencies stood (server-drawn SVG)."""

import itertools
from collections import Counter

from django.template.loader import render_to_string
from django.utils import formats
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from reports.constants import DayState
from reports.selectors import day_states

from .svg import DAY_STATE_LOOKS

_ids = itertools.count(1)

# Stacked bottom-up: what went well at the foot of each bar.
STACKED = [DayState.ON_TIME, DayState.LATE, DayState.EXCUSED, DayState.MISSED, DayState.DUE]
BAR, GAP, LEFT, TOP, HEIGHT, FOOT = 14, 4, 34, 16, 180, 46


def daily_compliance(*, election, regencies, now):
    """[(date, Counter of DayState)] for every date of the reporting window: two queries."""
    regencies = list(regencies)
    dates = list(election.reporting_dates(until=election.reporting_end))
    states = day_states(election=election, regencies=regencies, dates=dates, now=now)
    per_day = {day: Counter() for day in dates}
    for (_code, day), state in states.items():
        per_day[day][state] += 1
    return list(per_day.items())


def compliance_chart_svg(*, election, regencies, now, title=None):
    """Stacked bars per day: regencies on time, late, excused, missed (and due today); future days empty."""
    regencies = list(regencies)
    days = daily_compliance(election=election, regencies=regencies, now=now)
    if not days or not regencies:
        return ""
    today = election.local_date(now)
    total = len(regencies)
    per_regency = HEIGHT / total
    columns = []
    for index, (day, counts) in enumerate(days):
        x = LEFT + index * (BAR + GAP)
        bottom = TOP + HEIGHT
        segments = []
        for state in STACKED:
            if counts[state]:
                height = counts[state] * per_regency
                bottom -= height
                segments.append({"look": DAY_STATE_LOOKS[state], "y": bottom, "height": height,
                                 "count": counts[state]})
        description = ", ".join(f"{DAY_STATE_LOOKS[state].label} {counts[state]}" for state in STACKED
                                if counts[state]) or str(DayState.FUTURE.label)
        columns.append({
            "x": x, "day": day, "segments": segments, "description": description,
            "date_label": formats.date_format(day, "j F Y"),
            "is_today": day == today, "is_voting_day": day == election.voting_day,
            "tick": day.day if day.day == 1 or index == 0 or day.weekday() == 0 else None,
            "month": formats.date_format(day, "F") if day.day == 1 or index == 0 else None,
        })
    width = LEFT + len(days) * (BAR + GAP) + GAP
    grid = sorted({0, total, total // 2})
    prefix = f"chart{next(_ids)}"
    looks = [DAY_STATE_LOOKS[state] for state in STACKED]
    totals = Counter()
    for _day, counts in days:
        totals.update(counts)
    context = {
        "prefix": prefix,
        "title": title or _("Kepatuhan laporan harian per hari"),
        "width": width,
        "height": TOP + HEIGHT + FOOT,
        "bar": BAR,
        "top": TOP,
        "base": TOP + HEIGHT,
        "left": LEFT,
        "grid": [{"value": value, "y": TOP + HEIGHT - value * per_regency} for value in grid],
        "columns": columns,
        "looks": looks,
        "legend": [{"look": look, "looks": [look], "prefix": f"{prefix}-legend{index}", "count": totals[look.key]}
                   for index, look in enumerate(looks)],
    }
    return mark_safe(render_to_string("desk/svg/chart.html", context))  # noqa: S308 - escaped by the template
