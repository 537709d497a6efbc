from django import forms
from django.utils.translation import gettext_lazy as _

from .models import FLAG_NOTE_MAX_LENGTH, FlagKind
from .selectors import PERIODS


class FlagDismissForm(forms.Form):
    note = forms.CharField(
        label=_("Alasan menutup tanda"), widget=forms.Textarea(attrs={"rows": 2}), max_length=FLAG_NOTE_MAX_LENGTH,
        error_messages={"required": _("Tulis alasan menutup tanda ini.")},
    )


class FlagListFilterForm(forms.Form):
    """The flag list's GET filter: open or all flags, one kind, the ranking's period (empty means the default)."""

    show = forms.ChoiceField(label=_("Status"), required=False,
                             choices=[("open", _("Terbuka")), ("all", _("Semua (termasuk selesai)"))])
    kind = forms.ChoiceField(label=_("Jenis"), required=False, choices=[("", _("Semua jenis")), *FlagKind.choices])
    period = forms.ChoiceField(label=_("Periode"), required=False,
                               choices=[(value, value) for value in PERIODS])

    def clean_show(self):
        return self.cleaned_data["show"] or "open"

    def clean_period(self):
        return self.cleaned_data["period"] or "all"
