"""Code formats and choices for the region master data."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

PROVINCE_CODE_RE = r"^[0-9]{2}$"
REGENCY_CODE_RE = r"^[0-9]{2}\.[0-9]{2}$"
DISTRICT_CODE_RE = r"^[0-9]{2}\.[0-9]{2}\.[0-9]{2}$"
VILLAGE_CODE_RE = r"^[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}$"

FIRST_KOTA_SEGMENT = 71


class Level(models.TextChoices):
    PROVINCE = "province", _("provinsi")
    REGENCY = "regency", _("kabupaten/kota")
    DISTRICT = "district", _("kecamatan")
    VILLAGE = "village", _("kelurahan/desa")


LEVEL_PATTERNS = [
    (Level.PROVINCE, re.compile(PROVINCE_CODE_RE)),
    (Level.REGENCY, re.compile(REGENCY_CODE_RE)),
    (Level.DISTRICT, re.compile(DISTRICT_CODE_RE)),
    (Level.VILLAGE, re.compile(VILLAGE_CODE_RE)),
]


# Each level's codes have their own length (PP, PP.RR, PP.RR.DD, PP.RR.DD.VVVV): one pattern to try
# per code (imports check ~90,000 of them).
_LEVEL_BY_LENGTH = dict(zip((2, 5, 8, 13), LEVEL_PATTERNS, strict=True))


def level_of(code):
    """The level a dotted Kemendagri code names, or None when malformed."""
    level, pattern = _LEVEL_BY_LENGTH.get(len(code), (None, None))
    return level if level is not None and pattern.fullmatch(code) else None


def parent_code(code):
    return code.rsplit(".", 1)[0] if "." in code else None


class RegencyKind(models.TextChoices):
    KABUPATEN = "kabupaten", _("Kabupaten")
    KOTA = "kota", _("Kota")

    @classmethod
    def for_code(cls, code):
        """Second segment 01-69: kabupaten; 71-99: kota."""
        return cls.KOTA if int(code.split(".")[1]) >= FIRST_KOTA_SEGMENT else cls.KABUPATEN

    @staticmethod
    def strip_prefix(name):
        for prefix in ("Kabupaten ", "Kota "):
            if name.startswith(prefix):
                return name[len(prefix):]
        return name


class VillageKind(models.TextChoices):
    KELURAHAN = "kelurahan", _("Kelurahan")
    DESA = "desa", _("Desa")
    DESA_ADAT = "desa_adat", _("Desa adat")

    @classmethod
    def for_code(cls, code):
        """First digit of the last segment: 1 kelurahan, 2 desa, 3 desa adat."""
        return VILLAGE_KIND_BY_DIGIT.get(code.rsplit(".", 1)[1][:1])


VILLAGE_KIND_BY_DIGIT = {"1": VillageKind.KELURAHAN, "2": VillageKind.DESA, "3": VillageKind.DESA_ADAT}


class TpsLocation(models.TextChoices):
    REGULAR = "regular", _("Reguler")
    PRISON = "prison", _("Lokasi khusus: lapas/rutan")
    COMPANY = "company", _("Lokasi khusus: perusahaan")
    CAMPUS = "campus", _("Lokasi khusus: kampus/asrama")


class TimeZone(models.TextChoices):
    WIB = "Asia/Jakarta", _("WIB (UTC+7)")
    WITA = "Asia/Makassar", _("WITA (UTC+8)")
    WIT = "Asia/Jayapura", _("WIT (UTC+9)")


class VulnerabilityTag(models.TextChoices):
    """Bawaslu's eight TPS-vulnerability variables."""

    VOTING_RIGHTS = "voting_rights", _("Hak pilih")
    SECURITY = "security", _("Keamanan")
    MONEY_POLITICS = "money_politics", _("Politik uang")
    SARA = "sara", _("Politisasi SARA")
    NEUTRALITY = "neutrality", _("Netralitas")
    LOGISTICS = "logistics", _("Logistik")
    LOCATION = "location", _("Lokasi TPS")
    POWER_INTERNET = "power_internet", _("Listrik dan internet")


def validate_vulnerabilities(value):
    """A TPS's vulnerability tags: a list of Bawaslu variables, each once."""
    if not isinstance(value, list) or len(set(value)) != len(value):
        raise ValidationError(_("Kerawanan harus berupa daftar tanpa duplikat."))
    unknown = sorted(set(value) - set(VulnerabilityTag.values))
    if unknown:
        raise ValidationError(_("Kerawanan tidak dikenal: %(tags)s"), params={"tags": ", ".join(unknown)})
