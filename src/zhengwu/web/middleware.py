"""zh-Hans unless the person chose otherwise: the language cookie set by the 中文/English switch
decides; the browser's Accept-Language does not (government PCs and test browsers vary)."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        codes = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in codes else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class OneCalendarPerRequestMiddleware:
    """Every working-day computation of a request uses one work calendar, checked for changes
    once (zhengwu.workcalendar.selectors.pinned)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from zhengwu.workcalendar.selectors import pinned

        with pinned():
            return self.get_response(request)
