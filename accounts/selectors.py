"""Reads of accounts for the apps above: who works the desk of a province."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from .scope import scope_of


def province_desk_emails(*, province_code: str) -> tuple[dict[str, list[str]], list[str]]:
    """({regency code: its officers' e-mails}, the secretariat's e-mails) of a province, sorted, one query.

    Active accounts with an e-mail address; each account's role is read by the
    same rule as its scope (`scope_of`), so an account in several groups is
    counted once, in the role it acts in.
    """
    rows = get_user_model()._default_manager.filter(is_active=True).exclude(email="").filter(
        Q(desk_profile__regency__province_id=province_code) | Q(desk_profile__province_id=province_code)
    ).values_list("pk", "email", "is_superuser", "groups__name", "desk_profile__regency_id",
                  "desk_profile__province_id")
    accounts = {}
    for pk, email, is_superuser, group, regency_code, province in rows:
        account = accounts.setdefault(pk, {"email": email, "is_superuser": is_superuser, "groups": set(),
                                           "regency_code": regency_code, "province_code": province})
        if group:
            account["groups"].add(group)
    officers, secretariat = {}, set()
    for account in accounts.values():
        scope = scope_of(is_superuser=account["is_superuser"], groups=account["groups"],
                         regency_code=account["regency_code"], province_code=account["province_code"])
        if scope.is_officer and scope.regency_code:
            officers.setdefault(scope.regency_code, set()).add(account["email"])
        elif scope.is_secretariat and scope.province_code == province_code:
            secretariat.add(account["email"])
    return {code: sorted(emails) for code, emails in officers.items()}, sorted(secretariat)
