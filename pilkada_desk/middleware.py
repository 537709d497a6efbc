from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class DeskLocaleMiddleware(LocaleMiddleware):
    """Indonesian unless the user picked English with the page's language selector.

    Desk officers' phones are often set to English; the desk still works in
    Indonesian by default, so the browser's Accept-Language is not consulted,
    only the cookie the selector sets.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
