"""What the tests of every folder share: Kaltim's clock (WITA) and the moment the tests live in."""

import datetime as dt
import threading
from zoneinfo import ZoneInfo

WITA = ZoneInfo("Asia/Makassar")
# Noon in Kaltim a week before voting day: inside the fixture election's reporting window.
NOW = dt.datetime(2024, 11, 20, 12, 0, tzinfo=WITA)


def wita(*args) -> dt.datetime:
    """A moment in WITA: `wita(2024, 11, 20, 20, 30)`, or a date and a time of day: `wita(day, 20)`,
    `wita(day, 9, 30)`."""
    if isinstance(args[0], dt.date):
        day, *clock = args
        return dt.datetime.combine(day, dt.time(*clock), tzinfo=WITA)
    return dt.datetime(*args, tzinfo=WITA)


def run_together(task, times: int = 2) -> list[Exception]:
    """Run `task` in `times` threads released at the same moment; the exceptions they raised.

    Each thread closes its own database connection, as a worker's would be.
    """

    from django.db import connection

    errors, barrier = [], threading.Barrier(times)

    def run():
        try:
            barrier.wait()
            task()
        except Exception as error:  # collected for the test to assert
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors
