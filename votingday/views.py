"""Pages of voting day and after: the officer's round form and the recapitulation page.

The situation room, which draws the province map, lives in `desk`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scope import ensure_manager_of, require_desk_role
from core.errors import form_add_service_errors
from elections.constants import ContestKind
from elections.models import Contest, Election
from elections.visible import active_elections_with_regencies
from idempotency.services import idempotent
from idempotency.web import form_key
from regions.models import District, PollingStation, Regency

from .constants import RecapLevel, Round, TpsState
from .forms import EXTRA_PROBLEM_ROWS, DisputeForm, ProblemFormSet, RecapForm, RevoteForm, VotingRoundForm
from .models import Dispute, RevoteTps, TpsStatus, VotingRound
from .room import field_counts, recap_overview, revote_groups, tps_by_district
from .services import (
    OrderUnconfirmed,
    dispute_file,
    dispute_update,
    recap_set,
    revote_schedule,
    voting_round_submit,
)


def _officer_desk(request):
    scope = require_desk_role(request.user)
    if not scope.is_officer or not scope.regency_code:
        raise PermissionDenied(_("Hanya petugas desk kabupaten/kota yang mengirim laporan tahap."))
    regency = Regency.objects.select_related("province").get(pk=scope.regency_code)
    return regency, Election.objects.active_for(regency)


def _tps_choices(regency):
    stations = PollingStation.objects.filter(regency=regency).select_related("village").order_by(
        "village_id", "number")
    return [(str(tps.pk), f"{tps.village.name} · TPS {tps.number:03d}") for tps in stations]


@login_required
def round_form(request, round_code):
    """The officer's report of one round: starts from the field's TPS counts; the officer confirms or corrects."""
    if round_code not in Round.values:
        raise Http404
    regency, election = _officer_desk(request)
    if election is None:
        return render(request, "votingday/no_election.html", {"regency": regency})
    now = timezone.now()
    existing = VotingRound.objects.filter(election=election, regency=regency, round=round_code,
                                          day=election.voting_day).first()
    seen = field_counts(election=election, regency_codes=[regency.code]).get(
        regency.code, {"opened": 0, "closed": 0, "counted": 0, "problem": 0})
    choices = _tps_choices(regency)
    if request.method == "POST":
        form = VotingRoundForm(request.POST)
        problems = ProblemFormSet(request.POST, prefix="problem", form_kwargs={"tps_choices": choices})
        if form.is_valid() and problems.is_valid():
            rows = [row for row in problems.cleaned_data if row.get("tps") or row.get("kind")]
            # Sent again from the offline outbox with the same key: the first answer, nothing stored twice.
            with idempotent(user=request.user, key=form_key(request), endpoint=f"votingday:round:{round_code}",
                            now=now) as claim:
                if claim.replay is not None:
                    return redirect(claim.replay.location)
                try:
                    voting_round_submit(election=election, regency=regency, by=request.user, now=now,
                                        data={**form.cleaned_data, "round": round_code, "problems": rows})
                except OrderUnconfirmed as error:
                    form.add_error("confirm_order", error.message_dict["confirm_order"])
                    form.order_warning = True
                except ValidationError as error:
                    form_add_service_errors(form, error)
                else:
                    claim.store(status_code=302, location=reverse("voting_day"))
                    messages.success(request, _("Laporan tahap %(round)s terkirim.") % {
                        "round": Round(round_code).label})
                    return redirect("voting_day")
    else:
        form = VotingRoundForm(initial={"tps_opened": seen["opened"], "tps_closed": seen["closed"],
                                        "tps_counted": seen["counted"]})
        reported = (TpsStatus.objects.filter(election=election, regency=regency, status=TpsState.PROBLEM)
                    .order_by("tps_id"))
        initial = [{"tps": str(status.tps_id), "kind": "other", "note": status.note} for status in reported]
        problems = ProblemFormSet(prefix="problem", form_kwargs={"tps_choices": choices},
                                  initial=initial + [{}] * EXTRA_PROBLEM_ROWS)
        problems.extra = 0
    return render(request, "votingday/round_form.html", {
        "regency": regency, "election": election, "round_code": round_code, "round_label": Round(round_code).label,
        "deadline": election.round_deadline(round_code), "now": now, "existing": existing, "form": form,
        "problems": problems, "field": seen, "tps_total": len(choices),
        "show_confirm": getattr(form, "order_warning", False) or bool(form.data.get("confirm_order")),
    })


@login_required
def recap_page(request):
    """The recapitulation per contest and level against the windows, and the disputes."""
    scope = require_desk_role(request.user)
    now = timezone.now()
    pages = []
    for election, regencies in active_elections_with_regencies(request.user):
        overview = recap_overview(election=election, regencies=regencies, now=now)
        pages.append({"election": election, **overview})
    return render(request, "votingday/recap.html", {"pages": pages, "scope": scope, "now": now})


def _recap_targets(election, scope, regencies):
    """("kind|level|region", label) for each recapitulation the user may record, and the contests by kind/regency."""
    contests = {(c.kind, c.regency_id): c for c in Contest.objects.filter(election=election).select_related(
        "regency", "election__province")}
    districts = District.objects.filter(regency__in=regencies).order_by("code")
    targets = []
    for (kind, regency_code), contest in sorted(contests.items(), key=lambda item: (item[0][0], item[0][1] or "")):
        for regency in regencies:
            if kind == ContestKind.LOCAL and regency_code != regency.code:
                continue
            targets += [(f"{kind}|{RecapLevel.DISTRICT}|{d.code}", f"{contest} · {RecapLevel.DISTRICT.label} {d.name}")
                        for d in districts if d.regency_id == regency.code]
            targets.append((f"{kind}|{RecapLevel.REGENCY}|{regency.code}",
                            f"{contest} · {RecapLevel.REGENCY.label} {regency.name}"))
        if kind == ContestKind.GOVERNOR and scope.is_secretariat:
            targets.append((f"{kind}|{RecapLevel.PROVINCE}|{election.province_id}",
                            f"{contest} · {RecapLevel.PROVINCE.label}"))
    return targets, contests


@login_required
def recap_record_page(request):
    """The officer (their regency's districts and regency) or the secretariat records a recapitulation's progress."""
    scope = require_desk_role(request.user)
    followed = active_elections_with_regencies(request.user)
    if not followed or not (scope.is_officer or scope.is_secretariat):
        raise PermissionDenied(_("Hanya petugas desk dan sekretariat yang mencatat rekapitulasi."))
    election, regencies = followed[0]
    targets, contests = _recap_targets(election, scope, regencies)
    form = RecapForm(request.POST or None, targets=targets, initial={"target": request.GET.get("target")})
    if request.method == "POST" and form.is_valid():
        kind, level, region = (form.cleaned_data["target"] or "||").split("|")
        contest = contests.get((kind, None if kind == ContestKind.GOVERNOR else region[:5]))
        try:
            if contest is None or region not in {value.split("|")[2] for value, _label in targets}:
                raise ValidationError({"target": [_("Pilih rekapitulasi dari daftar.")]})
            recap_set(contest=contest, level=level, region=region, by=request.user, now=timezone.now(),
                      data={key: form.cleaned_data.get(key) for key in ("status", "started_on", "finished_on", "note")})
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("Progres rekapitulasi tersimpan."))
            return redirect("votingday:recap")
    return render(request, "votingday/recap_form.html", {"form": form, "election": election})


def _secretariat_election(request):
    scope = require_desk_role(request.user)
    followed = active_elections_with_regencies(request.user)
    if not scope.is_secretariat or not followed:
        raise PermissionDenied(_("Hanya sekretariat provinsi yang mencatat sengketa."))
    return followed[0][0]


DISPUTE_FIELDS = ("filed_on", "case_number", "status", "decision", "decided_on", "note")


@login_required
def dispute_form(request, pk=None):
    """The secretariat records a dispute, or moves one along filed -> hearing -> decided."""
    dispute = get_object_or_404(Dispute.objects.for_user(request.user), pk=pk) if pk else None
    election = _secretariat_election(request)
    contests = Contest.objects.filter(election=election).select_related("regency", "election__province").order_by(
        "kind", "regency_id")
    initial = {field: getattr(dispute, field) for field in DISPUTE_FIELDS} if dispute else {"status": "filed"}
    form = DisputeForm(request.POST or None, contests=contests, editing=dispute is not None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {field: form.cleaned_data.get(field) for field in DISPUTE_FIELDS}
        try:
            if dispute is None:
                contest = contests.filter(pk=form.cleaned_data["contest"]).first()
                if contest is None:
                    raise ValidationError({"contest": [_("Pilih kontestasi dari daftar.")]})
                dispute_file(contest=contest, by=request.user, data=data, now=timezone.now())
            else:
                dispute_update(dispute=dispute, by=request.user, data=data, now=timezone.now())
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("Sengketa tersimpan."))
            return redirect(reverse("votingday:recap") + "#disputes")
    return render(request, "votingday/dispute_form.html", {"form": form, "dispute": dispute})


def _chosen(options, key, value):
    """The option whose `key` equals `value` (a code or id from the query string), or the only one."""
    if len(options) == 1 and not value:
        return options[0]
    return next((option for option in options if str(key(option)) == (value or "")), None)


@login_required
def revote_page(request):
    """Re-votes (PSU) scheduled in the user's elections; the province's secretariat or an admin lists more TPS:
    the regency first, then its TPS (grouped by district and village), the date and the ground."""
    scope = require_desk_role(request.user)
    followed = active_elections_with_regencies(request.user)
    if request.method == "POST":
        if not followed:
            raise PermissionDenied(_("Tidak ada pemilihan aktif."))
        # Officers and the national desk read only: refused before the form is read.
        for election, _regencies in followed:
            ensure_manager_of(request.user, election.province_id,
                              _("Hanya sekretariat provinsi yang mencatat pemungutan suara ulang."))
    params = request.POST if request.method == "POST" else request.GET
    election_regencies = _chosen(followed, lambda pair: pair[0].pk, params.get("election"))
    election, regencies = election_regencies or (None, [])
    regency = _chosen(regencies, lambda regency: regency.code, params.get("regency")) if regencies else None
    form, districts = None, []
    if scope.manages and election is not None:
        form = RevoteForm(request.POST or None)
        if regency is not None:
            districts = tps_by_district(regency)
    if request.method == "POST" and form is not None:
        if regency is None:
            form.add_error(None, _("Pilih kabupaten/kota lebih dahulu."))
        elif form.is_valid():
            ids = [int(value) for value in form.cleaned_data["tps"] if str(value).isdigit()]
            stations = PollingStation.objects.filter(pk__in=ids).select_related("village")
            try:
                created = revote_schedule(election=election, stations=stations, date=form.cleaned_data["date"],
                                          reason=form.cleaned_data["reason"], by=request.user, now=timezone.now())
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                messages.success(request, _("%(n)s TPS %(regency)s dijadwalkan pemungutan suara ulang.") % {
                    "n": len(created), "regency": regency.name})
                return redirect(reverse("votingday:revotes") + f"?election={election.pk}")
    revotes = (RevoteTps.objects.for_user(request.user)
               .filter(election__in=[election for election, _regencies in followed])
               .select_related("election__province", "regency", "tps__village", "created_by"))
    return render(request, "votingday/revotes.html", {
        "scope": scope, "followed": followed, "election": election, "regencies": regencies, "regency": regency,
        "form": form, "districts": districts, "groups": revote_groups(revotes),
        "ticked": set(form.data.getlist("tps")) if form is not None and form.is_bound else set(),
    })
