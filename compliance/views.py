from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import DeskProfile
from accounts.scope import desk_scope, require_desk_role
from core.filtering import list_filter_invalid
from elections.visible import active_elections_with_regencies
from reports.constants import COUNTED_STATES
from reports.models import DailyReport

from . import dismissal
from .forms import FlagDismissForm, FlagListFilterForm
from .models import Flag, FlagKind
from .selectors import ranking_since, reporting_ranking


def whatsapp_link(phone, text):
    """A wa.me link that opens WhatsApp with the message typed in; no WhatsApp API involved."""
    return f"https://wa.me/{phone}?text={quote(text)}"


def _reminder_text(flag):
    if flag.kind == FlagKind.MISSED_DAILY_REPORT:
        return _(
            "Yth. Desk Pilkada %(regency)s: laporan harian tanggal %(date)s belum kami terima. "
            "Mohon segera dikirim melalui Desk Pilkada, walaupun tidak ada kejadian menonjol. Terima kasih."
        ) % {"regency": flag.regency.name, "date": date_format(flag.date)}
    return _(
        "Yth. Desk Pilkada %(regency)s: penerimaan logistik dari KPU belum terkonfirmasi lengkap. "
        "Mohon segera dicatat di Desk Pilkada. Terima kasih."
    ) % {"regency": flag.regency.name}


def _reports_of_missed_days(flags):
    """{(election, regency, date): the late report} for the missed-report flags shown."""
    missed = [flag for flag in flags if flag.kind == FlagKind.MISSED_DAILY_REPORT]
    if not missed:
        return {}
    reports = DailyReport.objects.filter(
        election_id__in={flag.election_id for flag in missed}, regency_id__in={flag.regency_id for flag in missed},
        report_date__in={flag.date for flag in missed},
    ).select_related("election__province")
    return {(report.election_id, report.regency_id, report.report_date): report for report in reports}


def _excuse_reason(report):
    """The reason the one-click excuse proposes: written in time on the phone, received late."""
    if report is None or report.composed_at is None:
        return ""
    zone = report.election.zone
    return _("Laporan ditulis %(written)s (jam ponsel) dan baru diterima %(received)s: gangguan jaringan.") % {
        "written": date_format(report.composed_at.astimezone(zone), "DATETIME_FORMAT"),
        "received": date_format(report.submitted_at.astimezone(zone), "DATETIME_FORMAT"),
    }


@login_required
def flag_list(request):
    """Open flags first (with WhatsApp reminders for the secretariat), then the reporting ranking."""
    scope = require_desk_role(request.user)
    flags = Flag.objects.for_user(request.user).select_related("regency", "election__province", "resolved_by")
    filter_form = FlagListFilterForm(request.GET or None)
    invalid = list_filter_invalid(filter_form)
    chosen = filter_form.cleaned_data if filter_form.is_bound and not invalid else {}
    show, kind, period = chosen.get("show", "open"), chosen.get("kind", ""), chosen.get("period", "all")
    if invalid:
        flags = flags.none()
    elif show == "open":
        flags = flags.open()
    if kind:
        flags = flags.filter(kind=kind)
    page = Paginator(flags.order_by("resolved_at", "-date", "regency_id"), 50).get_page(request.GET.get("page"))

    phones = {}
    if scope.oversees:
        for code, phone in DeskProfile.objects.filter(
            regency_id__in={flag.regency_id for flag in page}, user__is_active=True
        ).exclude(phone="").values_list("regency_id", "phone"):
            phones.setdefault(code, []).append(phone)
    reports = _reports_of_missed_days(page)
    rows = [
        {"flag": flag,
         "whatsapp": [whatsapp_link(phone, _reminder_text(flag)) for phone in phones.get(flag.regency_id, [])],
         "report": reports.get((flag.election_id, flag.regency_id, flag.date)),
         "excuse_reason": _excuse_reason(reports.get((flag.election_id, flag.regency_id, flag.date)))}
        for flag in page
    ]
    now = timezone.now()
    rankings = [] if invalid else [
        (election, reporting_ranking(election=election, regencies=regencies, now=now,
                                     since=ranking_since(election=election, now=now, period=period)))
        for election, regencies in active_elections_with_regencies(request.user)
    ]
    return render(request, "compliance/flag_list.html", {
        "rows": rows, "page": page, "show": show, "kind": kind, "kinds": FlagKind.choices,
        "filter_form": filter_form, "filter_invalid": invalid,
        "rankings": rankings, "can_manage": scope.manages,
        "dismiss_form": FlagDismissForm(), "period": period, "ranking_states": COUNTED_STATES,
    })


@login_required
@require_POST
def flag_dismiss(request, pk):
    scope = desk_scope(request.user)
    flag = get_object_or_404(Flag.objects.for_user(request.user).select_related("regency", "election__province"),
                             pk=pk)
    if not scope.manages:
        raise PermissionDenied
    form = FlagDismissForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["note"][0])
    elif dismissal.flag_dismiss(flag=flag, by=request.user, note=form.cleaned_data["note"], now=timezone.now()):
        messages.success(request, _("Tanda “%(kind)s” %(regency)s tanggal %(date)s ditutup.") % {
            "kind": flag.get_kind_display(), "regency": flag.place_name, "date": date_format(flag.date)})
    else:
        messages.info(request, _("Tanda ini sudah selesai sebelumnya."))
    return redirect("compliance:flag_list")
