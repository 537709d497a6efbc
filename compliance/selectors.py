"""Reads for the flags page and the Rakor: the per-regency reporting ranking."""

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import Any

from elections.models import Election
from regions.models import Regency
from reports.constants import COUNTED_STATES
from reports.selectors import day_states

# Periods the ranking can cover: the whole window so far, or its last N due days.
PERIODS = {"all": None, "7": 7, "14": 14}


def ranking_since(*, election: Election, now: dt.datetime, period: str) -> dt.date | None:
    """The first date a ranking `period` ("all", "7" or "14") counts, or None for the whole window."""
    days = PERIODS.get(period)
    return election.last_due_date(now) - dt.timedelta(days=days - 1) if days else None


def reporting_ranking(
    *, election: Election, regencies: Iterable[Regency], now: dt.datetime, since: dt.date | None = None
) -> list[dict[str, Any]]:
    """Per regency: on-time, late, missed and excused days (and their share) so far, best first, ranked.

    Days count from `since` (default: the window's start) to the last day whose
    cutoff has passed. The day states are the reports app's (two queries
    whatever the number of regencies or days), so the ranking and the
    officers' strips agree. Fewer missed days rank higher, then fewer late ones;
    equal counts share a rank.
    """
    days = [day for day in election.reporting_dates(until=election.last_due_date(now))
            if since is None or day >= since]
    regencies = sorted(regencies, key=lambda regency: regency.code)
    counts = {regency.code: Counter() for regency in regencies}
    for (code, _day), state in day_states(election=election, regencies=regencies, dates=days, now=now).items():
        counts[code][str(state)] += 1
    rows = []
    for regency in regencies:
        row = {"regency": regency, "days": len(days)}
        row.update({state: counts[regency.code][state] for state in COUNTED_STATES})
        row["percent"] = {state: round(100 * row[state] / len(days)) if days else 0 for state in COUNTED_STATES}
        rows.append(row)

    def standing(row):
        return (row["missed"], row["late"], -row["on_time"])

    rows.sort(key=lambda row: (*standing(row), row["regency"].code))
    for index, row in enumerate(rows):
        same = index and standing(rows[index - 1]) == standing(row)
        row["rank"] = rows[index - 1]["rank"] if same else index + 1
    return rows
