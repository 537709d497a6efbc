"""How a service's refusal reaches the user: a form's field errors on a page, a 400 or 403 in the API.

Services raise Django's ValidationError (with field messages) and
PermissionDenied; views and endpoints let them travel here instead of
translating them one by one.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.forms import Form
from django.http import Http404
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import serializers
from rest_framework.exceptions import NotFound, Throttled
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


def _not_found_message(context: dict) -> str:
    """What was not found, without saying whether it exists outside the caller's scope."""
    view = context.get("view")
    try:
        model = view.get_queryset().model
    except (AttributeError, AssertionError):  # not a generic view, or one without a queryset
        model = None
    lookup = getattr(view, "lookup_url_kwarg", None) or getattr(view, "lookup_field", None)
    key = (getattr(view, "kwargs", None) or {}).get(lookup) if lookup else None
    if model is None or key is None:
        return _("Data yang diminta tidak ditemukan, atau di luar wilayah Anda.")
    return _("%(what)s %(key)s tidak ditemukan, atau di luar wilayah Anda.") % {
        "what": capfirst(model._meta.verbose_name), "key": str(key)[:40]}


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's handler, plus Django's ValidationError as a 400 with field messages and a stale edit as a 412.

    DRF already turns Django's PermissionDenied into a 403 (keeping the
    message). A 404 says what was not found in the user's language (Django's
    "No DailyReport matches the given query." is English), and a throttled
    request when to try again (DRF's "Expected available in N seconds" is not
    translatable).
    """
    if isinstance(exc, StaleEdit):
        return stale_edit_response(exc)
    if isinstance(exc, Http404):
        exc = NotFound(_not_found_message(context))
    if isinstance(exc, Throttled):
        wait = exc.wait
        seconds = wait or 1
        exc = Throttled(detail=ngettext("Terlalu banyak permintaan. Coba lagi dalam %(seconds)d detik.",
                                        "Terlalu banyak permintaan. Coba lagi dalam %(seconds)d detik.", seconds)
                        % {"seconds": seconds})
        exc.wait = wait
    if isinstance(exc, DjangoValidationError):
        detail = serializers.as_serializer_error(exc)
        if NON_FIELD_ERRORS in detail:
            detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
        exc = serializers.ValidationError(detail)
    return exception_handler(exc, context)
