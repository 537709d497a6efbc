"""Web pages of the daily reports: the officer's form and the secretariat's review.

Views parse, call a service or selector, and render. Reading outside one's
scope is a 404 (the record is simply not in the user's queryset); writing
without the right role is a 403 (raised by the services).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.scope import desk_scope, ensure_officer_of, require_desk_role
from core.concurrency import StaleEdit, form_data_at_version, stale_conflict
from core.errors import form_add_service_errors
from core.filtering import list_filter_invalid, list_filter_rows
from elections.models import Election
from idempotency.services import idempotent
from idempotency.web import form_key
from regions.models import District, Regency

from .constants import NOTHING_NOTABLE, Situation
from .filters import DailyReportFilter
from .forms import AcknowledgeForm, DailyReportForm, ExcuseForm, ExcuseWithdrawForm
from .models import DailyReport, ExcusedDay
from .selectors import district_names, report_versions
from .services import (
    ReportExists,
    day_excuse,
    day_excuse_withdraw,
    excuses_withdrawn,
    report_acknowledge,
    report_edit,
    report_submit,
)

PAGE_SIZE = 50


def _officer_desk(request):
    """The officer's regency and its active election; 403 for other roles."""
    scope = require_desk_role(request.user)
    if not scope.is_officer or not scope.regency_code:
        raise PermissionDenied(_("Hanya petugas desk kabupaten/kota yang dapat mengirim laporan harian."))
    regency = Regency.objects.select_related("province").get(pk=scope.regency_code)
    return regency, Election.objects.active_for(regency)


def _deadline_context(election, now):
    today = election.local_date(now)
    deadline = election.report_deadline(today)
    return {
        "now": now,
        "today": today,
        "phase": election.phase_on(today),
        "deadline": deadline,
        "deadline_passed": now > deadline,
        "in_window": election.in_reporting_window(today),
    }


@login_required
def report_list(request):
    """Reports the user may see, newest first, with filters (the secretariat's review list)."""
    scope = require_desk_role(request.user)
    reports = DailyReport.objects.for_user(request.user).for_list().order_by("-report_date", "regency_id")
    filterset = DailyReportFilter(request.GET or None, queryset=reports, request=request)
    page = Paginator(list_filter_rows(filterset), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reports/report_list.html",
        {"filter": filterset, "filter_invalid": list_filter_invalid(filterset), "page": page, "scope": scope,
         "query": query.urlencode()},
    )


@login_required
def report_new(request):
    regency, election = _officer_desk(request)
    if election is None:
        return render(request, "reports/no_election.html", {"regency": regency})
    now = timezone.now()
    context = _deadline_context(election, now)
    districts = list(District.objects.filter(regency=regency).only("code", "name"))
    existing = None
    if request.method == "POST":
        form = DailyReportForm(request.POST, districts=districts)
        if form.is_valid():
            with idempotent(user=request.user, key=form_key(request), endpoint="reports:new", now=now) as claim:
                if claim.replay is not None:
                    return redirect(claim.replay.location)
                try:
                    report = report_submit(
                        election=election, regency=regency, by=request.user, data=form.service_data(), now=now
                    )
                except ReportExists as error:
                    # The alert above the form links the first report; the field only says why.
                    existing = error.existing
                    form.add_error("report_date", _("Laporan untuk tanggal ini sudah ada."))
                except ValidationError as error:
                    form_add_service_errors(form, error)
                else:
                    claim.store(status_code=302, location=report.get_absolute_url())
                    if report.is_late:
                        message = _("Laporan tersimpan, tetapi tercatat terlambat (lewat batas waktu).")
                        messages.warning(request, message)
                    else:
                        messages.success(request, _("Laporan tersimpan tepat waktu. Terima kasih."))
                    return redirect(report)
    else:
        initial = {"report_date": context["today"]}
        if request.GET.get("nihil"):
            initial.update(situation=Situation.CONDUCIVE, summary=str(NOTHING_NOTABLE))
        form = DailyReportForm(initial=initial, districts=districts)
    today_report = DailyReport.objects.filter(
        election=election, regency=regency, report_date=context["today"]
    ).first()
    context.update(
        regency=regency, election=election, form=form, existing=existing, today_report=today_report,
        nothing_notable=str(NOTHING_NOTABLE),
    )
    return render(request, "reports/report_form.html", context)


@login_required
def report_detail(request, pk):
    require_desk_role(request.user)
    report = get_object_or_404(DailyReport.objects.for_user(request.user).for_list(), pk=pk)
    versions = report_versions(report)
    names = district_names(report.regency, *(version["record"].district_notes for version in versions))
    scope = desk_scope(request.user)
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "versions": versions,
            "district_names": names,
            "deadline": report.election.report_deadline(report.report_date),
            "can_edit": scope.can_write_regency(report.regency_id),
            "can_review": scope.is_secretariat,
            "acknowledge_form": AcknowledgeForm(initial={"comment": report.review_comment}),
        },
    )


@login_required
def report_change(request, pk):
    require_desk_role(request.user)
    report = get_object_or_404(DailyReport.objects.for_user(request.user).for_list(), pk=pk)
    ensure_officer_of(request.user, report.regency_id,
                      _("Hanya petugas desk kabupaten/kota ini yang dapat mengubah laporannya."))
    districts = list(District.objects.filter(regency=report.regency).only("code", "name"))
    initial = DailyReportForm.initial_from(report)
    conflict = None
    if request.method == "POST":
        form = DailyReportForm(request.POST, initial=initial, districts=districts, editing=True)
        if form.is_valid():
            before = report.summary, report.situation, report.sources, report.district_notes
            try:
                report_edit(report=report, by=request.user, data=form.service_data(), now=timezone.now(),
                            version=form.cleaned_data["version"])
            except StaleEdit as stale:
                conflict = stale_conflict(form=form, saved_initial=initial, current=stale.current)
                form = DailyReportForm(form_data_at_version(request.POST, stale.current.version), initial=initial,
                                       districts=districts, editing=True)
                form.is_valid()
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                after = report.summary, report.situation, report.sources, report.district_notes
                messages.success(request, _("Laporan diperbarui.") if after != before else _("Tidak ada perubahan."))
                return redirect(report)
    else:
        form = DailyReportForm(initial=initial, districts=districts, editing=True)
    return render(
        request,
        "reports/report_form.html",
        {"report": report, "form": form, "regency": report.regency, "election": report.election,
         "nothing_notable": str(NOTHING_NOTABLE), "editing": True, "conflict": conflict},
        status=409 if conflict else 200,
    )


@login_required
@require_POST
def report_acknowledge_view(request, pk):
    require_desk_role(request.user)
    report = get_object_or_404(DailyReport.objects.for_user(request.user).select_related("regency"), pk=pk)
    form = AcknowledgeForm(request.POST)
    if form.is_valid():
        try:
            report_acknowledge(report=report, by=request.user, comment=form.cleaned_data["comment"],
                               now=timezone.now())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Laporan %(regency)s %(date)s ditandai sudah ditinjau.") % {
                "regency": report.regency.name, "date": date_format(report.report_date)})
    else:
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
    return redirect(report)


@login_required
def day_excuse_view(request):
    """Excuse a regency-day (secretariat), and the days excused so far."""
    scope = require_desk_role(request.user)
    if not scope.is_secretariat:
        raise PermissionDenied(_("Hanya sekretariat desk provinsi yang dapat mengecualikan hari laporan."))
    if request.method == "POST":
        form = ExcuseForm(request.POST, user=request.user)
        if form.is_valid():
            regency = form.cleaned_data["regency"]
            try:
                excuse = day_excuse(
                    election=Election.objects.active_for(regency), regency=regency,
                    date=form.cleaned_data["date"], reason=form.cleaned_data["reason"],
                    by=request.user, now=timezone.now(),
                )
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                messages.success(request, _("%(regency)s dikecualikan untuk tanggal %(date)s.") % {
                    "regency": regency.name, "date": date_format(excuse.date)})
                # The one-click excuse on a flag goes back to the flags.
                back = request.POST.get("next", "")
                if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
                    return redirect(back)
                return redirect("reports:excuse")
    else:
        form = ExcuseForm(initial={"regency": request.GET.get("regency"), "date": request.GET.get("date")},
                          user=request.user)
    excused = ExcusedDay.objects.for_user(request.user).select_related(
        "regency", "excused_by", "election__province")[:100]
    return render(request, "reports/excuse.html", {
        "form": form, "excused_days": excused, "withdraw_form": ExcuseWithdrawForm(),
        "withdrawn": excuses_withdrawn(request.user)[:50],
    })


@login_required
@require_POST
def day_excuse_withdraw_view(request, pk):
    """Withdraw a mistaken excuse (secretariat or admin); the day counts again from the next compliance run."""
    require_desk_role(request.user)
    excuse = get_object_or_404(ExcusedDay.objects.for_user(request.user).select_related("regency"), pk=pk)
    form = ExcuseWithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["reason"]))
        return redirect("reports:excuse")
    try:
        day_excuse_withdraw(excuse=excuse, by=request.user, reason=form.cleaned_data["reason"], now=timezone.now())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _(
            "Pengecualian %(regency)s tanggal %(date)s dicabut; hari itu dihitung lagi pada pemeriksaan berikutnya."
        ) % {"regency": excuse.regency.name, "date": excuse.date.isoformat()})
    return redirect("reports:excuse")
