"""/api/v1/: the API, its schema (openapi.json) and docs (docs/, assets served locally), and a
JSON 404 in the one error shape for any other path under it."""

from __future__ import annotations

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


def not_found(request, rest: str = ""):
    return JsonResponse({"message": f"{NOT_FOUND}：/api/v1/{rest}", "violations": [], "field": None}, status=404,
                        json_dumps_params={"ensure_ascii": False})


urlpatterns = [
    path("docs/assets/<str:name>", docs_asset, name="api-docs-asset"),
    path("", api.urls),
    re_path(r"^(?P<rest>.*)$", not_found),
]
