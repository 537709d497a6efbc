from django import forms
from django.utils.translation import gettext_lazy as _

from .models import FLAG_NOTE_MAX_LENGTH


class FlagDismissForm(forms.Form):
    note = forms.CharField(
        label=_("Alasan menutup tanda"), widget=forms.Textarea(attrs={"rows": 2}), max_length=FLAG_NOTE_MAX_LENGTH,
        error_messages={"required": _("Tulis alasan menutup tanda ini.")},
    )
