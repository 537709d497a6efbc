"""What a signed-in user follows: the active elections they see, each with its visible regencies."""

from accounts.scope import regions_for
from regions.models import Regency

from .models import Election


def active_elections_with_regencies(user) -> list[tuple[Election, list[Regency]]]:
    """(election, regencies of its province the user sees, in code order) per visible active election.

    Two queries whatever the number of elections; ordered by province.
    """
    elections = list(Election.objects.active().for_user(user).select_related("province").order_by("province"))
    regencies = list(
        regions_for(user, Regency).filter(province_id__in=[election.province_id for election in elections])
        .select_related("province").order_by("code")
    )
    return [
        (election, [regency for regency in regencies if regency.province_id == election.province_id])
        for election in elections
    ]
