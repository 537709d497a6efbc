from django.apps import AppConfig


class IdempotencyConfig(AppConfig):
    """Exactly-once creates: a client's Idempotency-Key and the first answer it got."""

    name = "idempotency"
    verbose_name = "Idempotency"
