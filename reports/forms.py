"""Web forms: they parse what the officer or the secretariat typed; the services decide."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.scope import regions_for
from core.fields import (
    ParsedCharField,
    ParsedChoiceField,
    ParsedDateField,
    ParsedMultipleChoiceField,
    moment_year_problem,
)
from regions.models import Regency

from .constants import (
    NOTE_MAX_LENGTH,
    NOTHING_NOTABLE,
    REASON_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    Situation,
    Source,
)
from .models import WITHDRAWAL_REASON_MAX_LENGTH

NOTE_PREFIX = "note_"


class DailyReportForm(forms.Form):
    """The officer's daily report; without `report_date` when editing (the date never changes)."""

    # The fields parse; report_submit / report_edit decide (one message per rule, shown on the field).
    report_date = ParsedDateField(
        label=_("Tanggal laporan"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Tulis tanggal dengan format YYYY-MM-DD.")},
    )
    situation = ParsedChoiceField(label=_("Situasi terkini"), choices=Situation.choices, widget=forms.RadioSelect)
    summary = ParsedCharField(
        label=_("Ringkasan kondisi terkini"),
        max_length=SUMMARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Tulis kondisi hari ini walaupun tidak ada kejadian menonjol: tahapan, keamanan, logistik."),
    )
    confirm_nothing_notable = forms.BooleanField(
        label=_("Saya memastikan: hari ini tidak ada kejadian menonjol dan situasi aman-kondusif."),
        required=False,
    )
    sources = ParsedMultipleChoiceField(
        label=_("Sumber informasi"), choices=Source.choices, widget=forms.CheckboxSelectMultiple, required=False,
    )

    # Filled by the page's script when the officer presses "send" (the phone's clock), also when offline.
    composed_at = forms.DateTimeField(required=False, widget=forms.HiddenInput)
    # The version the officer started editing from (optimistic concurrency).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, districts=(), editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing:
            del self.fields["report_date"]
            del self.fields["composed_at"]
        else:
            del self.fields["version"]
        for district in districts:
            self.fields[f"{NOTE_PREFIX}{district.code}"] = ParsedCharField(
                label=district.name,
                required=False,
                max_length=NOTE_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    @property
    def note_fields(self):
        return [self[name] for name in self.fields if name.startswith(NOTE_PREFIX)]

    def clean(self):
        cleaned = super().clean()
        summary = (cleaned.get("summary") or "").strip()
        unchanged_on_edit = self.editing and (self.initial.get("summary") or "").strip() == summary
        # The shortcut's sentence alone is a report only once the officer confirms it.
        if summary == str(NOTHING_NOTABLE) and not cleaned.get("confirm_nothing_notable") and not unchanged_on_edit:
            self.add_error(
                "confirm_nothing_notable",
                ValidationError(
                    _("Centang konfirmasi ini, atau tuliskan kondisi terkini dengan kata-kata Anda sendiri."),
                    code="unconfirmed",
                ),
            )
        return cleaned

    def service_data(self):
        """The cleaned input in the shape `report_submit` / `report_edit` take."""
        data = {
            "situation": self.cleaned_data["situation"],
            "summary": self.cleaned_data["summary"],
            "sources": self.cleaned_data["sources"],
            "district_notes": {
                name.removeprefix(NOTE_PREFIX): value
                for name, value in self.cleaned_data.items()
                if name.startswith(NOTE_PREFIX) and value
            },
        }
        if "report_date" in self.cleaned_data:
            data["report_date"] = self.cleaned_data["report_date"]
        composed_at = self.cleaned_data.get("composed_at")
        # A phone clock outside the desk's years (reset to 1970, say) tells nothing: the report goes without it.
        if composed_at and not moment_year_problem(composed_at):
            data["composed_at"] = composed_at
        return data

    @staticmethod
    def initial_from(report):
        initial = {field: getattr(report, field) for field in ("situation", "summary", "sources", "version")}
        initial.update({f"{NOTE_PREFIX}{code}": note for code, note in report.district_notes.items()})
        return initial


class AcknowledgeForm(forms.Form):
    comment = ParsedCharField(
        label=_("Catatan untuk petugas (opsional)"),
        required=False,
        max_length=SUMMARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ExcuseForm(forms.Form):
    regency = forms.ModelChoiceField(
        label=_("Kabupaten/kota"),
        queryset=Regency.objects.none(),
        error_messages={"required": _("Pilih kabupaten/kota."), "invalid_choice": _("Kabupaten/kota tidak dikenal.")},
    )
    # Date and reason: day_excuse decides.
    date = ParsedDateField(
        label=_("Tanggal"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Tulis tanggal dengan format YYYY-MM-DD.")},
    )
    reason = ParsedCharField(
        label=_("Alasan"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Mis. gangguan jaringan internet di Mahakam Ulu."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regency"].queryset = regions_for(user, Regency).order_by("code")


class ExcuseWithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan pencabutan"),
        max_length=WITHDRAWAL_REASON_MAX_LENGTH,
        error_messages={"required": _("Tuliskan alasan pencabutan, mis. salah memilih tanggal.")},
    )
