import logging

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from .unavailable import DATABASE_ERRORS, database_unavailable

log = logging.getLogger(__name__)


class DeskLocaleMiddleware(LocaleMiddleware):
    """Indonesian unless the user picked English with the page's language selector.

    Desk officers' phones are often set to English; the desk still works in
    Indonesian by default, so pages do not consult the browser's
    Accept-Language, only the cookie the selector sets. An API client has no
    selector: under /api/ the cookie, else `Accept-Language: en`, asks for English.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
            if request.path.startswith("/api/"):
                language = translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class DatabaseUnavailableMiddleware:
    """A view (page or API) that finds the database gone answers 503, readable, whatever DEBUG says."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            log.error("database unavailable: %s %s: %s", request.method, request.path, exception)
            return database_unavailable(request)
        return None
