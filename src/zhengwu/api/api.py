"""The HTTP API `/api/v1/` (django-ninja): one NinjaAPI, its routers, and the one error shape.

Every refusal — bad input, a rule that blocks, no permission, not found, a conflict, no
credentials, even an unexpected failure — is answered as

    {"message": "...", "violations": [{"rule_id", "article", "severity", "message", "field"}], "field": ...}

(STYLE 12). Endpoints never write models: they call the apps' services and access functions,
which raise `zhengwu.errors.Refused` (and its NotFound / Forbidden / Conflict) with the reasons.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Iterable

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.docs import Swagger
from ninja.renderers import JSONRenderer

from zhengwu.errors import Refused
from zhengwu.rulebook.calendar import CalendarError
from zhengwu.rulebook.facts import FactsError

from .auth import AUTH
from .docs_access import members_only
from .routers import (bodies, calendar, decisions, disclosure, documents, foreign, info_requests, leave, meetings, org,
                      petitions, precheck, proposals, seals, supervision, tasks, unit_reports)

log = logging.getLogger("zhengwu.api")

UNAUTHORIZED = "未登录或令牌无效：请在请求头中提供 Authorization: Bearer <令牌>"
BAD_BODY = "请求体不是有效的 JSON"
CSRF_FAILED = "CSRF 校验失败：以登录会话调用时须带 X-CSRFToken 请求头（或改用 API 令牌）"
SERVER_ERROR = "服务器内部错误，已记录，请稍后再试或联系管理员"
NOT_FOUND = "未找到"


class LocalSwagger(Swagger):
    """Swagger UI from the files shipped inside django-ninja, served by us (intranets have no CDN)."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        return render(request, "api/docs.html", {"api": api, "swagger_settings": json.dumps(self.settings)})


class Utf8JSONRenderer(JSONRenderer):
    """Chinese text as UTF-8, readable in logs and curl output (not \\u escapes)."""

    json_dumps_params = {"ensure_ascii": False}


# How the schema describes the refusals of zhengwu.web.input_guard, which every operation can give
# before its own code runs (the test of the schema recognises them by this description).
INPUT_REFUSED = "输入无效：参数或请求体含有不允许的字符，或请求体格式错误（未执行任何操作）"
BODY_TOO_LARGE = "请求体过大（未执行任何操作）"


class ZhengwuAPI(NinjaAPI):
    """The schema documents, on every operation, the 400 of the input guard (a control character in
    any parameter, a broken multipart body) and, on an operation with a body, its 413."""

    def get_openapi_schema(self, **kwargs):
        schema = super().get_openapi_schema(**kwargs)
        error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
        for methods in schema["paths"].values():
            for op in methods.values():
                responses = op.setdefault("responses", {})
                if 400 not in responses and "400" not in responses:
                    responses[400] = {"description": INPUT_REFUSED, **error}
                if "requestBody" in op and 413 not in responses and "413" not in responses:
                    responses[413] = {"description": BODY_TOO_LARGE, **error}
        return schema


api = ZhengwuAPI(
    title="政务 zhengwu API",
    version="1",
    urls_namespace="api",
    description=(
        "区政府工作规则（《工作规则》）的办理接口：待办、办理／退回／转办、预审、工作日历、组织机构。\n\n"
        "认证：请求头 `Authorization: Bearer <令牌>`（`zhengwu manage api_token 用户名 --name 用途` 生成），"
        "或已登录网页的会话（写操作须带 `X-CSRFToken`）。\n\n"
        "每一种拒绝都是同一个形状：`{\"message\": …, \"violations\": […], \"field\": …}`，"
        "violations 中每一项给出 rule_id 与所依据的条款 article。"
    ),
    auth=AUTH,
    docs=LocalSwagger(),
    docs_decorator=members_only,  # docs and openapi.json: signed-in users and token holders only
    renderer=Utf8JSONRenderer(),
)


def error(request: HttpRequest, message: str, *, status: int, violations: Iterable[dict] = (),
          field: str | None = None) -> HttpResponse:
    body = {"message": message, "violations": list(violations), "field": field or None}
    return api.create_response(request, body, status=status)


@api.exception_handler(Refused)
def _refused(request, exc: Refused):
    return error(request, exc.message, status=exc.status, violations=exc.as_dict()["violations"], field=exc.field)


@api.exception_handler(FactsError)
def _facts_error(request, exc: FactsError):
    return error(request, str(exc), status=400, field=exc.field)


@api.exception_handler(CalendarError)
def _calendar_error(request, exc: CalendarError):
    return error(request, str(exc), status=400, field=exc.field or None)


def _field_of(loc: Iterable[Any]) -> str:
    """ninja's error location → the client's field name: ("body", "data", "to") → "to",
    ("query", "limit") → "limit", ("body", "data", "facts", 0) → "facts[0]"."""
    parts = list(loc)
    if parts and parts[0] in ("body", "form", "file"):
        parts = parts[2:] if len(parts) > 2 else parts[1:]
    elif parts and parts[0] in ("query", "path", "header", "cookie"):
        parts = parts[1:]
    name = ""
    for p in parts:
        name += f"[{p}]" if isinstance(p, int) else (f".{p}" if name else str(p))
    return name or "body"


# pydantic's error types in Chinese (others keep pydantic's English text)
VALIDATION_MESSAGES = {
    "missing": "必填",
    "int_parsing": "须为整数", "int_type": "须为整数", "int_from_float": "须为整数",
    "string_type": "须为字符串", "bool_parsing": "须为 true 或 false", "bool_type": "须为 true 或 false",
    "dict_type": "须为对象", "list_type": "须为列表", "model_attributes_type": "须为对象",
    "less_than_equal": "不能大于{le}", "greater_than_equal": "不能小于{ge}",
    "less_than": "须小于{lt}", "greater_than": "须大于{gt}",
    "string_too_long": "不能超过{max_length}个字符", "string_too_short": "至少{min_length}个字符",
    "literal_error": "须为 {expected} 之一", "enum": "须为 {expected} 之一",
    "json_invalid": "不是有效的 JSON",
}


def _validation_message(err: dict) -> str:
    template = VALIDATION_MESSAGES.get(err.get("type", ""))
    if template is None:
        return err.get("msg", "取值无效")
    ctx = dict(err.get("ctx") or {})
    if isinstance(ctx.get("expected"), str):
        ctx["expected"] = ctx["expected"].replace(" or ", ", ")
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return err.get("msg", "取值无效")


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    first = exc.errors[0] if exc.errors else {}
    field = _field_of(first.get("loc", ()))
    more = f"（另有{len(exc.errors) - 1}处错误）" if len(exc.errors) > 1 else ""
    return error(request, f"{field}: {_validation_message(first)}{more}", status=422, field=field)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc: AuthenticationError):
    response = error(request, UNAUTHORIZED, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="zhengwu"'
    return response


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    if "CSRF" in exc.message:
        return error(request, CSRF_FAILED, status=exc.status_code)
    if exc.message.startswith("Cannot parse request body"):
        return error(request, BAD_BODY, status=exc.status_code, field="body")
    return error(request, exc.message, status=exc.status_code)


@api.exception_handler(Http404)
def _not_found(request, exc: Http404):
    return error(request, NOT_FOUND, status=404)


@api.exception_handler(Exception)
def _unexpected(request, exc: Exception):
    log.exception("unexpected error in %s %s", request.method, request.path)
    return error(request, SERVER_ERROR, status=500)


api.add_router("/tasks", tasks.router)
api.add_router("/precheck", precheck.router)
api.add_router("/calendar", calendar.router)
api.add_router("/org", org.router)
api.add_router("/documents", documents.router)
api.add_router("/decisions", decisions.router)
api.add_router("/meetings", meetings.router)
api.add_router("/unit-reports", unit_reports.router)
api.add_router("/supervision", supervision.router)
api.add_router("/proposals", proposals.router)
# 印信 and 政务事务: each module lists its (prefix, router) pairs
for _module in (seals, leave, foreign, bodies, disclosure, info_requests, petitions):
    for _prefix, _router in _module.ROUTERS:
        api.add_router(_prefix, _router)
