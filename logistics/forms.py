"""Web forms: parse and type-check input; the domain rules live in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.fields import MomentField

from .constants import MAX_QUANTITY, NOTE_MAX_LENGTH, QUANTITY_ERRORS
from .models import LogisticsItem


class ReceiptForm(forms.Form):
    """One delivery of one item. Datetimes are read in the active (the election's) time zone."""

    item = forms.ModelChoiceField(
        queryset=LogisticsItem.objects.all(), to_field_name="code", widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Barang logistik tidak dikenal."), "required": _("Pilih barang.")},
    )
    quantity_received = forms.IntegerField(
        label=_("Diterima layak pakai"), min_value=0, max_value=MAX_QUANTITY, error_messages=QUANTITY_ERRORS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    quantity_damaged = forms.IntegerField(
        label=_("Rusak"), min_value=0, max_value=MAX_QUANTITY, initial=0, error_messages=QUANTITY_ERRORS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    received_at = MomentField(
        label=_("Diterima pada"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"required": _("Isi tanggal dan jam penerimaan."), "invalid": _("Tanggal/jam tidak valid.")},
    )
    note = forms.CharField(
        label=_("Catatan"), required=False, max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )
    confirm_over_expected = forms.BooleanField(
        label=_("Saya sudah memeriksa: jumlah yang melebihi dua kali kebutuhan ini memang benar."), required=False
    )

    # The version the officer started correcting from (optimistic concurrency).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, item_locked=False, **kwargs):
        super().__init__(*args, **kwargs)
        if item_locked:
            # Correcting a receipt keeps its item.
            del self.fields["item"]
        else:
            del self.fields["version"]


class DistributionMarkForm(forms.Form):
    """Mark (or unmark) places of one level of the distribution chain."""

    MARK = "mark"
    MARK_ALL_TPS = "mark_all_tps"
    UNMARK = "unmark"

    action = forms.ChoiceField(
        choices=[(MARK, _("Tandai yang dipilih sudah tiba")),
                 (MARK_ALL_TPS, _("Semua TPS di wilayah ini sudah tiba")),
                 (UNMARK, _("Batalkan tanda yang dipilih"))],
        widget=forms.HiddenInput,
    )
    reached_on = forms.DateField(
        label=_("Tanggal tiba"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Tanggal tidak valid.")},
    )
    places = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Tempat yang dipilih tidak dikenal di halaman ini.")},
    )

    def __init__(self, *args, place_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["places"].choices = place_choices

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        if action in (self.MARK, self.UNMARK) and not cleaned.get("places"):
            self.add_error("places", _("Pilih paling sedikit satu tempat."))
        needs_date = action in (self.MARK, self.MARK_ALL_TPS)
        if needs_date and not cleaned.get("reached_on") and "reached_on" not in self.errors:
            self.add_error("reached_on", _("Isi tanggal tiba."))
        return cleaned
