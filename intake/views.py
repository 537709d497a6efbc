"""The field inbox (/intake/): the regency's messages by district and village; the officer's two actions."""

import datetime as dt
from collections import OrderedDict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.scope import ensure_officer_of, regions_for, require_desk_role
from core.errors import form_add_service_errors
from elections.models import Election
from regions.models import Regency
from violations.constants import Origin
from violations.forms import IncidentForm

from .constants import Kind, Outcome
from .drafts import draft_incident_complete, info_take_into_report
from .models import InboundMessage

RECENT_DAYS = 7
PAGE_LIMIT = 300


def _visible(user, pk):
    return get_object_or_404(InboundMessage.objects.for_user(user).select_related("contact", "regency"), pk=pk)


@login_required
def inbox(request):
    scope = require_desk_role(request.user)
    if not (scope.is_officer or scope.manages):
        raise PermissionDenied(_("Kotak pesan lapangan untuk petugas desk dan sekretariat."))
    since = timezone.now() - dt.timedelta(days=RECENT_DAYS)
    messages_seen = InboundMessage.objects.for_user(request.user).exclude(kind="").filter(received_at__gte=since)
    regencies = list(regions_for(request.user, Regency).order_by("code")) if not scope.is_officer else []
    selected = request.GET.get("regency") or ""
    if selected not in {regency.code for regency in regencies}:
        selected = ""
    if selected:
        # One regency's messages (the unregistered numbers stay in view: someone has to register them).
        messages_seen = messages_seen.filter(Q(regency_id=selected) | Q(regency__isnull=True))
    rows = list(
        messages_seen.select_related("contact", "regency", "district", "village", "outbound")
        .order_by("regency_id", "district_id", "village_id", "-received_at", "-pk")[:PAGE_LIMIT]
    )
    # Grouped by regency, then district / village (the regency-level contacts first), newest first inside.
    groups: OrderedDict = OrderedDict()
    unregistered = []
    for message in rows:
        if message.regency_id is None:
            unregistered.append(message)
            continue
        regency = groups.setdefault(message.regency_id, {"regency": message.regency, "places": OrderedDict()})
        place = message.village or message.district or message.regency
        key = message.village_id or message.district_id or ""
        regency["places"].setdefault(key, {"place": place, "messages": []})["messages"].append(message)
    unregistered.sort(key=lambda message: message.received_at, reverse=True)
    return render(request, "intake/inbox.html", {
        "groups": list(groups.values()), "unregistered": unregistered, "days": RECENT_DAYS,
        "is_officer": scope.is_officer, "count": len(rows), "regencies": regencies, "selected": selected,
    })


@login_required
def photo(request, pk):
    message = _visible(request.user, pk)
    if not message.photo:
        raise Http404
    content_type = "image/png" if message.photo.name.endswith(".png") else "image/jpeg"
    return FileResponse(message.photo.open("rb"), content_type=content_type)


@login_required
def draft_incident(request, pk):
    """A photo draft on the incident form, prefilled; saving records the incident with the photo attached."""
    message = _visible(request.user, pk)
    ensure_officer_of(request.user, message.regency_id or "",
                      _("Hanya petugas desk kabupaten/kota ini yang dapat melengkapi draf insiden."))
    if message.outcome != Outcome.DRAFT or not message.photo:
        raise Http404
    if message.incident_id:
        return redirect("violations:detail", pk=message.incident_id)
    regency = message.regency
    election = Election.objects.active_for(regency)
    if election is None:
        messages.error(request, _("Belum ada pemilihan aktif untuk %(regency)s.") % {"regency": regency.name})
        return redirect("intake:inbox")
    caption = message.parsed.get("caption") or ""
    contact = message.contact
    initial = {
        "occurred_at": message.received_at, "district": message.district_id, "village": message.village_id,
        "origin": Origin.FINDING if contact and contact.user_id else Origin.PUBLIC_REPORT,
        "description": _("%(caption)s\n(Foto lewat WhatsApp dari %(name)s, %(phone)s)") % {
            "caption": caption, "name": contact.name if contact else "-", "phone": message.sender},
    }
    with timezone.override(election.zone):
        form = IncidentForm(request.POST or None, initial=initial, regency=regency, election=election)
        if request.method == "POST" and form.is_valid():
            try:
                incident = draft_incident_complete(message=message, by=request.user, now=timezone.now(),
                                                   election=election, fields=dict(form.cleaned_data))
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                messages.success(request, _("Insiden tercatat dengan foto dari pesan lapangan."))
                return redirect("violations:detail", pk=incident.pk)
        return render(request, "intake/draft_incident.html", {"form": form, "message": message, "regency": regency})


@login_required
@require_POST
def take_into_report(request, pk):
    message = _visible(request.user, pk)
    if message.kind != Kind.INFO:
        raise Http404
    try:
        info_take_into_report(message=message, by=request.user, now=timezone.now())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Info dimasukkan ke laporan hari ini."))
    return redirect("intake:inbox")
