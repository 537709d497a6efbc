"""The contact form: it parses; the services decide (and say what is wrong)."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from regions.models import District, Regency, Village

from .constants import NAME_MAX_LENGTH, ContactRole, NotifyBy


class ContactForm(forms.Form):
    regency = forms.ModelChoiceField(label=_("Kabupaten/kota"), queryset=Regency.objects.none())
    phone = forms.CharField(label=_("Nomor telepon"), max_length=30,
                            help_text=_("mis. 081234567890; disimpan sebagai +6281234567890"),
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
    name = forms.CharField(label=_("Nama"), max_length=NAME_MAX_LENGTH)
    role = forms.ChoiceField(label=_("Peran"), choices=[("", "---------"), *ContactRole.choices])
    district = forms.ModelChoiceField(label=_("Kecamatan"), queryset=District.objects.none(), required=False)
    village = forms.ModelChoiceField(label=_("Kelurahan/desa"), queryset=Village.objects.none(), required=False)
    user = forms.ModelChoiceField(label=_("Akun petugas (nomor petugas sendiri)"),
                                  queryset=get_user_model().objects.none(), required=False)
    notify_by = forms.ChoiceField(
        label=_("Pengingat dan tanda kepatuhan ke nomor ini"), choices=NotifyBy.choices, initial=NotifyBy.NONE,
        required=False,
        help_text=_("Hanya nomor petugas yang terhubung dengan akunnya: pengingat laporan dan pemberitahuan tanda "
                    "kepatuhan yang juga dikirim ke e-mail akun itu. WhatsApp di luar 24 jam sejak pesan "
                    "terakhir petugas dikirim sebagai templat."),
    )
    active = forms.BooleanField(label=_("Aktif"), required=False, initial=True)

    def __init__(self, *args, regencies, regency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regency"].queryset = regencies
        if regency is not None:
            # A contact stays in its regency; an officer has only one.
            self.fields["regency"].initial = regency
            self.fields["regency"].disabled = True
        codes = [regency.pk] if regency is not None else list(regencies.values_list("code", flat=True))
        self.fields["district"].queryset = District.objects.filter(regency_id__in=codes)
        self.fields["village"].queryset = Village.objects.filter(regency_id__in=codes).select_related("district")
        self.fields["user"].queryset = get_user_model().objects.filter(
            groups__name=Role.OFFICER, desk_profile__regency_id__in=codes, is_active=True
        ).order_by("username")
        self.fields["user"].label_from_instance = lambda user: user.get_username()

    def clean_notify_by(self):
        # Left out of the post (an older page): nothing goes to the phone.
        return self.cleaned_data.get("notify_by") or NotifyBy.NONE
