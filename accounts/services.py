from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group, Permission
from django.db import transaction
from django.db.models import Q

from .models import DeskProfile
from .roles import Role

if TYPE_CHECKING:
    from regions.models import Province, Regency

# Master data the admin group keeps in the Django admin, and the login lockouts (axes) it can clear.
ADMIN_APPS = ("regions", "elections", "logistics", "accounts", "auth", "authtoken", "axes", "contacts")
# Desk records the admin group reads (with their history); it never adds or deletes them there.
ADMIN_READ_APPS = ("reports", "violations", "compliance", "votingday", "desk", "intake")
# Desk records the admin group corrects in the admin, through their services and with a reason
# (receipts too: logistics is among ADMIN_APPS).
ADMIN_CORRECTS = (
    ("reports", "change_dailyreport"), ("reports", "change_excusedday"),
    ("violations", "change_violationincident"), ("compliance", "change_flag"),
)


def roles_ensure() -> dict[str, Group]:
    """Create the three role groups; the admin group may manage all master data and correct desk records."""
    groups = {role: Group.objects.get_or_create(name=role)[0] for role in Role.values}
    corrects = Q(pk__in=[])
    for app_label, codename in ADMIN_CORRECTS:
        corrects |= Q(content_type__app_label=app_label, codename=codename)
    admin_permissions = Permission.objects.filter(
        Q(content_type__app_label__in=ADMIN_APPS)
        | Q(content_type__app_label__in=ADMIN_READ_APPS, codename__startswith="view_")
        | corrects
    )
    groups[Role.ADMIN].permissions.set(admin_permissions)
    return groups


@transaction.atomic
def user_create_for_role(
    *, username: str, password: str, role: str, regency: "Regency | None" = None, province: "Province | None" = None,
    email: str = "", phone: str = "",
) -> AbstractBaseUser:
    """Create or update a desk user bound to their region; idempotent by username."""
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults={"email": email})
    if created or not user.check_password(password):
        user.set_password(password)
    user.email = email or user.email
    user.is_staff = role == Role.ADMIN
    user.save()
    user.groups.set([Group.objects.get_or_create(name=role)[0]])
    DeskProfile.objects.update_or_create(
        user=user, defaults={"regency": regency, "province": province, "phone": phone}
    )
    return user
