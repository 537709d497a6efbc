"""The Rakor pages: meetings (list, schedule, record), action items, the calendar file and the brief."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.scope import desk_scope, regions_for, require_desk_role
from core.errors import form_add_service_errors
from elections.models import Election
from regions.models import Regency

from ..models import ActionItem, CoordinationMeeting, MeetingAttendance
from . import services
from .brief import rakor_brief
from .calendar import meeting_ics
from .forms import ActionItemDoneForm, ActionItemForm, MeetingCancelForm, MeetingForm, MeetingRecordForm


def _managed_election(user):
    """The active election the user's secretariat manages, or None."""
    if not desk_scope(user).is_secretariat:
        return None
    return Election.objects.active().for_user(user).select_related("province").first()


def _meeting_data(form, now):
    data = form.cleaned_data
    return {"date": data["date"], "time": data["time"], "duration_minutes": data["duration_minutes"], "data": data,
            "now": now}


@login_required
def meeting_list(request):
    """Meetings of the user's province, the next first; the secretariat schedules one here."""
    require_desk_role(request.user)
    now = timezone.now()
    election = _managed_election(request.user)
    form = MeetingForm(request.POST or None)
    if request.method == "POST":
        if election is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                meeting = services.meeting_schedule(election=election, by=request.user, **_meeting_data(form, now))
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                messages.success(request, _("Rakor dijadwalkan."))
                return redirect(meeting)
    meetings = list(CoordinationMeeting.objects.for_user(request.user).select_related("election__province"))
    return render(request, "desk/rakor/meeting_list.html", {
        "upcoming": sorted((m for m in meetings if m.ends_at > now), key=lambda m: m.starts_at),
        "past": [m for m in meetings if m.ends_at <= now],
        "form": form if election else None, "election": election,
    })


def _visible_meeting(request, pk):
    meetings = CoordinationMeeting.objects.for_user(request.user).select_related("election__province", "cancelled_by")
    return get_object_or_404(meetings, pk=pk)


def _managed_meeting(request, pk):
    """A meeting the user sees and runs: 403 for anyone but its province's secretariat, before any form is read."""
    meeting = _visible_meeting(request, pk)
    services.ensure_manages_rakor(request.user, meeting.election.province_id)
    return meeting


def _meeting_regencies(request, meeting):
    return regions_for(request.user, Regency).filter(province_id=meeting.election.province_id).order_by("code")


@login_required
def meeting_detail(request, pk, *, record_form=None, action_form=None, cancel_form=None):
    """One meeting: its Zoom details, agenda, minutes, attendance per regency and action items."""
    meeting = _visible_meeting(request, pk)
    scope = desk_scope(request.user)
    can_manage = (scope.is_secretariat and scope.province_code == meeting.election.province_id
                  and not meeting.is_cancelled)
    regencies = list(_meeting_regencies(request, meeting))
    attendance = {row.regency_id: row for row in MeetingAttendance.objects.filter(meeting=meeting)}
    items = ActionItem.objects.for_user(request.user).filter(meeting=meeting).select_related("regency", "done_by")
    if meeting.is_cancelled:  # its forms are gone: a refused change is told as a message
        for form in (record_form, action_form):
            for error in form.non_field_errors() if form is not None else ():
                messages.error(request, error)
    local = meeting.local_start
    if can_manage and record_form is None:
        record_form = MeetingRecordForm(initial={
            "title": meeting.title, "date": local.date(), "time": local.time(),
            "duration_minutes": int((meeting.ends_at - meeting.starts_at).total_seconds() // 60),
            "join_url": meeting.join_url, "zoom_meeting_id": meeting.zoom_meeting_id, "passcode": meeting.passcode,
            "agenda": meeting.agenda, "minutes": meeting.minutes,
        })
    if can_manage and action_form is None:
        action_form = ActionItemForm(regencies=_meeting_regencies(request, meeting),
                                     initial={"due_date": local.date() + dt.timedelta(days=7)})
    return render(request, "desk/rakor/meeting_detail.html", {
        "meeting": meeting, "can_manage": can_manage, "record_form": record_form, "action_form": action_form,
        "cancel_form": (cancel_form or MeetingCancelForm()) if can_manage else None,
        "attendance_rows": [(regency, attendance.get(regency.code)) for regency in regencies],
        "items": list(items), "done_form": ActionItemDoneForm(),
        "is_officer": scope.is_officer, "own_regency": scope.regency_code,
    })


@login_required
@require_POST
def meeting_record(request, pk):
    meeting = _managed_meeting(request, pk)
    form = MeetingRecordForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_update(meeting=meeting, by=request.user, minutes=form.cleaned_data["minutes"],
                                    **_meeting_data(form, timezone.now()))
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("Rakor disimpan."))
            return redirect(meeting)
    return meeting_detail(request, pk, record_form=form)


@login_required
@require_POST
def meeting_attendance(request, pk):
    """One row per regency: `present_<code>` ticked, `attendees_<code>` the names."""
    meeting = _managed_meeting(request, pk)
    rows = {
        regency.code: (request.POST.get(f"present_{regency.code}") == "on",
                       request.POST.get(f"attendees_{regency.code}", "")[:300])
        for regency in _meeting_regencies(request, meeting)
    }
    try:
        services.attendance_record(meeting=meeting, by=request.user, rows=rows, now=timezone.now())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Kehadiran disimpan."))
    return redirect(meeting)


@login_required
@require_POST
def meeting_cancel(request, pk):
    """The secretariat cancels the meeting with a reason; it stays listed as cancelled."""
    meeting = _managed_meeting(request, pk)
    form = MeetingCancelForm(request.POST)
    if form.is_valid():
        try:
            cancelled = services.meeting_cancel(meeting=meeting, by=request.user, reason=form.cleaned_data["reason"],
                                                now=timezone.now())
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            if cancelled:
                messages.success(request, _("Rakor dibatalkan."))
            else:
                messages.info(request, _("Rakor ini sudah dibatalkan sebelumnya."))
            return redirect(meeting)
    return meeting_detail(request, pk, cancel_form=form)


@login_required
@require_POST
def action_item_create(request, pk):
    meeting = _managed_meeting(request, pk)
    form = ActionItemForm(request.POST, regencies=_meeting_regencies(request, meeting))
    if form.is_valid():
        try:
            services.action_item_assign(meeting=meeting, by=request.user, now=timezone.now(), **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("Tindak lanjut dicatat."))
            return redirect(meeting)
    return meeting_detail(request, pk, action_form=form)


@login_required
@require_POST
def action_item_done(request, pk):
    """The regency's officer marks its action item done with a note; others cannot."""
    item = get_object_or_404(ActionItem.objects.for_user(request.user), pk=pk)
    form = ActionItemDoneForm(request.POST)
    if not form.is_valid():
        if not desk_scope(request.user).can_write_regency(item.regency_id):
            raise PermissionDenied
        messages.error(request, form.errors["note"][0])
    elif services.action_item_complete(item=item, by=request.user, note=form.cleaned_data["note"],
                                       now=timezone.now()):
        messages.success(request, _("Tindak lanjut ditandai selesai."))
    else:
        messages.info(request, _("Tindak lanjut ini sudah selesai sebelumnya."))
    back = request.POST.get("back")
    if back == "regency":
        return redirect("regency_page", code=item.regency_id)
    return redirect("home" if back == "home" else item.meeting)


@login_required
def meeting_calendar(request, pk):
    meeting = _visible_meeting(request, pk)
    response = HttpResponse(meeting_ics(meeting, now=timezone.now(), host=request.get_host().split(":")[0]),
                            content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rakor-{meeting.local_start:%Y-%m-%d}.ics"'
    return response


def _brief(request):
    """The brief's context for `?date=` (default: today in the election's zone), secretariat only."""
    scope = desk_scope(request.user)
    if not scope.oversees:
        raise PermissionDenied
    elections = Election.objects.active().for_user(request.user).select_related("province")
    election_id = request.GET.get("election")
    election = elections.filter(pk=election_id).first() if election_id and election_id.isdigit() else elections.first()
    if election is None:
        raise Http404(_("Tidak ada pemilihan aktif."))
    now = timezone.now()
    date = _brief_date(request.GET.get("date"), election) if request.GET.get("date") else election.local_date(now)
    return rakor_brief(election=election, date=date, now=now, signer=request.user if scope.is_secretariat else None)


class BriefDateError(ValueError):
    """A `?date=` the brief cannot be made for; the message says the allowed range."""


def _brief_date(text, election):
    """`?date=` as a date inside the election's reporting window (where its meetings are), or BriefDateError."""
    first, last = election.reporting_start, election.reporting_end
    allowed = {"election": election.name, "first": date_format(first), "last": date_format(last)}
    try:
        date = dt.date.fromisoformat(text)
    except ValueError:
        raise BriefDateError(_("Tanggal %(value)s tidak dikenal: tulis YYYY-MM-DD, antara %(first)s dan %(last)s.")
                             % {"value": text[:20], **allowed}) from None
    if not first <= date <= last:
        raise BriefDateError(_("Tanggal %(value)s di luar kalender %(election)s: pilih antara %(first)s dan "
                               "%(last)s.") % {"value": text[:20], **allowed})
    return date


@login_required
def brief(request):
    try:
        context = _brief(request)
    except BriefDateError as error:
        # The date form with the message only: never a brief for a day outside the calendar.
        return render(request, "desk/rakor/brief_page.html",
                      {"brief": None, "date_error": str(error), "date_value": request.GET.get("date", "")[:20]},
                      status=400)
    return render(request, "desk/rakor/brief_page.html", {"brief": context})


@login_required
def brief_pdf(request):
    from weasyprint import CSS, HTML  # loads Pango; only the PDF needs it

    try:
        context = _brief(request)
    except BriefDateError as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    html = render_to_string("desk/rakor/brief_pdf.html", {"brief": context}, request=request)
    # The page's own stylesheet, read from the app's static folder (the PDF is not served, so no CSP applies).
    stylesheet = CSS(filename=finders.find("desk/brief.css"))
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(stylesheets=[stylesheet])
    response = HttpResponse(pdf, content_type="application/pdf")
    # "Unduh PDF" downloads the dated file; ?inline=1 opens it in the browser instead.
    disposition = "inline" if request.GET.get("inline") == "1" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="bahan-rakor-{context["date"]:%Y-%m-%d}.pdf"'
    return response
