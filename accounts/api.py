from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle

from .lockout import LOCKOUT_STATUS, lockout_message


class ObtainTokenView(ObtainAuthToken):
    """POST {"username", "password"} -> {"token"}; send it as `Authorization: Token <t>`."""

    renderer_classes = api_settings.DEFAULT_RENDERER_CLASSES
    # Password guessing is slowed per client address (rate in settings, counted in
    # the database cache) and locked out per user name and address by django-axes.
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(responses=inline_serializer("Token", {"token": serializers.CharField()}))
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            # django-axes marks the DRF request, which its middleware does not see: answer here.
            if getattr(request, "axes_locked_out", False):
                return Response({"detail": lockout_message()}, status=LOCKOUT_STATUS)
            raise serializers.ValidationError(serializer.errors)
        token, _ = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})
