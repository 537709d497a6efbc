"""Run a create at most once per (user, Idempotency-Key).

The key's row is inserted first, in the same transaction as the create: a
second copy of the request blocks on the unique index until the first one
commits, then reads and returns its stored answer. A create that fails rolls
its key back, so the corrected request may use the same key again.
"""

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .models import KEY_MAX_LENGTH, IdempotentRequest

HEADER = "Idempotency-Key"
FORM_FIELD = "idempotency_key"
KEY_PATTERN = re.compile(rf"[A-Za-z0-9._:-]{{1,{KEY_MAX_LENGTH}}}")


class KeyReused(ValidationError):
    """The key already answered another endpoint."""


class Claim:
    """What `idempotent` yields: `replay` (the stored first answer) or a fresh claim to `store` into."""

    def __init__(self, *, replay=None):
        self.replay = replay
        self.stored = False
        self._record = None

    def store(self, *, status_code, body=None, location=""):
        if self._record is None:
            return
        self._record.status_code, self._record.body, self._record.location = status_code, body, location
        self._record.save()
        self.stored = True


def key_errors(key: str) -> list[str]:
    """Messages for a malformed key (empty list when it is fine)."""
    if KEY_PATTERN.fullmatch(key):
        return []
    return [_("Idempotency-Key berisi 1 sampai %(n)s huruf, angka, titik, titik dua, garis bawah atau tanda hubung.")
            % {"n": KEY_MAX_LENGTH}]


@contextmanager
def idempotent(*, user: AbstractBaseUser, key: str, endpoint: str, now: dt.datetime) -> Iterator[Claim]:
    """Yield a Claim for this (user, key): `claim.replay` is set when the key already succeeded.

    Without a key the body simply runs. Inside, call `claim.store(...)` once the
    create succeeded; leaving the block without storing rolls everything back.
    """
    if not key:
        yield Claim()
        return
    if errors := key_errors(key):
        raise ValidationError({HEADER: errors})
    with transaction.atomic():
        claim = Claim()
        try:
            with transaction.atomic():
                # status 0 until stored: never visible to others, the transaction commits only once stored.
                claim._record = IdempotentRequest.objects.create(
                    user=user, key=key, endpoint=endpoint, status_code=0, created_at=now
                )
        except IntegrityError:
            first = IdempotentRequest.objects.get(user=user, key=key)
            if first.endpoint != endpoint:
                raise KeyReused({HEADER: [_("Kunci ini sudah dipakai untuk permintaan lain (%(endpoint)s).")
                                          % {"endpoint": first.endpoint}]}) from None
            yield Claim(replay=first)
            return
        yield claim
        if not claim.stored:
            transaction.set_rollback(True)
