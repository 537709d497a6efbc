import pytest
from django.contrib.auth.models import User

from accounts.scope import regions_for
from elections.models import CandidatePair
from regions.models import PollingStation, Province, Regency, Village


@pytest.mark.django_db
def test_officer_sees_only_their_regency(officer, samarinda, balikpapan, other_province_regency):
    assert list(regions_for(officer, Regency)) == [samarinda]
    assert set(regions_for(officer, Village).values_list("regency_id", flat=True)) == {"64.72"}
    assert regions_for(officer, PollingStation).count() == 8
    assert list(regions_for(officer, Province).values_list("code", flat=True)) == ["64"]


@pytest.mark.django_db
def test_secretariat_sees_its_province_only(secretariat, samarinda, balikpapan, other_province_regency):
    assert set(regions_for(secretariat, Regency)) == {samarinda, balikpapan}
    assert regions_for(secretariat, PollingStation).count() == 16
    assert list(regions_for(secretariat, Province).values_list("code", flat=True)) == ["64"]


@pytest.mark.django_db
def test_admin_sees_everything(admin_user, samarinda, balikpapan, other_province_regency):
    assert regions_for(admin_user, Regency).count() == 3


@pytest.mark.django_db
def test_user_without_role_or_anonymous_sees_nothing(samarinda):
    from django.contrib.auth.models import AnonymousUser

    nobody = User.objects.create_user("nobody", password="x")
    assert not regions_for(nobody, Regency).exists()
    assert not regions_for(AnonymousUser(), Regency).exists()


@pytest.mark.django_db
def test_candidate_pairs_in_scope(election, officer, other_officer, secretariat):
    mine = set(CandidatePair.objects.for_user(officer).values_list("names", flat=True))
    assert mine == {"Gubernur Satu - Wakil Satu", "Gubernur Dua - Wakil Dua", "Calon Kota Samarinda Satu"}
    assert CandidatePair.objects.for_user(secretariat).count() == 4


@pytest.mark.django_db
def test_write_scope_is_the_officers_own_regency(officer, secretariat, admin_user):
    from accounts.scope import desk_scope

    assert desk_scope(officer).can_write_regency("64.72")
    assert not desk_scope(officer).can_write_regency("64.71")
    assert not desk_scope(secretariat).can_write_regency("64.72")
    assert desk_scope(secretariat).can_read_regency("64.71")
    assert not desk_scope(secretariat).can_read_regency("65.71")
    assert not desk_scope(admin_user).can_write_regency("64.72")


def test_who_oversees_provinces_and_who_manages_them():
    from accounts.roles import Role
    from accounts.scope import Scope

    roles = (Role.SECRETARIAT, Role.ADMIN, Role.NATIONAL, Role.OFFICER, None)
    assert [Scope(role=role).oversees for role in roles] == [True, True, True, False, False]
    assert [Scope(role=role).manages for role in roles] == [True, True, False, False, False]
