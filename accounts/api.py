from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle


class ObtainTokenView(ObtainAuthToken):
    """POST {"username", "password"} -> {"token"}; send it as `Authorization: Token <t>`."""

    renderer_classes = api_settings.DEFAULT_RENDERER_CLASSES
    # Password guessing is slowed per client address (rate in settings, counted in the cache).
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(responses=inline_serializer("Token", {"token": serializers.CharField()}))
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)
