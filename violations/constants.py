"""Categories, origins, the status workflow and evidence limits of violation incidents."""

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    MONEY_POLITICS = "money_politics", _("Politik uang")
    NEUTRALITY = "neutrality", _("Netralitas ASN/TNI/Polri/Kades")
    CAMPAIGN_OUTSIDE_SCHEDULE = "campaign_outside_schedule", _("Kampanye di luar jadwal / masa tenang")
    BLACK_CAMPAIGN = "black_campaign", _("Kampanye hitam/hoaks")
    SARA = "sara", _("SARA")
    MISUSE_OF_FACILITIES = "misuse_of_facilities", _("Penyalahgunaan fasilitas negara")
    CAMPAIGN_FINANCE = "campaign_finance", _("Dana kampanye")
    INTIMIDATION = "intimidation", _("Intimidasi")
    OFFICIAL_MISCONDUCT = "official_misconduct", _("Pelanggaran penyelenggara")
    OTHER = "other", _("Lainnya")


class Origin(models.TextChoices):
    FINDING = "finding", _("Temuan")
    PUBLIC_REPORT = "public_report", _("Laporan masyarakat")


class Status(models.TextChoices):
    RECORDED = "recorded", _("Dicatat")
    FORWARDED = "forwarded", _("Diteruskan")
    UNDER_REVIEW = "under_review", _("Dalam penanganan")
    CONCLUDED = "concluded", _("Selesai")
    WITHDRAWN = "withdrawn", _("Dicabut")


class Outcome(models.TextChoices):
    ADMINISTRATIVE = "administrative", _("Pelanggaran administrasi")
    CRIMINAL = "criminal", _("Tindak pidana pemilihan")
    ETHICS = "ethics", _("Pelanggaran kode etik")
    OTHER_LAW = "other_law", _("Pelanggaran hukum lainnya")
    NOT_A_VIOLATION = "not_a_violation", _("Bukan pelanggaran")
    STOPPED = "stopped", _("Dihentikan")


class ForwardedTo(models.TextChoices):
    BAWASLU = "bawaslu", _("Bawaslu")
    GAKKUMDU = "gakkumdu", _("Sentra Gakkumdu")
    KPU = "kpu", _("KPU")
    POLICE = "police", _("Kepolisian")


# The workflow: the only moves `incident_move` accepts.
MOVES = {
    Status.RECORDED: (Status.FORWARDED, Status.WITHDRAWN),
    Status.FORWARDED: (Status.UNDER_REVIEW,),
    Status.UNDER_REVIEW: (Status.CONCLUDED,),
    Status.CONCLUDED: (),
    Status.WITHDRAWN: (),
}
# Statuses reached only through forwarding: they carry a recipient and its reference number.
FORWARDED_STATUSES = (Status.FORWARDED, Status.UNDER_REVIEW, Status.CONCLUDED)
CLOSED_STATUSES = (Status.CONCLUDED, Status.WITHDRAWN)

# A report to Bawaslu must be filed within 7 days of the event (UU 1/2015 as amended):
# a `recorded` incident older than that is overdue.
FILING_WINDOW = dt.timedelta(days=7)


class EvidenceKind(models.TextChoices):
    JPEG = "jpeg", _("Foto JPEG")
    PNG = "png", _("Foto PNG")
    PDF = "pdf", _("Dokumen PDF")


# Leading bytes that identify each accepted kind; the file name and the
# client's content type are never trusted.
EVIDENCE_SIGNATURES = (
    (EvidenceKind.JPEG, b"\xff\xd8\xff"),
    (EvidenceKind.PNG, b"\x89PNG\r\n\x1a\n"),
    (EvidenceKind.PDF, b"%PDF-"),
)
EVIDENCE_EXTENSIONS = {EvidenceKind.JPEG: "jpg", EvidenceKind.PNG: "png", EvidenceKind.PDF: "pdf"}
EVIDENCE_CONTENT_TYPES = {
    EvidenceKind.JPEG: "image/jpeg", EvidenceKind.PNG: "image/png", EvidenceKind.PDF: "application/pdf",
}
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024

# Longest texts a desk types (the forms count down to them; the database refuses more).
DESCRIPTION_MAX_LENGTH = 5000
NOTE_MAX_LENGTH = 1000
REFERENCE_MAX_LENGTH = 100
