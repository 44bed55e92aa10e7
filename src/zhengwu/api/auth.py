"""Who is calling: a bearer token (`Authorization: Bearer zw_…`), or a browser already logged in
to the web pages (session). An administrator account (三权分立) is refused with 403 whichever way it
calls: every endpoint is the government's business. Session calls that change something must carry the CSRF token, as
the web forms do; token calls need none (a browser never sends the header by itself)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer

from zhengwu.security.admins import refuse_business

from . import selectors, services


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`: an active token of an active person."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = selectors.token_for_key(token.strip())
        if found is None:
            return None
        refuse_business(found.person)  # 403: the API is the business's; administrators have none (三权分立)
        services.api_token_used(token=found)
        request.api_token = found  # type: ignore[attr-defined]
        return found.person


class SessionAuth(APIKeyCookie):
    """The web session; CSRF is checked (by ninja) only when a session is actually logged in, so an
    anonymous call is told 401 (not a CSRF failure)."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super()._get_key(request)  # raises HttpError(403) when the CSRF check fails

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if not (user.is_authenticated and user.is_active):
            return None
        refuse_business(user)
        return user


token_auth = TokenAuth()
session_auth = SessionAuth()
AUTH = [token_auth, session_auth]
