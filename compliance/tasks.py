import datetime as dt

from celery import shared_task
from django.utils import timezone

from .notices import notices_send
from .run import check_compliance as compliance_run
from .run import flags_check


def parse_moment(text: str) -> dt.datetime:
    """An ISO 8601 date-time; without an offset it is read in the site's zone (TIME_ZONE, the pages' zone).

    Raises ValueError for text that is not one. The task and the command read `at` the same way.
    """
    moment = dt.datetime.fromisoformat(text)
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=timezone.get_default_timezone())
    return moment


@shared_task(name="check_compliance")
def check_compliance(at=None):
    """Raise and resolve compliance flags as of `at` (ISO 8601, default now); send due notices.

    Notices speak of the present: a run as of another moment (a replay or a
    check of the past) only raises and resolves flags.
    """
    return flags_check(now=parse_moment(at)) if at else compliance_run(now=timezone.now())


@shared_task(name="send_notices")
def send_notices():
    """Retry notices that could not be sent yet."""
    return notices_send()
