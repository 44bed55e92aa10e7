"""/api/v1/: the API, its schema (openapi.json) and docs (docs/, assets served locally). A wrong
method (405) and any other path under /api/v1/ (404) are answered in the one error shape too."""

from __future__ import annotations

import functools
import mimetypes
from pathlib import Path

import ninja
from django.http import FileResponse, Http404, JsonResponse
from django.urls import path, re_path
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from .api import NOT_FOUND, api

ASSET_DIR = Path(ninja.__file__).resolve().parent / "static" / "ninja"
ASSETS = frozenset({"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-init.js", "favicon.svg", "favicon.png"})


@require_safe
@cache_control(max_age=86400, public=True)
def docs_asset(request, name: str):
    """The Swagger UI files that ship inside django-ninja (no CDN on the intranet)."""
    if name not in ASSETS:
        raise Http404(name)
    return FileResponse((ASSET_DIR / name).open("rb"), content_type=mimetypes.guess_type(name)[0])


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"message": message, "violations": [], "field": None}, status=status,
                        json_dumps_params={"ensure_ascii": False})


def not_found(request, rest: str = ""):
    return _error(f"{NOT_FOUND}：/api/v1/{rest}", 404)


def _method_not_allowed_as_json(view):
    """ninja answers a wrong method with an empty 405; give it the error shape (Allow kept)."""

    @functools.wraps(view)  # keeps csrf_exempt: ninja's auth checks CSRF itself
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and "json" not in response.get("Content-Type", ""):
            allow = response.get("Allow", "")
            out = _error(f"不支持 {request.method} 方法（可用：{allow}）", 405)
            out["Allow"] = allow
            return out
        return response

    return wrapper


def _api_urls():
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = _method_not_allowed_as_json(pattern.callback)
    return patterns, app_name, namespace


urlpatterns = [
    path("docs/assets/<str:name>", docs_asset, name="api-docs-asset"),
    path("", _api_urls()),
    re_path(r"^(?P<rest>.*)$", not_found),
]
