"""One of every desk record, each written through its service (edits included), for tests that walk them all."""

import datetime as dt

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from compliance.models import Flag, Notice
from compliance.run import check_compliance
from logistics.models import DistrictDelivery, LogisticsItem, LogisticsReceipt, TpsDelivery, VillageDelivery
from logistics.services import distribution_mark_reached, receipt_record
from reports.models import DailyReport, ExcusedDay
from reports.services import day_excuse, report_edit, report_submit
from tests.helpers import NOW
from tests.violations.samples import jpeg_bytes
from violations.constants import Category, Origin
from violations.models import IncidentEvent, IncidentEvidence, ViolationIncident
from violations.services import evidence_attach, incident_edit, incident_record

DESK_MODELS = [
    DailyReport, ExcusedDay, LogisticsReceipt, DistrictDelivery, VillageDelivery, TpsDelivery,
    ViolationIncident, IncidentEvent, IncidentEvidence, Flag, Notice,
]


def desk_records_make(*, election, samarinda, balikpapan, officer, secretariat):
    """Needs MEDIA_ROOT pointed at a temporary folder (the evidence file)."""
    with time_machine.travel(NOW, tick=False):
        report = report_submit(
            election=election, regency=samarinda, by=officer, now=NOW,
            data={"report_date": NOW.date(), "situation": "conducive", "summary": "Aman.", "sources": ["kpu"]},
        )
        report_edit(report=report, by=officer, now=NOW, data={"summary": "Aman terkendali."})
        day_excuse(election=election, regency=balikpapan, date=NOW.date() - dt.timedelta(days=1),
                   reason="Jaringan putus.", by=secretariat, now=NOW)
        receipt_record(
            election=election, regency=samarinda, item=LogisticsItem.objects.get(code="ink"), by=officer, now=NOW,
            data={"quantity_received": 8, "quantity_damaged": 0, "received_at": NOW - dt.timedelta(hours=2),
                  "note": "", "confirm_over_expected": False},
        )
        distribution_mark_reached(election=election, regency=samarinda, level="tps", reached_on=NOW.date(),
                                  by=officer, now=NOW)
        incident = incident_record(
            regency=samarinda, by=officer, now=NOW, occurred_at=NOW - dt.timedelta(hours=3),
            category=Category.MONEY_POLITICS, origin=Origin.FINDING, description="Amplop dibagikan.",
        )
        incident_edit(incident=incident, by=officer, now=NOW, description="Amplop berisi uang dibagikan.")
        evidence_attach(incident=incident, by=officer, now=NOW,
                        upload=SimpleUploadedFile("foto.jpg", jpeg_bytes(), content_type="image/jpeg"))
    check_compliance(now=NOW + dt.timedelta(days=2))
    for model in DESK_MODELS:
        assert model.objects.exists(), model
