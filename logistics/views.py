"""Web pages: the officer's logistics page, receipts, distribution drill-down, the province view.

Reading another regency's page is a 404; posting for it is a 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.concurrency import StaleEdit, form_data_at_version, stale_conflict
from accounts.errors import form_add_service_errors
from accounts.scope import desk_scope, ensure_officer_of, require_desk_role
from accounts.visible import active_elections_with_regencies
from elections.models import Election
from idempotency.services import idempotent
from idempotency.web import form_key
from regions.models import District, Regency, Village

from . import selectors, services
from .constants import DistributionLevel
from .forms import DistributionMarkForm, ReceiptForm
from .models import LogisticsReceipt


def _guarded(request, obj, regency_code):
    """`obj` if the user may read it (GET) or write its regency (POST): else 404 / 403."""
    if request.method == "POST":
        ensure_officer_of(
            request.user, regency_code, _("Anda hanya dapat mencatat logistik untuk kabupaten/kota Anda sendiri.")
        )
    elif not desk_scope(request.user).can_read_regency(regency_code):
        raise Http404
    return obj


def _regency(request, code):
    regency = get_object_or_404(Regency.objects.select_related("province"), pk=code)
    return _guarded(request, regency, regency.code)


def _election_or_none(regency):
    return Election.objects.active_for(regency)


def _local_now(election):
    return timezone.now().astimezone(election.zone)


@login_required
def index(request):
    """Officer: their regency's logistics page; secretariat and admin: the province view."""
    scope = desk_scope(request.user)
    if scope.is_officer and scope.regency_code:
        return _regency_page(request, _regency(request, scope.regency_code))
    if scope.oversees:
        return province(request)
    raise PermissionDenied


@login_required
def province(request):
    """Every visible regency's logistics status and distribution progress, per active election."""
    require_desk_role(request.user)
    blocks = []
    for election, regencies in active_elections_with_regencies(request.user):
        overview = selectors.province_overview(election=election, regencies=regencies)
        blocks.append({
            "election": election,
            "overview": overview,
            "confirmed": sum(1 for row in overview if row.status.confirmed),
            "deadline": selectors.deadline_status(election, timezone.now()),
        })
    return render(request, "logistics/province.html", {"blocks": blocks})


@login_required
def regency_status(request, code):
    return _regency_page(request, _regency(request, code))


def _regency_page(request, regency, *, bound_form=None):
    election = _election_or_none(regency)
    context = {
        "regency": regency,
        "election": election,
        "can_write": desk_scope(request.user).can_write_regency(regency.code),
    }
    if election is None:
        return render(request, "logistics/regency.html", context)
    with timezone.override(election.zone):
        now = timezone.now()
        status = selectors.logistics_status_by_regency(election=election, regencies=[regency])[0]
        initial_time = _local_now(election).replace(second=0, microsecond=0)
        rows = []
        for row in status.items:
            if bound_form is not None and bound_form.data.get("item") == row.item.code:
                form = bound_form
            else:
                form = ReceiptForm(initial={"item": row.item.code, "received_at": initial_time, "quantity_damaged": 0},
                                   auto_id=f"id_{row.item.code}_%s")
            rows.append({"status": row, "form": form, "open": form is bound_form})
        receipts = (
            LogisticsReceipt.objects.filter(election=election, regency=regency)
            .select_related("item", "confirmed_by")[:100]
        )
        progress = selectors.distribution_progress(election=election, regencies=[regency])[0].progress
        context.update({
            "status": status,
            "rows": rows,
            "receipts": receipts,
            "progress": progress,
            "deadline": selectors.deadline_status(election, now),
            "unknown_item_form": bound_form if bound_form is not None and not any(r["open"] for r in rows) else None,
        })
        return render(request, "logistics/regency.html", context)


@login_required
@require_POST
def receipt_create(request, code):
    """Record one receipt from the inline form; on error the page comes back with the input kept."""
    regency = _regency(request, code)
    election = _election_or_none(regency)
    if election is None:
        messages.error(request, _("Belum ada pemilihan aktif untuk kabupaten/kota ini."))
        return redirect("logistics:regency", code=regency.code)
    with timezone.override(election.zone):
        # The posted item code names the form's fields; only a plain code may (it is %-formatted).
        item_code = request.POST.get("item", "")
        form = ReceiptForm(request.POST, auto_id=f"id_{item_code if item_code.isidentifier() else 'x'}_%s")
        if form.is_valid():
            data = dict(form.cleaned_data)
            item = data.pop("item")
            now = timezone.now()
            with idempotent(user=request.user, key=form_key(request), endpoint="logistics:receipt-create",
                            now=now) as claim:
                if claim.replay is not None:
                    return redirect(claim.replay.location)
                try:
                    receipt = services.receipt_record(
                        election=election, regency=regency, item=item, by=request.user, data=data, now=now
                    )
                except ValidationError as error:
                    form_add_service_errors(form, error)
                else:
                    location = reverse("logistics:index") + f"#item-{item.code}"
                    claim.store(status_code=302, location=location)
                    quantity = number_format(receipt.quantity_received, force_grouping=True)
                    messages.success(request, _("Penerimaan %(item)s dicatat: %(qty)s %(unit)s.") % {
                        "item": item.name, "qty": quantity, "unit": item.unit})
                    return redirect(location)
    messages.error(request, _("Penerimaan belum disimpan: periksa isian yang ditandai."))
    return _regency_page(request, regency, bound_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def receipt_detail(request, pk):
    """One receipt with its history; its officer may correct it (the previous version is kept)."""
    receipt = get_object_or_404(
        LogisticsReceipt.objects.select_related("item", "regency", "election", "confirmed_by"), pk=pk
    )
    _guarded(request, receipt, receipt.regency_id)
    election = receipt.election
    can_write = desk_scope(request.user).can_write_regency(receipt.regency_id)
    with timezone.override(election.zone):
        conflict = None
        if request.method == "POST":
            form = ReceiptForm(request.POST, item_locked=True)
            if form.is_valid():
                data = dict(form.cleaned_data)
                version = data.pop("version")
                try:
                    services.receipt_correct(receipt=receipt, by=request.user, data=data, now=timezone.now(),
                                             version=version)
                except StaleEdit as stale:
                    conflict = stale_conflict(form=form, saved_initial=_receipt_initial(stale.current),
                                              current=stale.current)
                    form = ReceiptForm(form_data_at_version(request.POST, stale.current.version), item_locked=True)
                    form.is_valid()
                    receipt = stale.current
                except ValidationError as error:
                    form_add_service_errors(form, error)
                else:
                    messages.success(request, _("Koreksi penerimaan disimpan; versi sebelumnya tetap tercatat."))
                    return redirect("logistics:receipt", pk=receipt.pk)
        else:
            form = ReceiptForm(item_locked=True, initial=_receipt_initial(receipt))
        history = receipt.history.select_related("history_user").order_by("-history_date", "-history_id")
        return render(request, "logistics/receipt.html", {
            "receipt": receipt, "form": form if can_write else None, "history": history, "conflict": conflict,
        }, status=409 if conflict else 200)


def _receipt_initial(receipt):
    """A saved receipt in the correction form's fields (times in the active, the election's, zone)."""
    return {
        "quantity_received": receipt.quantity_received, "quantity_damaged": receipt.quantity_damaged,
        "received_at": timezone.localtime(receipt.received_at), "note": receipt.note,
        "confirm_over_expected": receipt.over_expected_confirmed, "version": receipt.version,
    }


# -- Onward distribution


def _distribution_page(request, *, regency, level, rows, parent, within, template_context):
    """Show one level of the chain under `parent`; on POST mark or unmark its places."""
    election = _election_or_none(regency)
    if election is None:
        raise Http404(_("Belum ada pemilihan aktif untuk kabupaten/kota ini."))
    with timezone.override(election.zone):
        today = election.local_date(timezone.now())
        choices = [(str(row.pk), str(row.pk)) for row in rows]  # labels come from the rows
        if request.method == "POST":
            form = DistributionMarkForm(request.POST, place_choices=choices)
            if form.is_valid():
                try:
                    message = _apply_mark(form, request=request, election=election, regency=regency, level=level,
                                          within=within)
                except ValidationError as error:
                    form_add_service_errors(form, error)
                else:
                    messages.success(request, message)
                    return redirect(request.get_full_path())
            messages.error(request, _("Tanda distribusi belum disimpan: periksa isian yang ditandai."))
        else:
            form = DistributionMarkForm(place_choices=choices, initial={"reached_on": today})
        return render(request, "logistics/distribution.html", {
            "regency": regency, "election": election, "level": level, "rows": rows, "parent": parent,
            "form": form, "can_write": desk_scope(request.user).can_write_regency(regency.code),
            "today": today, **template_context,
        })


def _apply_mark(form, *, request, election, regency, level, within):
    data = form.cleaned_data
    places = data["places"]
    if level == DistributionLevel.TPS:
        places = [int(pk) for pk in places]
    common = {"election": election, "regency": regency, "by": request.user}
    if data["action"] == DistributionMarkForm.UNMARK:
        count = services.distribution_unmark(level=level, places=places, **common)
        return _("%(count)s tanda dibatalkan.") % {"count": count}
    if data["action"] == DistributionMarkForm.MARK_ALL_TPS:
        count = services.distribution_mark_reached(
            level=DistributionLevel.TPS, within=within, reached_on=data["reached_on"], now=timezone.now(), **common
        )
    else:
        count = services.distribution_mark_reached(
            level=level, places=places, reached_on=data["reached_on"], now=timezone.now(), **common
        )
    return _("%(count)s tempat baru ditandai sudah tiba.") % {"count": count}


def _sum_shares(rows, level):
    reached = sum(row.progress[level].reached for row in rows)
    return selectors.Share(reached, sum(row.progress[level].total for row in rows))


@login_required
@require_http_methods(["GET", "POST"])
def distribution(request, code):
    """The regency's districts: PPK reached, and their villages and TPS reached."""
    regency = _regency(request, code)
    election = _election_or_none(regency)
    rows = selectors.distribution_districts(election=election, regency=regency) if election else []
    progress = selectors.distribution_progress(election=election, regencies=[regency])[0].progress if election else {}
    return _distribution_page(
        request, regency=regency, level=DistributionLevel.DISTRICT, rows=rows, parent=regency, within=None,
        template_context={"progress": progress},
    )


@login_required
@require_http_methods(["GET", "POST"])
def distribution_district(request, code):
    """One district's villages: PPS reached and their TPS reached."""
    district = get_object_or_404(District.objects.select_related("regency"), pk=code)
    _guarded(request, district, district.regency_id)
    election = _election_or_none(district.regency)
    rows = selectors.distribution_villages(election=election, district=district) if election else []
    reached = sum(1 for row in rows if row.reached_on)
    progress = {"villages": selectors.Share(reached, len(rows)), "tps": _sum_shares(rows, "tps")}
    return _distribution_page(
        request, regency=district.regency, level=DistributionLevel.VILLAGE, rows=rows, parent=district,
        within=district, template_context={"progress": progress, "district": district},
    )


@login_required
@require_http_methods(["GET", "POST"])
def distribution_village(request, code):
    """One village's TPS: KPPS reached."""
    village = get_object_or_404(Village.objects.select_related("regency", "district"), pk=code)
    _guarded(request, village, village.regency_id)
    election = _election_or_none(village.regency)
    rows = selectors.distribution_polling_stations(election=election, village=village) if election else []
    progress = {"tps": selectors.Share(sum(1 for row in rows if row.reached_on), len(rows))}
    return _distribution_page(
        request, regency=village.regency, level=DistributionLevel.TPS, rows=rows, parent=village, within=village,
        template_context={"progress": progress, "district": village.district, "village": village},
    )
