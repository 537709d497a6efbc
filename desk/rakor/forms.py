from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import (
    ACTION_MAX_LENGTH,
    AGENDA_MAX_LENGTH,
    CANCEL_REASON_MAX_LENGTH,
    MAX_DURATION_MINUTES,
    MINUTES_MAX_LENGTH,
)


class MeetingForm(forms.Form):
    """Schedule a Rakor: the date and time are in the election's zone."""

    title = forms.CharField(label=_("Judul"), max_length=150, initial=_("Rakor Desk Pilkada"))
    date = forms.DateField(label=_("Tanggal"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    time = forms.TimeField(label=_("Pukul"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    duration_minutes = forms.IntegerField(label=_("Durasi (menit)"), min_value=15, max_value=MAX_DURATION_MINUTES,
                                          initial=90)
    join_url = forms.URLField(label=_("Tautan Zoom"), max_length=500, assume_scheme="https",
                              widget=forms.URLInput(attrs={"placeholder": "https://zoom.us/j/81234567890"}))
    zoom_meeting_id = forms.CharField(label=_("ID rapat Zoom"), max_length=20)
    passcode = forms.CharField(label=_("Kode sandi"), max_length=20, required=False)
    agenda = forms.CharField(label=_("Agenda"), max_length=AGENDA_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4}))

    def clean_join_url(self):
        url = self.cleaned_data["join_url"]
        if not url.startswith("https://"):
            raise forms.ValidationError(_("Tautan Zoom harus diawali https://."))
        return url

    def clean_zoom_meeting_id(self):
        digits = self.cleaned_data["zoom_meeting_id"].replace(" ", "").replace("-", "")
        if not digits.isdigit() or not 9 <= len(digits) <= 12:
            raise forms.ValidationError(_("ID rapat Zoom terdiri atas 9 sampai 12 angka."))
        return digits


class MeetingRecordForm(MeetingForm):
    minutes = forms.CharField(label=_("Notulen"), max_length=MINUTES_MAX_LENGTH, required=False,
                              widget=forms.Textarea(attrs={"rows": 8}))


class ActionItemForm(forms.Form):
    regency = forms.ModelChoiceField(label=_("Kabupaten/kota"), queryset=None, to_field_name="code")
    description = forms.CharField(label=_("Tindak lanjut"), max_length=ACTION_MAX_LENGTH,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    due_date = forms.DateField(label=_("Batas waktu"),
                               widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, regencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regency"].queryset = regencies


class ActionItemDoneForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan penyelesaian"), widget=forms.Textarea(attrs={"rows": 2}), max_length=ACTION_MAX_LENGTH,
        error_messages={"required": _("Tuliskan bagaimana tindak lanjut ini diselesaikan.")},
    )



class MeetingCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan pembatalan"), max_length=CANCEL_REASON_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Tuliskan alasan pembatalan rakor.")},
    )
