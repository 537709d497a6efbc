"""Region master data: province > regency/city > district > village > TPS.

Kemendagri codes are the identity (primary keys); names are attributes that
change between decrees. Each level's code extends its parent's, which the
database checks.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Left
from django.utils.translation import gettext_lazy as _

from .constants import (
    DISTRICT_CODE_RE,
    PROVINCE_CODE_RE,
    REGENCY_CODE_RE,
    VILLAGE_CODE_RE,
    RegencyKind,
    TimeZone,
    TpsLocation,
    VillageKind,
    validate_vulnerabilities,
)

MAX_VOTERS_PER_TPS = 1000


def _code_extends(parent_field):
    """The code is the parent's code, a dot, then more."""
    return Q(code__startswith=Concat(F(parent_field), Value(".")))


def _default_time_zone():
    """A new province's zone unless told (the importer tells it by code): DESK_TIME_ZONE, nothing else."""
    return settings.DESK_TIME_ZONE


class Province(models.Model):
    code = models.CharField(_("kode"), max_length=2, primary_key=True)
    name = models.CharField(_("nama"), max_length=100)
    # The one time zone of the province's elections: every deadline and local date is read in it.
    time_zone = models.CharField(
        _("zona waktu"), max_length=20, choices=TimeZone.choices, default=_default_time_zone
    )


    class Meta:
        ordering = ["code"]
        verbose_name = _("provinsi")
        verbose_name_plural = _("provinsi")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=PROVINCE_CODE_RE), name="province_code_well_formed"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="province_name_not_empty"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class Regency(models.Model):
    code = models.CharField(_("kode"), max_length=5, primary_key=True)
    name = models.CharField(_("nama"), max_length=100)
    kind = models.CharField(_("jenis"), max_length=10, choices=RegencyKind.choices)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="regencies", verbose_name=_("provinsi")
    )


    class Meta:
        ordering = ["code"]
        verbose_name = _("kabupaten/kota")
        verbose_name_plural = _("kabupaten/kota")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=REGENCY_CODE_RE), name="regency_code_well_formed"
            ),
            models.CheckConstraint(condition=_code_extends("province_id"), name="regency_code_in_province"),
            models.CheckConstraint(condition=~Q(name=""), name="regency_name_not_empty"),
        ]

    def __str__(self):
        return self.name

    @property
    def slug(self):
        """`kota-samarinda` -> `samarinda`: the officer's user name suffix."""
        return RegencyKind.strip_prefix(self.name).lower().replace(" ", "-")


class District(models.Model):
    code = models.CharField(_("kode"), max_length=8, primary_key=True)
    name = models.CharField(_("nama"), max_length=100)
    regency = models.ForeignKey(
        Regency, on_delete=models.PROTECT, related_name="districts", verbose_name=_("kabupaten/kota")
    )


    class Meta:
        ordering = ["code"]
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=DISTRICT_CODE_RE), name="district_code_well_formed"
            ),
            models.CheckConstraint(condition=_code_extends("regency_id"), name="district_code_in_regency"),
            models.CheckConstraint(condition=~Q(name=""), name="district_name_not_empty"),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"


class Village(models.Model):
    code = models.CharField(_("kode"), max_length=13, primary_key=True)
    name = models.CharField(_("nama"), max_length=100)
    kind = models.CharField(_("jenis"), max_length=10, choices=VillageKind.choices)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="villages", verbose_name=_("kecamatan"), db_index=False
    )
    # Denormalised from the district so that per-regency counts and scoping
    # need no join through districts. No foreign key of its own in the
    # database: the checks below make it the first five characters of the
    # code, which begins with the district's code (an existing district, by
    # its key), which begins with the district's regency (an existing one).
    # A second key only made every import check each village twice.
    regency = models.ForeignKey(
        Regency, on_delete=models.PROTECT, related_name="villages", verbose_name=_("kabupaten/kota"),
        db_index=False, db_constraint=False,
    )


    class Meta:
        ordering = ["code"]
        verbose_name = _("kelurahan/desa")
        verbose_name_plural = _("kelurahan/desa")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=VILLAGE_CODE_RE), name="village_code_well_formed"
            ),
            models.CheckConstraint(condition=_code_extends("district_id"), name="village_code_in_district"),
            # Exactly the regency's five characters (PP.RR) that begin the code, so always an existing regency.
            models.CheckConstraint(condition=Q(regency=Left(F("code"), 5)), name="village_regency_is_code_prefix"),
            models.CheckConstraint(condition=~Q(name=""), name="village_name_not_empty"),
        ]
        # Plain indexes: the keys are matched whole, never by prefix (no varchar_pattern_ops twins;
        # migration 0004 drops the one Django gives the primary key).
        indexes = [
            models.Index(fields=["district"], name="village_district"),
            models.Index(fields=["regency"], name="village_regency"),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"


class PollingStation(models.Model):
    """A TPS: identified by its village and its number there."""

    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="polling_stations", verbose_name=_("kelurahan/desa")
    )
    # Denormalised (checked below): logistics and summaries aggregate per regency.
    regency = models.ForeignKey(
        Regency, on_delete=models.PROTECT, related_name="polling_stations", verbose_name=_("kabupaten/kota")
    )
    number = models.PositiveSmallIntegerField(_("nomor"))
    voters = models.PositiveIntegerField(_("DPT"))
    location = models.CharField(
        _("jenis lokasi"), max_length=10, choices=TpsLocation.choices, default=TpsLocation.REGULAR
    )
    vulnerabilities = models.JSONField(
        _("kerawanan"), default=list, blank=True, validators=[validate_vulnerabilities]
    )


    class Meta:
        ordering = ["village_id", "number"]
        verbose_name = _("TPS")
        verbose_name_plural = _("TPS")
        constraints = [
            models.UniqueConstraint(fields=["village", "number"], name="tps_unique_number_in_village"),
            models.CheckConstraint(condition=Q(number__gte=1), name="tps_number_positive"),
            models.CheckConstraint(
                condition=Q(voters__gte=0, voters__lte=MAX_VOTERS_PER_TPS), name="tps_voters_in_range"
            ),
            models.CheckConstraint(
                # Village codes begin with their regency's five-character code.
                condition=Q(regency=Left(F("village"), 5)),
                name="tps_village_in_regency",
            ),
        ]
        indexes = [models.Index(fields=["regency", "village"], name="tps_regency_village")]

    def __str__(self):
        return f"TPS {self.number:03d} {self.village.name}"


class Boundary(models.Model):
    """A region's outline for the server-drawn maps, simplified and projected when imported.

    Map units are 1/10,000 degree (about 11 m), x east from longitude, y south
    from latitude: near the equator that plain projection keeps shapes true.
    """

    path = models.TextField(_("garis batas (data path SVG)"))
    min_x = models.IntegerField()
    min_y = models.IntegerField()
    max_x = models.IntegerField()
    max_y = models.IntegerField()
    label_x = models.IntegerField()
    label_y = models.IntegerField()

    class Meta:
        abstract = True

    @property
    def bbox(self):
        return (self.min_x, self.min_y, self.max_x, self.max_y)


def _boundary_constraints(prefix):
    return [
        models.CheckConstraint(condition=~Q(path=""), name=f"{prefix}_boundary_path_not_empty"),
        models.CheckConstraint(
            condition=Q(min_x__lte=F("max_x"), min_y__lte=F("max_y")), name=f"{prefix}_boundary_bbox_ordered"
        ),
    ]


class RegencyBoundary(Boundary):
    regency = models.OneToOneField(
        Regency, on_delete=models.CASCADE, primary_key=True, related_name="boundary", verbose_name=_("kabupaten/kota")
    )

    class Meta:
        verbose_name = _("batas wilayah kabupaten/kota")
        verbose_name_plural = _("batas wilayah kabupaten/kota")
        constraints = _boundary_constraints("regency")

    def __str__(self):
        return self.regency_id


class DistrictBoundary(Boundary):
    district = models.OneToOneField(
        District, on_delete=models.CASCADE, primary_key=True, related_name="boundary", verbose_name=_("kecamatan")
    )

    class Meta:
        verbose_name = _("batas wilayah kecamatan")
        verbose_name_plural = _("batas wilayah kecamatan")
        constraints = _boundary_constraints("district")

    def __str__(self):
        return self.district_id
