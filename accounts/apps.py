from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Pengguna dan peran"

    def ready(self):
        from django.db import models
        from rest_framework import serializers

        from .api_fields import Rfc3339DateTimeField
        from .services import roles_ensure

        # Every model date-time the API sends is RFC 3339 (see api_fields).
        serializers.ModelSerializer.serializer_field_mapping[models.DateTimeField] = Rfc3339DateTimeField

        post_migrate.connect(lambda **kwargs: roles_ensure(), sender=self, weak=False)
