from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DeskProfile(models.Model):
    """Binds a user to the region they work for: an officer to one regency, the secretariat to one province."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="desk_profile"
    )
    regency = models.ForeignKey(
        "regions.Regency", on_delete=models.PROTECT, null=True, blank=True,
        related_name="desk_profiles", verbose_name=_("kabupaten/kota"),
    )
    province = models.ForeignKey(
        "regions.Province", on_delete=models.PROTECT, null=True, blank=True,
        related_name="desk_profiles", verbose_name=_("provinsi"),
    )
    phone = models.CharField(
        _("nomor WhatsApp"), max_length=20, blank=True,
        validators=[RegexValidator(r"^62[0-9]{8,13}$", _("Tulis dengan kode negara, mis. 6281234567890."))],
    )
    # The signature block of the documents a secretariat officer signs (the Rakor brief).
    full_name = models.CharField(_("nama lengkap dan gelar"), max_length=150, blank=True)
    position = models.CharField(_("jabatan"), max_length=150, blank=True)
    nip = models.CharField(
        _("NIP"), max_length=18, blank=True,
        validators=[RegexValidator(r"^[0-9]{18}$", _("NIP terdiri atas 18 angka, tanpa spasi."))],
    )

    class Meta:
        verbose_name = _("profil desk")
        verbose_name_plural = _("profil desk")
        constraints = [
            models.CheckConstraint(
                condition=Q(regency__isnull=True) | Q(province__isnull=True),
                name="profile_bound_to_one_level",
            ),
            models.CheckConstraint(condition=Q(nip="") | Q(nip__regex=r"^[0-9]{18}$"), name="profile_nip_18_digits"),
        ]

    def __str__(self):
        return f"{self.user} ({self.regency or self.province or '-'})"
