import datetime as dt

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="check_compliance")
def check_compliance(at=None):
    """Raise and resolve compliance flags as of `at` (ISO 8601, default now); send due notices.

    Notices speak of the present: a run as of another moment (a replay or a
    check of the past) only raises and resolves flags.
    """
    now = dt.datetime.fromisoformat(at) if at else timezone.now()
    return services.check_compliance(now=now, notify=at is None)


@shared_task(name="send_notices")
def send_notices():
    """Retry notices that could not be sent yet."""
    return services.notices_send()
