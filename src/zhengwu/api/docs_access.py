"""The API's documentation (/api/v1/docs) and schema (/api/v1/openapi.json) are for the people who
use the API, not for anonymous visitors: a logged-in web session or a valid API token. Applied by
NinjaAPI(docs_decorator=...) to both views; anonymous callers get the login page (docs) or a 401
in the API's one error shape (schema)."""

from __future__ import annotations

import functools

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja.openapi.views import openapi_view

from zhengwu.errors import Refused

LOGIN_REQUIRED = "请先登录，或在请求头中提供 Authorization: Bearer <令牌>，再查看接口文档"


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_active:
        return True
    if request.headers.get("Authorization"):
        from .auth import token_auth

        return token_auth(request) is not None
    return False


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"message": message, "violations": [], "field": None}, status=status,
                        json_dumps_params={"ensure_ascii": False})


def members_only(view):
    page = getattr(view, "func", view) is openapi_view  # the HTML page (else the JSON schema)

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            allowed = _signed_in(request)
        except Refused as e:  # an administrator's token (三权分立)
            return _error(e.message, e.status)
        if allowed:
            return view(request, *args, **kwargs)
        if page:
            return redirect_to_login(request.get_full_path())
        return _error(LOGIN_REQUIRED, 401)

    return wrapper
