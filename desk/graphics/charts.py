"""The compliance chart: per day of the reporting window, how the regencies stood (server-drawn SVG)."""

import itertools
from collections import Counter

from django.template.loader import render_to_string
from django.utils import formats
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from reports.constants import DayState
from reports.selectors import day_states

from .svg import DAY_STATE_LOOKS, svg_number

_ids = itertools.count(1)

# Stacked bottom-up: what went well at the foot of each bar.
STACKED = [DayState.ON_TIME, DayState.LATE, DayState.EXCUSED, DayState.MISSED, DayState.DUE]
BAR, GAP, LEFT, TOP, HEIGHT, FOOT = 14, 4, 34, 16, 180, 46
DAY_LABEL_PITCH = 16  # from this many units per day on, every day is numbered (else Mondays and the 1st)


def daily_compliance(*, election, regencies, now, until=None):
    """[(date, Counter of DayState)] for every date of the reporting window (up to `until`): two queries."""
    regencies = list(regencies)
    last = election.reporting_end if until is None else min(until, election.reporting_end)
    dates = list(election.reporting_dates(until=last))
    states = day_states(election=election, regencies=regencies, dates=dates, now=now)
    per_day = {day: Counter() for day in dates}
    for (_code, day), state in states.items():
        per_day[day][state] += 1
    return list(per_day.items())


def compliance_chart_svg(*, election, regencies, now, until=None, plot_width=None, title=None):
    """Stacked bars per day: regencies on time, late, excused, missed (and due today); future days empty.

    `until` ends the days at that date (default: the end of the window).
    `plot_width` (in SVG units) spreads the days over that width, as on the
    printed brief; without it each day takes a fixed pitch.
    """
    regencies = list(regencies)
    days = daily_compliance(election=election, regencies=regencies, now=now, until=until)
    if not days or not regencies:
        return ""
    today = election.local_date(now)
    total = len(regencies)
    per_regency = HEIGHT / total
    pitch = plot_width / len(days) if plot_width else BAR + GAP
    bar = min(pitch * BAR / (BAR + GAP), 40) if plot_width else BAR
    every_day = pitch >= DAY_LABEL_PITCH
    columns = []
    for index, (day, counts) in enumerate(days):
        x = LEFT + index * pitch + (pitch - bar) / 2 if plot_width else LEFT + index * pitch
        bottom = TOP + HEIGHT
        segments = []
        for state in STACKED:
            if counts[state]:
                height = counts[state] * per_regency
                bottom -= height
                segments.append({"look": DAY_STATE_LOOKS[state], "y": svg_number(bottom),
                                 "height": svg_number(height), "count": counts[state]})
        description = ", ".join(f"{DAY_STATE_LOOKS[state].label} {counts[state]}" for state in STACKED
                                if counts[state]) or str(DayState.FUTURE.label)
        first = day.day == 1 or index == 0
        columns.append({
            "x": svg_number(x), "middle": svg_number(x + bar / 2), "day": day, "segments": segments,
            "description": description, "date_label": formats.date_format(day, "j F Y"),
            "is_today": day == today, "is_voting_day": day == election.voting_day,
            "marker": f"M{svg_number(x + bar / 2 - 7)} {TOP - 10}h14l-7 8z",
            "tick": day.day if every_day or first or day.weekday() == 0 else None,
            "month": formats.date_format(day, "F") if first else None,
        })
    width = LEFT + len(days) * pitch + GAP
    grid = sorted({0, total, total // 2})
    prefix = f"chart{next(_ids)}"
    looks = [DAY_STATE_LOOKS[state] for state in STACKED]
    totals = Counter()
    for _day, counts in days:
        totals.update(counts)
    context = {
        "prefix": prefix,
        "title": title or _("Kepatuhan laporan harian per hari"),
        "width": svg_number(width),
        "height": TOP + HEIGHT + FOOT,
        "bar": svg_number(bar),
        "top": TOP,
        "base": TOP + HEIGHT,
        "left": LEFT,
        "label_x": LEFT - 6,
        "tick_y": TOP + HEIGHT + 14,
        "month_y": TOP + HEIGHT + 30,
        "star_y": TOP - 4,
        "every_day": every_day,
        "grid": [{"value": value, "y": svg_number(TOP + HEIGHT - value * per_regency, 1)} for value in grid],
        "columns": columns,
        "looks": looks,
        "legend": [{"look": look, "looks": [look], "prefix": f"{prefix}-legend{index}", "count": totals[look.key]}
                   for index, look in enumerate(looks)],
    }
    return mark_safe(render_to_string("desk/svg/chart.html", context))  # noqa: S308 - escaped by the template
