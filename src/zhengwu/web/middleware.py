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


class OneOrgReadPerRequestMiddleware:
    """The person's posts held today, those acted for and the absences behind them are read once
    per request, whoever asks (the shell, the inbox, the leader's desk, the access checks): see
    zhengwu.org.memo, which also says when the memo is switched off."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from zhengwu.org.memo import per_request

        with per_request():
            return self.get_response(request)


class MethodNotAllowedPageMiddleware:
    """A page, not a blank answer, for a GET on an address that only takes a form's POST (a
    bookmarked or reloaded action, a link copied from the address bar): 405 with `405.html`, which
    says what to do and links back to the object's page. The API's answers are left as they are."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or response.content or request.path.startswith(("/api/", "/static/")):
            return response
        from django.shortcuts import render

        page = render(request, "405.html", {"back": back_link(request.path)}, status=405)
        if response.has_header("Allow"):
            page["Allow"] = response["Allow"]
        return page


def back_link(path: str) -> str:
    """The page an action's address belongs to: the longest leading part of `path` ending at an
    object's number (/documents/5/act/submit/ -> /documents/5/) that the site answers, else "/"."""
    from django.urls import Resolver404, resolve

    parts = [p for p in path.split("/") if p]
    for end in range(len(parts) - 1, 0, -1):
        if not parts[end - 1].isdigit():
            continue
        candidate = "/" + "/".join(parts[:end]) + "/"
        try:
            resolve(candidate)
        except Resolver404:
            continue
        return candidate
    return "/"
