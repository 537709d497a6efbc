from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Dasar bersama"

    def ready(self):
        from django.db import models
        from rest_framework import serializers

        from .api_fields import Rfc3339DateTimeField

        # Every model date-time the API sends is RFC 3339 (see api_fields).
        serializers.ModelSerializer.serializer_field_mapping[models.DateTimeField] = Rfc3339DateTimeField
