from django.db import models
from django.utils.translation import gettext_lazy as _

# Above this a typed quantity is a slip of the keyboard, not a delivery
# (the largest regency in the country needs a few million ballots).
MAX_QUANTITY = 50_000_000

# What a quantity that is not a whole number within 0..MAX_QUANTITY is told (the form's and the API's).
QUANTITY_ERRORS = {
    "required": _("Isi jumlahnya (0 bila tidak ada)."),
    "invalid": _("Isi dengan bilangan bulat, tanpa titik atau koma."),
    "min_value": _("Jumlah tidak boleh negatif."),
    "max_value": _("Jumlah terlalu besar."),
}

# The longest note on a receipt (the form counts down to it).
NOTE_MAX_LENGTH = 1000

# A receipt taking an item's usable total above this multiple of the
# expected quantity needs an explicit confirmation and a note.
OVER_EXPECTED_FACTOR = 2


class ExpectedRule(models.TextChoices):
    BALLOTS_WITH_SPARE = "ballots_with_spare", _("Surat suara: DPT per TPS + cadangan, dibulatkan ke atas")
    PER_TPS = "per_tps", _("Jumlah tetap per TPS")


class DistributionLevel(models.TextChoices):
    """The chain below the KPU regency warehouse, as the KPU reports it."""

    DISTRICT = "district", _("PPK (kecamatan)")
    VILLAGE = "village", _("PPS (kelurahan/desa)")
    TPS = "tps", _("KPPS (TPS)")
