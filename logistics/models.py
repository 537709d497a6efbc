"""Logistics: the item catalogue, receipts from the KPU warehouse, and onward distribution.

Expected quantities are never stored: they follow from the catalogue rules and
the TPS master data (see `selectors.expected_quantities`), so an admin changing
a rule changes what is expected and never what was received.
"""

from typing import NamedTuple

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Left, Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scope import ScopedQuerySet
from core.validators import bounded_text_validators
from regions.models import District, PollingStation, Village

from .constants import MAX_QUANTITY, NOTE_MAX_LENGTH, DistributionLevel, ExpectedRule


class LogisticsItem(models.Model):
    """A catalogue item and the rule giving its expected quantity per regency."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    unit = models.CharField(_("satuan"), max_length=20)
    rule = models.CharField(_("aturan kebutuhan"), max_length=20, choices=ExpectedRule.choices)
    per_tps = models.PositiveIntegerField(
        _("jumlah per TPS"), default=1, help_text=_("Dipakai oleh aturan 'jumlah tetap per TPS'.")
    )
    spare_per_mille = models.PositiveIntegerField(
        _("cadangan (per seribu)"), default=25,
        help_text=_("Dipakai oleh aturan surat suara: 25 berarti DPT + 2,5%, dibulatkan ke atas per TPS."),
    )
    position = models.PositiveSmallIntegerField(_("urutan"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("barang logistik")
        verbose_name_plural = _("barang logistik")
        constraints = [
            models.CheckConstraint(condition=Q(rule__in=ExpectedRule.values), name="logistics_item_rule_known"),
            models.CheckConstraint(condition=Q(spare_per_mille__lte=1000), name="logistics_item_spare_at_most_100pct"),
            models.CheckConstraint(condition=~Q(name=""), name="logistics_item_name_not_empty"),
            models.CheckConstraint(condition=~Q(unit=""), name="logistics_item_unit_not_empty"),
        ]

    def __str__(self):
        return self.name


class LogisticsReceipt(models.Model):
    """One delivery of one item to a regency, as confirmed by its desk officer.

    Deliveries come in batches: a regency's receipts of an item add up. Nothing
    is deleted; a correction is a new receipt or an edit kept in the history.
    """

    election = models.ForeignKey(
        "elections.Election", on_delete=models.PROTECT, related_name="logistics_receipts", verbose_name=_("pemilihan")
    )
    regency = models.ForeignKey(
        "regions.Regency", on_delete=models.PROTECT, related_name="logistics_receipts",
        verbose_name=_("kabupaten/kota"),
    )
    item = models.ForeignKey(LogisticsItem, on_delete=models.PROTECT, related_name="receipts", verbose_name=_("barang"))
    quantity_received = models.PositiveIntegerField(
        _("jumlah diterima (layak pakai)"), validators=[MaxValueValidator(MAX_QUANTITY)]
    )
    quantity_damaged = models.PositiveIntegerField(
        _("jumlah rusak"), default=0, validators=[MaxValueValidator(MAX_QUANTITY)]
    )
    received_at = models.DateTimeField(_("diterima pada"))
    note = models.TextField(
        _("catatan"), blank=True, max_length=NOTE_MAX_LENGTH, validators=bounded_text_validators(NOTE_MAX_LENGTH)
    )
    # The officer ticked "yes, this much really arrived" for a total above twice the expected.
    over_expected_confirmed = models.BooleanField(_("jumlah berlebih dikonfirmasi"), default=False)
    # Moves on with every correction; a correction of an older version is refused.
    version = models.PositiveIntegerField(_("versi"), default=1)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="logistics_receipts",
        verbose_name=_("dikonfirmasi oleh"),
    )
    created_at = models.DateTimeField(_("dicatat pada"))

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("penerimaan logistik")
        verbose_name_plural = _("penerimaan logistik")
        constraints = [
            # Non-negative quantities: the CHECK that PositiveIntegerField creates.
            models.CheckConstraint(
                condition=Q(quantity_received__gt=0) | Q(quantity_damaged__gt=0), name="receipt_not_empty"
            ),
            models.CheckConstraint(
                condition=Q(over_expected_confirmed=False) | ~Q(note=""), name="receipt_over_expected_has_note"
            ),
            models.CheckConstraint(
                condition=Q(quantity_received__lte=MAX_QUANTITY, quantity_damaged__lte=MAX_QUANTITY),
                name="receipt_quantities_bounded",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("note"), NOTE_MAX_LENGTH), name="receipt_note_bounded"
            ),
        ]
        indexes = [models.Index(fields=["election", "regency", "item"], name="receipt_election_regency_item")]

    def __str__(self):
        return f"{self.item} · {self.regency} · {self.quantity_received}"


class Delivery(models.Model):
    """A place of the distribution chain marked as reached by the logistics, on a local date."""

    election = models.ForeignKey("elections.Election", on_delete=models.PROTECT, related_name="+")
    # Denormalised (checked where the code allows) for scoping and per-regency counts.
    regency = models.ForeignKey("regions.Regency", on_delete=models.PROTECT, related_name="+")
    reached_on = models.DateField(_("tanggal tiba"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("dicatat pada"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class DistrictDelivery(Delivery):
    """Logistics reached the PPK of a district."""

    district = models.ForeignKey("regions.District", on_delete=models.PROTECT, related_name="deliveries")

    class Meta:
        verbose_name = _("distribusi ke PPK")
        verbose_name_plural = _("distribusi ke PPK")
        constraints = [
            models.UniqueConstraint(fields=["election", "district"], name="district_delivery_once"),
            models.CheckConstraint(condition=Q(regency=Left(F("district"), 5)), name="district_delivery_in_regency"),
        ]

    def __str__(self):
        return f"{self.district_id} · {self.reached_on}"


class VillageDelivery(Delivery):
    """Logistics reached the PPS of a village."""

    village = models.ForeignKey("regions.Village", on_delete=models.PROTECT, related_name="deliveries")

    class Meta:
        verbose_name = _("distribusi ke PPS")
        verbose_name_plural = _("distribusi ke PPS")
        constraints = [
            models.UniqueConstraint(fields=["election", "village"], name="village_delivery_once"),
            models.CheckConstraint(condition=Q(regency=Left(F("village"), 5)), name="village_delivery_in_regency"),
        ]

    def __str__(self):
        return f"{self.village_id} · {self.reached_on}"


class TpsDelivery(Delivery):
    """Logistics reached the KPPS of a TPS."""

    polling_station = models.ForeignKey("regions.PollingStation", on_delete=models.PROTECT, related_name="deliveries")

    class Meta:
        verbose_name = _("distribusi ke KPPS")
        verbose_name_plural = _("distribusi ke KPPS")
        constraints = [
            models.UniqueConstraint(fields=["election", "polling_station"], name="tps_delivery_once"),
        ]
        indexes = [models.Index(fields=["election", "regency"], name="tps_delivery_election_regency")]

    def __str__(self):
        return f"{self.polling_station_id} · {self.reached_on}"


class LevelRecords(NamedTuple):
    """What one level of the distribution chain is made of."""

    place: type[models.Model]  # the region model of its places
    delivery: type[Delivery]  # the record of a place reached
    place_field: str  # the record's column holding the place's key


DISTRIBUTION_LEVELS = {
    DistributionLevel.DISTRICT: LevelRecords(District, DistrictDelivery, "district_id"),
    DistributionLevel.VILLAGE: LevelRecords(Village, VillageDelivery, "village_id"),
    DistributionLevel.TPS: LevelRecords(PollingStation, TpsDelivery, "polling_station_id"),
}
