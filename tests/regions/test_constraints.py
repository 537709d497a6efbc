import pytest
from django.db import IntegrityError, connection, transaction

from regions.models import District, PollingStation, Regency, Village


@pytest.mark.django_db
@pytest.mark.parametrize(
    "make",
    [
        lambda p: Regency.objects.create(code="6472", name="Bad", kind="kota", province=p),
        lambda p: Regency.objects.create(code="65.72", name="Wrong parent", kind="kota", province=p),
        lambda p: Regency.objects.create(code="64.75", name="", kind="kota", province=p),
    ],
)
def test_region_codes_are_checked_by_the_database(kaltim, make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make(kaltim)


@pytest.mark.django_db
def test_village_and_tps_must_sit_inside_their_regency(samarinda, balikpapan):
    district = District.objects.filter(regency=samarinda).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Village.objects.create(code="64.72.01.1999", name="X", kind="kelurahan", district=district, regency=balikpapan)
    # The village's regency has no key of its own: the check alone must refuse any other value.
    for regency_id in ("64", "64.7", "99.99", ""):
        with pytest.raises(IntegrityError), transaction.atomic():
            Village.objects.create(code="64.72.01.1999", name="X", kind="kelurahan", district=district,
                                   regency_id=regency_id)
    village = Village.objects.filter(regency=samarinda).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        PollingStation.objects.create(village=village, regency=balikpapan, number=99, voters=10)
    with pytest.raises(IntegrityError), transaction.atomic():
        PollingStation.objects.create(village=village, regency=samarinda, number=98, voters=1001)
    with pytest.raises(IntegrityError), transaction.atomic():
        PollingStation.objects.create(village=village, regency=samarinda, number=1, voters=10)


@pytest.mark.django_db
def test_villages_keep_their_key_indexes_and_no_prefix_twins():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'regions_village'")
        definitions = [row[0] for row in cursor.fetchall()]

    assert not [d for d in definitions if "pattern_ops" in d]
    assert any("UNIQUE" in d and "(code)" in d for d in definitions)
    assert any("(district_id)" in d for d in definitions) and any("(regency_id)" in d for d in definitions)
