"""Web forms: record or edit an incident, move it along the workflow, attach evidence.

They parse input and give friendly messages; the services decide.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.fields import MomentField
from elections.constants import ContestKind
from elections.models import CandidatePair
from regions.models import District, PollingStation, Village

from .constants import (
    DESCRIPTION_MAX_LENGTH,
    EVIDENCE_MAX_BYTES,
    NOTE_MAX_LENGTH,
    REFERENCE_MAX_LENGTH,
    Category,
    ForwardedTo,
    Origin,
    Outcome,
    Status,
)
from .models import place_problems

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def _pk(value):
    return getattr(value, "pk", value) or None


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several evidence files in one input; each is checked by the evidence service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultiplePhotoInput(attrs={
            "multiple": True, "accept": "image/jpeg,image/png,application/pdf", "data-max-bytes": EVIDENCE_MAX_BYTES,
        }))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultiplePhotoField, self).clean(item, initial) for item in files]


class IncidentForm(forms.Form):
    """An officer's incident in their own regency.

    The village and TPS selects list only the children of the chosen parent
    (the script refills them); validation accepts any code and says plainly
    when it lies elsewhere.
    """

    occurred_at = MomentField(
        label=_("Waktu kejadian"), input_formats=[DATETIME_LOCAL],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )
    category = forms.ChoiceField(label=_("Kategori"), choices=[("", "---------"), *Category.choices])
    district = forms.ModelChoiceField(
        label=_("Kecamatan"), queryset=District.objects.all(), required=False, empty_label=_("(tidak diketahui)"),
    )
    village = forms.ModelChoiceField(
        label=_("Kelurahan/desa"), queryset=Village.objects.all(), required=False,
        empty_label=_("(tidak diketahui)"),
    )
    tps = forms.ModelChoiceField(
        label=_("TPS"), queryset=PollingStation.objects.all(), required=False, empty_label=_("(bukan di TPS)"),
    )
    candidate_pair = forms.ModelChoiceField(
        label=_("Pasangan calon terkait"), queryset=CandidatePair.objects.all(), required=False,
        empty_label=_("(tidak terkait pasangan calon)"),
    )
    origin = forms.ChoiceField(label=_("Asal informasi"), choices=Origin.choices, widget=forms.RadioSelect)
    description = forms.CharField(
        label=_("Uraian kejadian"), widget=forms.Textarea(attrs={"rows": 5}), max_length=DESCRIPTION_MAX_LENGTH,
        help_text=_("Apa yang terjadi, siapa yang terlibat, saksi, dan tindakan yang sudah diambil."),
    )
    photos = MultiplePhotoField(
        label=_("Foto atau PDF bukti (opsional)"), required=False,
        help_text=_("JPEG, PNG atau PDF, maksimal 10 MB per berkas. Foto besar diperkecil di ponsel sebelum "
                    "dikirim; waktu dan lokasi foto (EXIF) tetap tersimpan."),
    )

    # The version the officer started editing from (optimistic concurrency); only when editing.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, regency, election, with_photos=False, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_photos:
            del self.fields["photos"]
        self.regency, self.election = regency, election
        if not editing:
            del self.fields["version"]
        district = self._chosen("district")
        village = self._chosen("village")
        self.fields["district"].widget.choices = self._options(
            District.objects.filter(regency=regency), _("(tidak diketahui)")
        )
        self.fields["village"].widget.choices = self._options(
            Village.objects.filter(regency=regency, district_id=district) if district else Village.objects.none(),
            _("(tidak diketahui)"),
        )
        self.fields["tps"].widget.choices = self._options(
            PollingStation.objects.filter(regency=regency, village_id=village).select_related("village") if village
            else PollingStation.objects.none(),
            _("(bukan di TPS)"), label=lambda tps: _("TPS %(number)03d") % {"number": tps.number},
        )
        self.fields["candidate_pair"].widget.choices = self._pair_options()

    def _chosen(self, name):
        """The parent picked so far: the submitted value, else the initial one."""
        if self.is_bound:
            return self.data.get(self.add_prefix(name)) or None
        return _pk(self.initial.get(name))

    @staticmethod
    def _options(queryset, empty, label=str):
        return [("", empty), *((obj.pk, label(obj)) for obj in queryset)]

    def _pair_options(self):
        """Pairs grouped by race: the governor's, then this regency's."""
        pairs = (
            CandidatePair.objects.voting_in(self.regency).filter(contest__election=self.election)
            .select_related("contest").order_by("contest__kind", "number")
        )
        groups = {ContestKind.GOVERNOR: [], ContestKind.LOCAL: []}
        for pair in pairs:
            groups[pair.contest.kind].append((pair.pk, str(pair)))
        titles = {ContestKind.GOVERNOR: _("Pilgub"), ContestKind.LOCAL: self.regency.name}
        return [("", _("(tidak terkait pasangan calon)"))] + [
            (titles[kind], options) for kind, options in groups.items() if options
        ]

    def clean(self):
        data = super().clean()
        problems = place_problems(
            regency=self.regency, election=self.election, district=data.get("district"),
            village=data.get("village"), tps=data.get("tps"), candidate_pair=data.get("candidate_pair"),
        )
        for field, message in problems.items():
            self.add_error(field if field in self.fields else None, message)
        return data


class MoveForm(forms.Form):
    """One move of the workflow; only the fields that move needs are kept."""

    FIELDS_FOR = {
        Status.FORWARDED: ("forwarded_to", "reference", "note"),
        Status.UNDER_REVIEW: ("note",),
        Status.CONCLUDED: ("outcome", "note"),
        Status.WITHDRAWN: ("note",),
    }

    to_status = forms.ChoiceField(choices=Status.choices, widget=forms.HiddenInput)
    forwarded_to = forms.ChoiceField(label=_("Diteruskan kepada"), choices=ForwardedTo.choices)
    reference = forms.CharField(label=_("Nomor register/rujukan"), max_length=REFERENCE_MAX_LENGTH)
    outcome = forms.ChoiceField(label=_("Hasil penanganan"), choices=[("", "---------"), *Outcome.choices])
    note = forms.CharField(
        label=_("Catatan"), required=False, max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, move, **kwargs):
        kwargs.setdefault("initial", {})["to_status"] = move
        super().__init__(*args, **kwargs)
        self.move = Status(move)
        keep = ("to_status", *self.FIELDS_FOR.get(self.move, ("note",)))
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]

    @property
    def title(self):
        return {
            Status.FORWARDED: _("Teruskan ke lembaga berwenang"),
            Status.UNDER_REVIEW: _("Tandai sedang ditangani"),
            Status.CONCLUDED: _("Selesaikan dengan hasil penanganan"),
            Status.WITHDRAWN: _("Cabut catatan insiden"),
        }.get(self.move, self.move.label)


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("Foto atau PDF bukti"),
        help_text=_("JPEG, PNG atau PDF, maksimal 10 MB. Berkas disimpan apa adanya."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )
