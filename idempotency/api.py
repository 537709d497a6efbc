"""`Idempotency-Key` on the API's creates: the same key again returns the first answer, storing nothing new."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from .services import HEADER, idempotent

KEY_PARAMETER = OpenApiParameter(
    HEADER, str, location=OpenApiParameter.HEADER, required=False,
    description="Kunci unik dari klien (mis. UUID). Permintaan yang sama dengan kunci yang sama "
                "mengembalikan jawaban pertama dan tidak menyimpan data baru.",
)


class IdempotentCreateMixin:
    """For a DRF view with `create`: honour the Idempotency-Key header."""

    @extend_schema(parameters=[KEY_PARAMETER])
    def create(self, request, *args, **kwargs):
        key = request.headers.get(HEADER, "").strip()
        # A malformed key is the service's ValidationError: a 400 by the project's exception handler.
        with idempotent(user=request.user, key=key, endpoint=f"POST {request.path}", now=timezone.now()) as claim:
            if claim.replay is not None:
                return Response(claim.replay.body, status=claim.replay.status_code,
                                headers={"Idempotent-Replayed": "true"})
            response = super().create(request, *args, **kwargs)
            if 200 <= response.status_code < 300:
                claim.store(status_code=response.status_code, body=response.data,
                            location=response.headers.get("Location", ""))
            return response
