"""Heavy reads from a PostgreSQL streaming replica, without a user ever missing what they just saved.

Only the views named in `REPLICA_READ_VIEWS` (dashboards, the regency page, the brief, exports) read from the
replica, and only on a safe request when:

- the same browser did not write in the last `REPLICA_STICKY_SECONDS` (every unsafe request sets a cookie
  with that moment; a forged cookie only sends its owner to the primary);
- the replica answers and is at most `REPLICA_MAX_LAG_SECONDS` behind (checked at most once a second per
  process; a replica that is gone is not asked again for a few seconds).

A replica that fails in the middle of a page makes the view run again on the primary. Writes always go to
the primary (`ReplicaRouter.db_for_write`), also inside a view that reads from the replica.
"""

import contextvars
import logging
import threading
import time

from django.conf import settings
from django.db import DatabaseError, connections

log = logging.getLogger(__name__)

REPLICA = "replica"
STICKY_COOKIE = "desk_primary_until"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
CHECK_EVERY = 1.0  # seconds between two checks of the replica's lag in one process
DOWN_FOR = 5.0  # seconds a replica that failed is left alone

_reading_replica = contextvars.ContextVar("reading_replica", default=False)

# The SQL asks the replica itself how far behind it is: nothing received and not yet replayed means it is
# current; otherwise the age of the last transaction it replayed. A replica that stopped streaming from
# its primary (or a server that is not in recovery at all, i.e. promoted) is judged by the same numbers.
LAG_SQL = """
SELECT pg_is_in_recovery(),
       EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming'),
       CASE WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
            ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 1e9) END
"""


class ReplicaRouter:
    """Reads go to the replica only while a replica-reading view runs; writes and migrations to the primary."""

    def db_for_read(self, model, **hints):
        return REPLICA if _reading_replica.get() else None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class _ReplicaHealth:
    """Whether the replica may serve reads now, asked of the replica at most once a second."""

    def __init__(self):
        self._lock = threading.Lock()
        self._checked_at = float("-inf")
        self._usable = False
        self._down_until = float("-inf")

    def usable(self):
        now = time.monotonic()
        with self._lock:
            if now < self._down_until:
                return False
            if now - self._checked_at < CHECK_EVERY:
                return self._usable
            self._checked_at = now
        usable = self._ask()
        with self._lock:
            self._usable = usable
        return usable

    def failed(self):
        with self._lock:
            self._usable = False
            self._down_until = time.monotonic() + DOWN_FOR
        _close_replica()

    def _ask(self):
        try:
            with connections[REPLICA].cursor() as cursor:
                cursor.execute(LAG_SQL)
                in_recovery, streaming, lag = cursor.fetchone()
        except DatabaseError as error:
            log.warning("replica unavailable, reading from the primary: %s", error)
            self.failed()
            return False
        if in_recovery and not streaming:
            log.warning("replica is not streaming from the primary, reading from the primary")
            return False
        if float(lag) > settings.REPLICA_MAX_LAG_SECONDS:
            log.info("replica %.1f s behind, reading from the primary", float(lag))
            return False
        return True


def _close_replica():
    try:
        connections[REPLICA].close()
    except DatabaseError:
        pass


health = _ReplicaHealth()


def reading_replica():
    """True while the current request reads from the replica (for tests and logs)."""
    return _reading_replica.get()


class ReplicaReadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.enabled = REPLICA in settings.DATABASES
        self.views = set(settings.REPLICA_READ_VIEWS)

    def __call__(self, request):
        response = self.get_response(request)
        if self.enabled and request.method not in SAFE_METHODS:
            until = int(time.time()) + settings.REPLICA_STICKY_SECONDS
            response.set_cookie(STICKY_COOKIE, str(until), max_age=settings.REPLICA_STICKY_SECONDS,
                                httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)
        if _reading_replica.get():
            if response.streaming:
                # A streamed export reads while it is sent: the replica stays its source until the end.
                response._resource_closers.append(_stop_reading_replica)
            else:
                _stop_reading_replica()
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (
            self.enabled
            and request.method in SAFE_METHODS
            and request.resolver_match.view_name in self.views
            and not self._wrote_recently(request)
            and health.usable()
        ):
            _reading_replica.set(True)
        return None

    def process_exception(self, request, exception):
        if not (_reading_replica.get() and isinstance(exception, DatabaseError)):
            return None
        log.warning("replica failed during %s, reading again from the primary: %s", request.path, exception)
        _stop_reading_replica()
        health.failed()
        match = request.resolver_match
        response = match.func(request, *match.args, **match.kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        return response

    @staticmethod
    def _wrote_recently(request):
        try:
            return int(request.COOKIES.get(STICKY_COOKIE, "0")) > time.time()
        except ValueError:
            return False


def _stop_reading_replica():
    _reading_replica.set(False)
