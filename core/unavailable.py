"""A database that has gone away answers 503 with a readable page (JSON on the API), never a traceback."""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults

log = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def database_unavailable(request):
    """The 503 answer: JSON under /api/, else templates/503.html."""
    message = _("Basis data sedang tidak dapat dihubungi. Data yang sudah tersimpan aman; "
                "silakan coba lagi beberapa saat lagi.")
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=503)
    else:
        # Rendered without the request: its context processors would ask the database again.
        response = HttpResponse(loader.render_to_string("503.html", {"message": message}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request):
    """handler500: a database error raised outside a view (saving the session, say) is a 503 too."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_ERRORS):
        log.error("database unavailable: %s %s: %s", request.method, request.path, error)
        return database_unavailable(request)
    return defaults.server_error(request)
