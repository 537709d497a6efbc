"""Web pages: incident list, form, page (timeline, evidence, workflow), scoped evidence download."""

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.scope import desk_scope, regions_for, require_desk_role
from core.concurrency import StaleEdit, form_data_at_version, stale_conflict
from core.errors import form_add_service_errors
from core.filtering import list_filter_invalid, list_filter_rows
from elections.models import Election
from idempotency.services import idempotent
from idempotency.web import form_key
from regions.models import PollingStation, Regency, Village

from .constants import CLOSED_STATUSES, EVIDENCE_CONTENT_TYPES, EVIDENCE_EXTENSIONS, MOVES, EvidenceKind
from .filters import IncidentFilter
from .forms import EvidenceForm, IncidentForm, MoveForm
from .models import IncidentEvent, IncidentEvidence, ViolationIncident
from .permissions import ensure_may_edit, ensure_may_move, may_edit, may_move
from .services import (
    evidence_attach,
    incident_closed_error,
    incident_edit,
    incident_move,
    incident_record_with_evidence,
    move_refusal,
)

PAGE_SIZE = 50


def _visible_incident(user, pk):
    """The incident if the user may read it; 404 otherwise (its existence is not revealed)."""
    incidents = (
        ViolationIncident.objects.for_user(user).for_display().select_related("election__province")
        .with_overdue(timezone.now())
    )
    return get_object_or_404(incidents, pk=pk)


@login_required
def incident_list(request):
    require_desk_role(request.user)
    now = timezone.now()
    incidents = ViolationIncident.objects.for_user(request.user).for_display().with_overdue(now)
    filterset = IncidentFilter(request.GET or None, queryset=incidents, request=request, now=now)
    page = Paginator(list_filter_rows(filterset), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "violations/incident_list.html", {
        "filter": filterset, "filter_invalid": list_filter_invalid(filterset), "page": page,
        "query": query.urlencode(),
        "can_record": desk_scope(request.user).is_officer,
    })


def _officer_regency(user):
    scope = desk_scope(user)
    if not scope.is_officer or not scope.regency_code:
        raise PermissionDenied(_("Hanya petugas desk kabupaten/kota yang dapat mencatat insiden."))
    return Regency.objects.get(pk=scope.regency_code)


@login_required
def incident_create(request):
    regency = _officer_regency(request.user)
    election = Election.objects.active_for(regency)
    if election is None:
        messages.error(request, _("Belum ada pemilihan aktif untuk %(regency)s.") % {"regency": regency.name})
        return redirect("violations:list")
    # Times typed into the form are the election's local time.
    with timezone.override(election.zone):
        form = IncidentForm(request.POST or None, request.FILES or None, regency=regency, election=election,
                            with_photos=True)
        if request.method == "POST" and form.is_valid():
            now = timezone.now()
            fields = dict(form.cleaned_data)
            uploads = fields.pop("photos")
            with idempotent(user=request.user, key=form_key(request), endpoint="violations:create",
                            now=now) as claim:
                if claim.replay is not None:
                    return redirect(claim.replay.location)
                try:
                    incident = incident_record_with_evidence(
                        regency=regency, election=election, by=request.user, now=now, uploads=uploads, **fields
                    )
                except ValidationError as error:
                    form_add_service_errors(form, error)
                else:
                    location = reverse("violations:detail", args=[incident.pk])
                    claim.store(status_code=302, location=location)
                    messages.success(request, _("Insiden tercatat."))
                    return redirect(location)
        return render(request, "violations/incident_form.html", {"form": form, "regency": regency, "incident": None})


@login_required
def incident_update(request, pk):
    incident = _visible_incident(request.user, pk)
    ensure_may_edit(request.user, incident.regency_id)
    if closed := incident_closed_error(incident):
        messages.error(request, closed)
        return redirect("violations:detail", pk=pk)
    initial = _incident_initial(incident)
    conflict = None
    with timezone.override(incident.election.zone):
        form = IncidentForm(request.POST or None, initial=initial, regency=incident.regency,
                            election=incident.election, editing=True)
        if request.method == "POST" and form.is_valid():
            version = form.cleaned_data["version"]
            changes = {field: value for field, value in form.cleaned_data.items()
                       if field != "version" and initial[field] != value}
            try:
                incident_edit(incident=incident, by=request.user, now=timezone.now(), version=version, **changes)
            except StaleEdit as stale:
                conflict = stale_conflict(form=form, saved_initial=_incident_initial(stale.current),
                                          current=stale.current)
                form = IncidentForm(form_data_at_version(request.POST, stale.current.version), initial=initial,
                                    regency=incident.regency, election=incident.election, editing=True)
                form.is_valid()
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                messages.success(request, _("Perubahan insiden disimpan."))
                return redirect("violations:detail", pk=pk)
        return render(request, "violations/incident_form.html",
                      {"form": form, "regency": incident.regency, "incident": incident, "conflict": conflict},
                      status=409 if conflict else 200)


def _incident_initial(incident):
    """What the edit form shows of a saved incident (the version it starts from included)."""
    fields = ("occurred_at", "category", "district", "village", "tps", "candidate_pair", "origin", "description",
              "version")
    return {field: getattr(incident, field) for field in fields}


def _render_detail(request, incident, *, move_form=None, evidence_form=None, status=200):
    events = IncidentEvent.objects.filter(incident=incident).select_related("by")
    evidence = IncidentEvidence.objects.filter(incident=incident).select_related("uploaded_by")
    move_forms = []
    if may_move(request.user, incident.regency_id):
        for move in MOVES[incident.status]:
            bound = move_form is not None and move_form.move == move
            move_forms.append(move_form if bound else MoveForm(move=move))
    can_edit = may_edit(request.user, incident.regency_id)
    return render(request, "violations/incident_detail.html", {
        "incident": incident, "events": events, "evidence": evidence, "move_forms": move_forms,
        "evidence_form": (evidence_form or EvidenceForm()) if can_edit else None,
        "can_edit": can_edit and incident.status not in CLOSED_STATUSES,
    }, status=status)


@login_required
def incident_detail(request, pk):
    return _render_detail(request, _visible_incident(request.user, pk))


@login_required
@require_POST
def incident_move_view(request, pk):
    incident = _visible_incident(request.user, pk)
    ensure_may_move(request.user, incident.regency_id)
    to_status = request.POST.get("to_status", "")
    if to_status not in MOVES[incident.status]:
        messages.error(request, move_refusal(incident.status, to_status))
        return redirect("violations:detail", pk=pk)
    form = MoveForm(request.POST, move=to_status)
    if form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if key != "to_status"}
        try:
            incident_move(incident=incident, to_status=to_status, by=request.user, now=timezone.now(), **data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("Status insiden dipindahkan ke %(status)s.") % {
                "status": incident.get_status_display()})
            return redirect("violations:detail", pk=pk)
    return _render_detail(request, incident, move_form=form, status=400)


@login_required
@require_POST
def evidence_upload(request, pk):
    incident = _visible_incident(request.user, pk)
    ensure_may_edit(request.user, incident.regency_id)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            evidence_attach(incident=incident, by=request.user, now=timezone.now(), upload=form.cleaned_data["file"])
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("Bukti diunggah."))
            return redirect("violations:detail", pk=pk)
    return _render_detail(request, incident, evidence_form=form, status=400)


def evidence_response(user, incident_pk, evidence_pk):
    """The stored file, if `user` may read its incident; else 404."""
    visible = IncidentEvidence.objects.filter(incident__in=ViolationIncident.objects.for_user(user))
    evidence = get_object_or_404(visible, pk=evidence_pk, incident_id=incident_pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404(_("Berkas bukti tidak ditemukan.")) from missing
    stem = os.path.splitext(evidence.original_name)[0] or f"bukti-{evidence.pk}"
    response = FileResponse(
        handle, content_type=EVIDENCE_CONTENT_TYPES[evidence.kind],
        # PDFs may carry scripts: download them rather than open them in the site's origin.
        as_attachment=evidence.kind == EvidenceKind.PDF,
        filename=f"{stem}.{EVIDENCE_EXTENSIONS[evidence.kind]}",
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


@login_required
@require_GET
def evidence_download(request, pk, evidence_pk):
    return evidence_response(request.user, pk, evidence_pk)


@login_required
@require_GET
def places(request):
    """Villages of `?district=` or TPS of `?village=` the user may see, for the form's dependent selects."""
    require_desk_role(request.user)
    if district := request.GET.get("district"):
        villages = regions_for(request.user, Village).filter(district_id=district).order_by("code")
        return JsonResponse({"villages": [{"code": v.code, "name": v.name} for v in villages]})
    if village := request.GET.get("village"):
        stations = regions_for(request.user, PollingStation).filter(village_id=village).order_by("number")
        return JsonResponse({"tps": [{"id": s.pk, "label": _("TPS %(number)03d") % {"number": s.number}}
                                     for s in stations]})
    return JsonResponse({"error": _("Sebutkan district atau village.")}, status=400)


@login_required
@require_GET
def places_regency(request):
    """Every village and TPS of the officer's regency in one small answer, kept on the phone (service worker)
    so that the incident form's pickers fill offline for any district: {district: [[village code, name,
    [[TPS id, number], ...]], ...]}."""
    regency = _officer_regency(request.user)
    villages = (regions_for(request.user, Village).filter(regency=regency).order_by("code")
                .values_list("code", "name", "district_id"))
    stations = {}
    for pk, number, village in (regions_for(request.user, PollingStation).filter(regency=regency)
                                .order_by("village_id", "number").values_list("pk", "number", "village_id")):
        stations.setdefault(village, []).append([pk, number])
    districts = {}
    for code, name, district in villages:
        districts.setdefault(district, []).append([code, name, stations.get(code, [])])
    return JsonResponse({"regency": regency.pk, "districts": districts},
                        json_dumps_params={"ensure_ascii": False, "separators": (",", ":")})
