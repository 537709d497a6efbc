from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from elections.models import Election
from regions.models import Regency

from .scope import desk_scope


@login_required
def home(request):
    """The start page of each role: the officer's regency, or the province for the secretariat."""
    scope = desk_scope(request.user)
    if scope.is_officer and scope.regency_code:
        regency = Regency.objects.select_related("province").get(pk=scope.regency_code)
        election = Election.objects.active().filter(province_id=regency.province_id).first()
        return render(request, "accounts/home_officer.html", {"regency": regency, "election": election})
    if scope.is_secretariat or scope.is_admin:
        elections = Election.objects.active().for_user(request.user).select_related("province")
        regencies = Regency.objects.for_user(request.user).select_related("province")
        return render(
            request, "accounts/home_secretariat.html", {"elections": elections, "regencies": regencies}
        )
    return render(request, "accounts/home_no_role.html", status=403)
