"""The bench's builders at test size: the national figures shrunk and a handful of regions imported."""

import io

from bench import data
from regions.importing import regions_import

VOTERS_PER_TPS = 400


def shrink_country(monkeypatch, regions: str, *, tps: int, incidents: int, report_days: int,
                   extra_voters: int = 0) -> None:
    """Make the bench build `tps` TPS of 400 voters (plus `extra_voters`), `incidents` incidents and
    `report_days` days of reports over the regions of the CSV text `regions`, which it imports."""
    monkeypatch.setattr(data, "TPS_TOTAL", tps)
    monkeypatch.setattr(data, "VOTERS_TOTAL", tps * VOTERS_PER_TPS + extra_voters)
    monkeypatch.setattr(data, "VOTERS_PER_TPS", VOTERS_PER_TPS)
    monkeypatch.setattr(data, "INCIDENTS", incidents)
    monkeypatch.setattr(data, "REPORT_DAYS", report_days)
    regions_import(io.StringIO(regions))
