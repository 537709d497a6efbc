from django import forms
from django.utils.translation import gettext_lazy as _


class FlagDismissForm(forms.Form):
    note = forms.CharField(
        label=_("Alasan menutup tanda"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000,
        error_messages={"required": _("Tulis alasan menutup tanda ini.")},
    )
