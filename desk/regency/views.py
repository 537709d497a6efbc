"""The regency page: for the secretariat of its province and its own officer."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils import formats, timezone

from accounts.scope import regions_for
from elections.models import Election
from regions.models import Regency

from .page import regency_page


@login_required
def regency_detail(request, code):
    regency = get_object_or_404(regions_for(request.user, Regency).select_related("province"), pk=code)
    election = Election.objects.active_for(regency)
    page = regency_page(election=election, regency=regency, now=timezone.now()) if election else None
    if page:
        for officer in page["officers"]:
            phone = officer.desk_profile.phone
            officer.whatsapp = f"https://wa.me/{phone}" if phone else ""
    monday = dt.date(2024, 1, 1)
    weekday_names = [formats.date_format(monday + dt.timedelta(days=n), "D") for n in range(7)]
    return render(request, "desk/regency.html", {
        "regency": regency, "election": election, "page": page, "weekday_names": weekday_names})
