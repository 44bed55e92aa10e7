"""The public site's isolation (/public/): a middleware placed before the session middleware.

For a path under /public/ the request's cookies are dropped before anything reads them, so no
session is loaded, the visitor is anonymous to every inner middleware (login gate, session lifetime,
administrators' fence) and nothing from the office (user, CSRF token, language choice) reaches the
public views; the response leaves with no cookie at all. Only GET and HEAD are served (read-only)."""

from __future__ import annotations

from http.cookies import SimpleCookie

from django.http import HttpResponseNotAllowed

PREFIX = "/public/"


def is_public(path: str) -> bool:
    return path == PREFIX.rstrip("/") or path.startswith(PREFIX)


class PublicSiteMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_public(request.path_info or ""):
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        request.COOKIES = {}
        request.META.pop("HTTP_COOKIE", None)
        response = self.get_response(request)
        response.cookies = SimpleCookie()
        response.headers.pop("Vary", None)
        response["Vary"] = "Accept-Encoding"
        return response
