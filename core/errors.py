"""How a service's refusal reaches the user: a form's field errors on a page, a 400 or 403 in the API.

Services raise Django's ValidationError (with field messages) and
PermissionDenied; views and endpoints let them travel here instead of
translating them one by one.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.forms import Form
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

from .concurrency import StaleEdit, stale_edit_response


def form_add_service_errors(form: Form, error: DjangoValidationError) -> None:
    """Show a service's ValidationError on the form fields it names (on top of the form for the others)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's handler, plus Django's ValidationError as a 400 with field messages and a stale edit as a 412.

    DRF already turns Django's PermissionDenied into a 403 (keeping the
    message) and Http404 into a 404.
    """
    if isinstance(exc, StaleEdit):
        return stale_edit_response(exc)
    if isinstance(exc, DjangoValidationError):
        detail = serializers.as_serializer_error(exc)
        if NON_FIELD_ERRORS in detail:
            detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
        exc = serializers.ValidationError(detail)
    return exception_handler(exc, context)
