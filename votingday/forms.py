"""Web forms of voting day: they parse what the officer typed; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.fields import ParsedCharField, ParsedChoiceField, ParsedDateField, ParsedMultipleChoiceField

from .constants import (
    CASE_NUMBER_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    DisputeDecision,
    DisputeStatus,
    ProblemKind,
    RecapStatus,
)

# Problem rows shown on the form beyond those the field already reported.
EXTRA_PROBLEM_ROWS = 2


class CountInput(forms.NumberInput):
    def __init__(self):
        super().__init__(attrs={"inputmode": "numeric", "min": 0, "class": "form-control"})


class VotingRoundForm(forms.Form):
    """One round's report: counts (started from the field's), turnout, problem TPS, summary."""

    tps_opened = forms.CharField(label=_("TPS dibuka"), widget=CountInput(), required=False)
    tps_closed = forms.CharField(label=_("TPS ditutup"), widget=CountInput(), required=False)
    tps_counted = forms.CharField(label=_("TPS dihitung"), widget=CountInput(), required=False)
    turnout_percent = forms.CharField(
        label=_("Partisipasi menurut KPU (%)"), required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "form-control"}),
        help_text=_("Boleh kosong; satu angka desimal, mis. 69,2."))
    summary = ParsedCharField(label=_("Ringkasan"), required=False, max_length=SUMMARY_MAX_LENGTH,
                              widget=forms.Textarea(attrs={"rows": 3}))
    confirm_order = forms.BooleanField(
        label=_("Saya sudah memeriksa: jumlah ini benar walaupun tidak menurun (dibuka ≥ ditutup ≥ dihitung)."),
        required=False)


class ProblemForm(forms.Form):
    tps = ParsedChoiceField(label=_("TPS"), required=False)
    kind = ParsedChoiceField(label=_("Jenis masalah"), required=False,
                             choices=[("", "—"), *ProblemKind.choices])
    note = ParsedCharField(label=_("Catatan"), required=False, max_length=NOTE_MAX_LENGTH)

    def __init__(self, *args, tps_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tps"].choices = [("", "—"), *tps_choices]


ProblemFormSet = forms.formset_factory(ProblemForm, extra=0)


class RecapForm(forms.Form):
    """One recapitulation's progress: which one (contest, level, region, offered by the view), status, dates."""

    target = ParsedChoiceField(label=_("Rekapitulasi"))
    status = ParsedChoiceField(label=_("Status"), choices=RecapStatus.choices)
    started_on = ParsedDateField(label=_("Mulai"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    finished_on = ParsedDateField(label=_("Selesai"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    note = ParsedCharField(label=_("Catatan"), required=False, max_length=NOTE_MAX_LENGTH)

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = list(targets)


class DisputeForm(forms.Form):
    """A dispute at the Constitutional Court: which race, the case, where it stands."""

    contest = ParsedChoiceField(label=_("Kontestasi"))
    filed_on = ParsedDateField(label=_("Didaftarkan"), widget=forms.DateInput(attrs={"type": "date"},
                                                                               format="%Y-%m-%d"))
    case_number = ParsedCharField(label=_("Nomor perkara"), max_length=CASE_NUMBER_MAX_LENGTH)
    status = ParsedChoiceField(label=_("Status"), choices=DisputeStatus.choices)
    decision = ParsedChoiceField(label=_("Putusan"), required=False, choices=[("", "—"), *DisputeDecision.choices])
    decided_on = ParsedDateField(label=_("Tanggal putusan"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    note = ParsedCharField(label=_("Catatan"), required=False, max_length=NOTE_MAX_LENGTH)

    def __init__(self, *args, contests=(), editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contest"].choices = [(str(contest.pk), str(contest)) for contest in contests]
        if editing:
            del self.fields["contest"]


class RevoteForm(forms.Form):
    """TPS of one regency that vote again (PSU): which (ticked on the page, grouped by village), when, on what
    ground."""

    tps = ParsedMultipleChoiceField(label=_("TPS"), required=False)
    date = ParsedDateField(label=_("Tanggal pemungutan suara ulang"), required=False,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    reason = ParsedCharField(label=_("Dasar"), required=False, max_length=NOTE_MAX_LENGTH,
                             help_text=_("Mis. putusan MK nomor ..., atau rekomendasi Panwascam/Bawaslu."),
                             widget=forms.Textarea(attrs={"rows": 2}))
