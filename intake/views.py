"""The field inbox (/intake/): the regency's messages by district and village; one sender's conversation; the
officer's two actions."""

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
from contacts.models import Contact
from contacts.services import may_manage_contacts
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
# A conversation shows its latest messages, this many at most.
CONVERSATION_LIMIT = 100


def _visible(user, pk):
    return get_object_or_404(InboundMessage.objects.for_user(user).select_related("contact", "regency"), pk=pk)


def _ensure_reads_inbox(user):
    """The field inbox and its conversations are the officers', the secretariat's and the admin's."""
    scope = require_desk_role(user)
    if not (scope.is_officer or scope.manages):
        raise PermissionDenied(_("Kotak pesan lapangan untuk petugas desk dan sekretariat."))
    return scope


@login_required
def inbox(request):
    scope = _ensure_reads_inbox(request.user)
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


def _conversation(request, scope, thread, *, contact, sender, zone, edits_contacts):
    """One sender's thread like a phone chat: the latest messages oldest first, each with the reply we sent."""
    rows = list(thread.exclude(kind="").select_related("outbound").order_by("-received_at", "-pk")
                [:CONVERSATION_LIMIT + 1])
    if contact is None and not rows:
        raise Http404
    with timezone.override(zone):
        return render(request, "intake/conversation.html", {
            "contact": contact, "sender": sender, "messages_shown": rows[:CONVERSATION_LIMIT][::-1],
            "capped": len(rows) > CONVERSATION_LIMIT, "limit": CONVERSATION_LIMIT, "is_officer": scope.is_officer,
            "edits_contacts": edits_contacts,
        })


@login_required
def conversation(request, pk):
    """A contact's conversation (their messages since they were registered), in their province's time zone."""
    scope = _ensure_reads_inbox(request.user)
    contact = get_object_or_404(
        Contact.objects.for_user(request.user).select_related("regency__province", "district", "village"), pk=pk)
    thread = InboundMessage.objects.for_user(request.user).filter(contact=contact)
    return _conversation(request, scope, thread, contact=contact, sender=str(contact.phone),
                         zone=contact.regency.province.time_zone,
                         edits_contacts=may_manage_contacts(request.user, contact.regency_id))


@login_required
def conversation_number(request, sender):
    """The messages of a number no contact had when they came (the secretariat's to read); 404 when none."""
    scope = _ensure_reads_inbox(request.user)
    thread = InboundMessage.objects.for_user(request.user).filter(sender=sender, contact__isnull=True)
    return _conversation(request, scope, thread, contact=None, sender=sender, zone=timezone.get_current_timezone(),
                         edits_contacts=scope.is_secretariat)


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
