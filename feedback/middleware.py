"""Language selection for a Norwegian public service.

Django's LocaleMiddleware follows the browser's Accept-Language, so a tablet or PC set up in
English would show English to everyone. Here bokmål is the default and a language is used only
when someone chose it: the staff member's saved choice, else the language switcher's cookie.
"""

from django.conf import settings
from django.utils import translation


class ChosenLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        user = getattr(request, "user", None)
        saved = user.language if user is not None and user.is_authenticated else ""
        chosen = saved or request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
