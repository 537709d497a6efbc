import datetime as dt
from zoneinfo import ZoneInfo

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import services


def parse_moment(text: str) -> dt.datetime:
    """An ISO 8601 date-time; without an offset it is read in DESK_TIME_ZONE (the elections' zone).

    Raises ValueError for text that is not one. The task and the command read `at` the same way.
    """
    moment = dt.datetime.fromisoformat(text)
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=ZoneInfo(settings.DESK_TIME_ZONE))
    return moment


@shared_task(name="check_compliance")
def check_compliance(at=None):
    """Raise and resolve compliance flags as of `at` (ISO 8601, default now); send due notices.

    Notices speak of the present: a run as of another moment (a replay or a
    check of the past) only raises and resolves flags.
    """
    now = parse_moment(at) if at else timezone.now()
    return services.check_compliance(now=now, notify=at is None)


@shared_task(name="send_notices")
def send_notices():
    """Retry notices that could not be sent yet."""
    return services.notices_send()
