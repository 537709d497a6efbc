"""Onward distribution: marking PPK, PPS and KPPS reached, and the shares reached."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from logistics.constants import DistributionLevel
from logistics.models import DistrictDelivery, TpsDelivery, VillageDelivery
from logistics.selectors import distribution_districts, distribution_progress, distribution_villages
from logistics.services import distribution_mark_reached, distribution_unmark
from regions.models import District, PollingStation, Village
from tests.logistics.conftest import NOW

TODAY = dt.date(2024, 11, 20)


def mark(election, regency, by, level, **kwargs):
    kwargs.setdefault("reached_on", TODAY)
    return distribution_mark_reached(election=election, regency=regency, level=level, by=by, now=NOW, **kwargs)


def shares(election, regency):
    progress = distribution_progress(election=election, regencies=[regency])[0].progress
    return {level: (share.reached, share.total, share.percent) for level, share in progress.items()}


@pytest.mark.django_db
def test_all_tps_of_a_district_reached_marks_its_villages_and_ppk(election, samarinda, officer):
    district = District.objects.get(code="64.72.01")

    assert mark(election, samarinda, officer, DistributionLevel.TPS, within=district) == 4

    # Samarinda fixture: 2 districts, 4 villages, 8 TPS.
    assert shares(election, samarinda) == {
        "districts": (1, 2, 50), "villages": (2, 4, 50), "tps": (4, 8, 50),
    }
    assert set(VillageDelivery.objects.values_list("village__district", flat=True)) == {"64.72.01"}
    assert DistrictDelivery.objects.get().reached_on == TODAY


@pytest.mark.django_db
def test_one_tps_reached_counts_its_village_and_district(election, samarinda, officer):
    tps = PollingStation.objects.filter(regency=samarinda).order_by("pk").first()
    mark(election, samarinda, officer, DistributionLevel.TPS, places=[tps.pk])
    assert shares(election, samarinda) == {
        "districts": (1, 2, 50), "villages": (1, 4, 25), "tps": (1, 8, 12),
    }


@pytest.mark.django_db
def test_marking_districts_only_leaves_villages_and_tps_unreached(election, samarinda, officer):
    assert mark(election, samarinda, officer, DistributionLevel.DISTRICT) == 2  # the whole regency
    assert shares(election, samarinda) == {
        "districts": (2, 2, 100), "villages": (0, 4, 0), "tps": (0, 8, 0),
    }


@pytest.mark.django_db
def test_a_place_already_reached_keeps_its_first_date(election, samarinda, officer):
    village = Village.objects.get(code="64.72.01.1001")
    mark(election, samarinda, officer, DistributionLevel.VILLAGE, places=[village.code],
         reached_on=TODAY - dt.timedelta(days=2))
    assert mark(election, samarinda, officer, DistributionLevel.TPS, within=village) == 2
    assert VillageDelivery.objects.get().reached_on == TODAY - dt.timedelta(days=2)
    assert set(TpsDelivery.objects.values_list("reached_on", flat=True)) == {TODAY}
    assert mark(election, samarinda, officer, DistributionLevel.TPS, within=village) == 0


@pytest.mark.django_db
def test_drill_down_rows_carry_their_own_shares(election, samarinda, officer, django_assert_num_queries):
    village = Village.objects.get(code="64.72.02.1002")
    mark(election, samarinda, officer, DistributionLevel.TPS, within=village)

    with django_assert_num_queries(1):
        districts = distribution_districts(election=election, regency=samarinda)
    assert [(d.code, d.reached_on, d.progress["villages"].reached, d.progress["tps"].reached) for d in districts] == [
        ("64.72.01", None, 0, 0), ("64.72.02", TODAY, 1, 2),
    ]
    district = village.district
    with django_assert_num_queries(1):
        villages = distribution_villages(election=election, district=district)
    assert [(v.code, v.progress["tps"].reached, v.progress["tps"].total) for v in villages] == [
        ("64.72.02.1001", 0, 2), ("64.72.02.1002", 2, 2),
    ]


@pytest.mark.django_db
def test_progress_for_many_regencies_is_one_query(election, samarinda, balikpapan, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = distribution_progress(election=election, regencies=[samarinda, balikpapan])
    assert [row.code for row in rows] == ["64.71", "64.72"]


@pytest.mark.django_db
def test_a_future_arrival_date_is_refused(election, samarinda, officer):
    with pytest.raises(ValidationError) as caught:
        mark(election, samarinda, officer, DistributionLevel.DISTRICT, reached_on=TODAY + dt.timedelta(days=1))
    assert "masa depan" in caught.value.message_dict["reached_on"][0]
    assert not DistrictDelivery.objects.exists()


@pytest.mark.django_db
def test_places_of_another_regency_are_refused(election, samarinda, balikpapan, officer):
    foreign = PollingStation.objects.filter(regency=balikpapan).first()
    with pytest.raises(ValidationError):
        mark(election, samarinda, officer, DistributionLevel.TPS, places=[foreign.pk])
    with pytest.raises(ValidationError):
        mark(election, samarinda, officer, DistributionLevel.DISTRICT, places=["64.71.01"])
    assert not TpsDelivery.objects.exists() and not DistrictDelivery.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["other_officer", "secretariat"])
def test_only_the_regency_officer_marks_its_distribution(request, election, samarinda, role):
    with pytest.raises(PermissionDenied):
        mark(election, samarinda, request.getfixturevalue(role), DistributionLevel.DISTRICT)
    assert not DistrictDelivery.objects.exists()


@pytest.mark.django_db
def test_unmarking_a_village_clears_its_tps_but_not_its_district(election, samarinda, officer):
    village = Village.objects.get(code="64.72.01.1001")
    mark(election, samarinda, officer, DistributionLevel.TPS, within=village.district)

    assert distribution_unmark(election=election, regency=samarinda, level=DistributionLevel.VILLAGE,
                               places=[village.code], by=officer) == 1
    assert shares(election, samarinda) == {
        "districts": (1, 2, 50), "villages": (1, 4, 25), "tps": (2, 8, 25),
    }
