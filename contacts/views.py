"""The /contacts/ pages: the list of a regency's (the secretariat: the province's) contacts, add, edit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.scope import desk_scope, regions_for, require_desk_role
from core.errors import form_add_service_errors
from regions.models import Regency

from .forms import ContactForm
from .models import Contact
from .services import contact_create, contact_edit, ensure_may_manage_contacts, may_manage_contacts

FORM_FIELDS = ("phone", "name", "role", "district", "village", "user", "active", "notify_by")


def _managed_regencies(user):
    scope = require_desk_role(user)
    if not (scope.is_officer or scope.is_secretariat):
        raise PermissionDenied(_("Kontak lapangan dikelola petugas desk kabupaten/kota dan sekretariat provinsi."))
    return regions_for(user, Regency).order_by("code")


@login_required
def contact_list(request):
    regencies = _managed_regencies(request.user)
    contacts = (
        Contact.objects.for_user(request.user)
        .select_related("regency", "district", "village", "user")
        .order_by("regency_id", "-active", "district_id", "village_id", "name", "pk")
    )
    selected = request.GET.get("regency") or ""
    if selected not in {code for code in regencies.values_list("code", flat=True)}:
        selected = ""
    if selected:
        contacts = contacts.filter(regency_id=selected)
    return render(request, "contacts/contact_list.html", {
        "contacts": contacts, "regencies": list(regencies), "selected": selected,
        "can_manage": desk_scope(request.user).role is not None,
    })


@login_required
def contact_add(request):
    regencies = _managed_regencies(request.user)
    scope = desk_scope(request.user)
    regency = regencies.first() if scope.is_officer else None
    form = ContactForm(request.POST or None, regencies=regencies, regency=regency)
    if request.method == "POST" and form.is_valid():
        data = {field: form.cleaned_data.get(field) for field in FORM_FIELDS}
        try:
            contact = contact_create(regency=form.cleaned_data["regency"], by=request.user, data=data,
                                     now=timezone.now())
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("Kontak %(name)s disimpan.") % {"name": contact.name})
            return redirect("contacts:list")
    return render(request, "contacts/contact_form.html", {"form": form, "contact": None})


@login_required
def contact_change(request, pk):
    regencies = _managed_regencies(request.user)
    contact = get_object_or_404(Contact.objects.for_user(request.user).select_related("regency"), pk=pk)
    if request.method == "POST":
        ensure_may_manage_contacts(request.user, contact.regency_id)
    initial = {field: getattr(contact, field) for field in FORM_FIELDS}
    initial["phone"] = str(contact.phone)
    form = ContactForm(request.POST or None, initial=initial, regencies=regencies, regency=contact.regency)
    if request.method == "POST" and form.is_valid():
        data = {field: form.cleaned_data.get(field) for field in FORM_FIELDS}
        try:
            contact_edit(contact=contact, by=request.user, data=data, now=timezone.now())
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("Kontak %(name)s disimpan.") % {"name": contact.name})
            return redirect("contacts:list")
    return render(request, "contacts/contact_form.html", {
        "form": form, "contact": contact, "can_manage": may_manage_contacts(request.user, contact.regency_id),
    })


@login_required
@require_POST
def contact_deactivate(request, pk):
    _managed_regencies(request.user)
    contact = get_object_or_404(Contact.objects.for_user(request.user), pk=pk)
    contact_edit(contact=contact, by=request.user, data={"active": False}, now=timezone.now())
    messages.success(request, _("Kontak %(name)s dinonaktifkan.") % {"name": contact.name})
    return redirect("contacts:list")
