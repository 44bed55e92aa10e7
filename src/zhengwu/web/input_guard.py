"""Bad input never reaches a view, on any door (web pages, /api/v1/, the admin): one middleware
that every request crosses refuses, before anything is read by a view or written,

* a control character (zhengwu.textcheck: C0 other than tab/newline/CR, DEL, invalid UTF-8) in any
  query parameter, form field, JSON string (keys and values, at any depth) or uploaded file's name —
  400 naming the field;
* a body larger than DATA_UPLOAD_MAX_MEMORY_SIZE (files of a multipart upload aside: those keep
  the rulebook's `attachments.max_bytes`, checked by the upload's own handler and service) — 413;
* a multipart body without a boundary, or one Django cannot parse — 400 naming `body`;
* an uploaded file whose name is longer than MAX_FILE_NAME characters, or whose extension is
  longer than MAX_EXTENSION (Django names its temporary file with it: a long multibyte one made
  the file system refuse, a 500) — 400 naming the field, before Django spools the file anywhere;
* JSON nested too deep to parse — 400 naming `body`.

The API answers in its error shape `{"message", "field", "violations"}`; a page answers with the
readable refusal page (refused.html). A multipart body is checked where it is parsed (the first
read of request.POST/FILES), not here: a view may still put its own upload handler first (the
documents' size limit), which reading it here would forbid; the check raises `BadInput`, which the
API's `Refused` handler, `process_exception` below and `bad_request` (urls.handler400, for the CSRF
check that reads the form before the view) answer."""

from __future__ import annotations

import json
import os
from urllib.parse import parse_qsl

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig, TooManyFieldsSent
from django.core.files.uploadhandler import FileUploadHandler
from django.http import JsonResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _, pgettext_lazy

from zhengwu.errors import Refused
from zhengwu.textcheck import char_name, first_bad_char

# the longest file name an upload is stored under (documents.Attachment.name, attachments.MAX_NAME)
MAX_FILE_NAME = 200
MAX_EXTENSION = 16  # what attachments.clean_name keeps as an extension; none allowed is longer
API_PREFIX = "/api/"
MAX_JSON_DEPTH = 64

# how the web page names the most common fields (users never see field keys); others are "a field"
FIELD_LABELS = {
    "q": pgettext_lazy("form field", "search words"),
    "title": pgettext_lazy("form field", "title"),
    "reason": pgettext_lazy("form field", "reason"),
    "reasons": pgettext_lazy("form field", "reason"),
    "opinion": pgettext_lazy("form field", "opinion"),
    "note": pgettext_lazy("form field", "note"),
    "text": pgettext_lazy("form field", "text"),
    "summary": pgettext_lazy("form field", "summary"),
    "body": pgettext_lazy("form field", "body text"),
    "name": pgettext_lazy("form field", "name"),
    "number": pgettext_lazy("form field", "number"),
    "username": pgettext_lazy("form field", "user name"),
    "kind": pgettext_lazy("form field", "document type"),
    "file": pgettext_lazy("form field", "file"),
    "phrase": pgettext_lazy("form field", "phrase"),
}


class BadInput(Refused, BadRequest):
    """Input refused before any view ran (400, or 413 for a body too large)."""

    def __init__(self, message: str, *, field: str | None, status: int = 400, page_message: str = ""):
        super().__init__(message, field=field, status=status)
        self.page_message = page_message or message


def _label(field: str | None) -> str | None:
    if not field:
        return None
    key = field.split(".")[0].split("[")[0]
    label = FIELD_LABELS.get(key)
    return str(label) if label is not None else None


def bad_char(field: str, ch: str) -> BadInput:
    label = _label(field)
    if label:
        page = _("The field “%(label)s” contains an invisible control character (often carried over when "
                 "copying from another program). Please delete it and submit again.") % {"label": label}
    else:
        page = _("One of the fields contains an invisible control character (often carried over when copying "
                 "from another program). Please delete it and submit again.")
    return BadInput(f"{field}: 含有不允许的字符（{char_name(ch)}）", field=field, page_message=page)


def too_large() -> BadInput:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return BadInput(f"请求体过大（超过 {limit // 1024} KB）", field="body", status=413,
                    page_message=_("What you submitted is too large (more than %(kb)s KB).") % {"kb": limit // 1024})


def bad_multipart(detail: str = "") -> BadInput:
    return BadInput("multipart 请求体格式错误" + (f"：{detail}" if detail else ""), field="body",
                    page_message=_("The form could not be read (the upload was broken off or malformed). "
                                   "Please submit it again."))


def _safe_key(key: str) -> str:
    return "".join("?" if first_bad_char(c) else c for c in key)[:100]


# ---- checks ---------------------------------------------------------------------------------------

def check_pairs(pairs) -> None:
    for key, value in pairs:
        for text in (key, value):
            ch = first_bad_char(text)
            if ch is not None:
                raise bad_char(_safe_key(key), ch)


def check_query_string(raw: str) -> None:
    try:
        pairs = parse_qsl(raw, keep_blank_values=True, encoding="utf-8", errors="surrogateescape",
                          max_num_fields=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)
    except ValueError:
        raise TooManyFieldsSent("too many GET/POST parameters") from None
    check_pairs(pairs)


def check_json(value, path: str = "", depth: int = 0) -> None:
    if depth > MAX_JSON_DEPTH:
        raise BadInput(f"JSON 嵌套超过 {MAX_JSON_DEPTH} 层", field="body")
    if isinstance(value, str):
        ch = first_bad_char(value)
        if ch is not None:
            raise bad_char(path or "body", ch)
    elif isinstance(value, dict):
        for key, item in value.items():
            sub = f"{path}.{key}" if path else str(key)
            ch = first_bad_char(key)
            if ch is not None:
                raise bad_char(_safe_key(sub), ch)
            check_json(item, sub, depth + 1)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            check_json(item, f"{path}[{i}]" if path else f"[{i}]", depth + 1)


def check_body(request) -> None:
    """A body that is not multipart: its size, then its form fields or JSON strings."""
    try:
        body = request.body
    except RequestDataTooBig:
        raise too_large() from None
    if not body:
        return
    content_type = request.content_type or ""
    if content_type == "application/x-www-form-urlencoded":
        check_query_string(body.decode("utf-8", "surrogateescape"))
    elif content_type == "application/json" or content_type.endswith("+json"):
        try:
            data = json.loads(body)
        except UnicodeDecodeError:
            raise BadInput("请求体不是有效的 UTF-8", field="body") from None
        except RecursionError:
            raise BadInput(f"JSON 嵌套超过 {MAX_JSON_DEPTH} 层", field="body") from None
        except ValueError:
            return  # not JSON: the API answers it in its own words
        check_json(data)


class FileNameGuard(FileUploadHandler):
    """First in the upload handlers: refuses a bad or over-long file name before any handler after it
    opens a file for it (Django's temporary file carries the name's extension, which can be longer
    than the file system allows)."""

    def new_file(self, field_name, file_name, *args, **kwargs):
        field = _safe_key(field_name or "file")
        ch = first_bad_char(file_name or "", single_line=True)
        if ch is not None:
            raise bad_char(field, ch)
        if len(file_name or "") > MAX_FILE_NAME:
            raise BadInput(f"{field}: 文件名过长（{len(file_name)} 个字符，不能超过 {MAX_FILE_NAME} 个字符）",
                           field=field,
                           page_message=_("The file name is too long (at most %(n)s characters). Please rename "
                                          "the file and upload it again.") % {"n": MAX_FILE_NAME})
        extension = os.path.splitext(file_name or "")[1]
        if len(extension) > MAX_EXTENSION + 1:  # Django's temporary file is named with it: ENAMETOOLONG
            raise BadInput(f"{field}: 文件扩展名过长（不能超过 {MAX_EXTENSION} 个字符）", field=field,
                           page_message=_("The file name's extension is too long (at most %(n)s characters). "
                                          "Please rename the file and upload it again.") % {"n": MAX_EXTENSION})
        super().new_file(field_name, file_name, *args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None


def guard_multipart(request) -> None:
    """Check a multipart body where it is parsed (see the module docstring)."""
    params = request.content_params or {}
    if not params.get("boundary"):
        raise bad_multipart("缺少 boundary")
    request.upload_handlers.insert(0, FileNameGuard(request))
    load = request._load_post_and_files

    def load_and_check():
        try:
            load()
        except (MultiPartParserError, UnicodeDecodeError, ValueError) as e:
            _mark_empty(request)
            raise bad_multipart() from e
        except RequestDataTooBig:
            _mark_empty(request)
            raise too_large() from None
        except BadInput:
            _mark_empty(request)
            raise
        try:
            check_pairs(_flat(request._post))
        except BadInput:
            _mark_empty(request)
            raise

    request._load_post_and_files = load_and_check


def _flat(qd):
    return [(k, v) for k, values in qd.lists() for v in values]


def _mark_empty(request) -> None:
    request._post = QueryDict()
    request._files = MultiValueDict()


# ---- answers --------------------------------------------------------------------------------------

def respond(request, exc: BadInput):
    if request.path.startswith(API_PREFIX):
        response = JsonResponse(exc.as_dict(), status=exc.status, json_dumps_params={"ensure_ascii": False})
        return response
    from django.shortcuts import render

    title = _("Too large") if exc.status == 413 else _("Bad input")
    shown = Refused(exc.page_message, status=exc.status)
    return render(request, "refused.html", {"refusal": shown, "title": title}, status=exc.status)


def bad_request(request, exception=None):
    """urls.handler400: a readable page (or the API's error shape) for every 400 Django raises."""
    if isinstance(exception, BadInput):
        return respond(request, exception)
    return respond(request, BadInput("请求无效", field=None,
                                     page_message=_("The request could not be understood. Please go back and try again.")))


class InputGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            check_query_string(request.META.get("QUERY_STRING", ""))
            content_type = request.META.get("CONTENT_TYPE", "")
            if content_type.startswith("multipart/"):
                if content_type.startswith("multipart/form-data"):
                    guard_multipart(request)
            elif request.method not in ("GET", "HEAD", "OPTIONS"):
                try:
                    length = int(request.META.get("CONTENT_LENGTH") or 0)
                except ValueError:
                    length = 0
                limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
                if limit is not None and length > limit:
                    raise too_large()
                check_body(request)
        except BadInput as e:
            return respond(request, e)
        except TooManyFieldsSent:
            return respond(request, BadInput("参数过多", field=None, page_message=_("Too many fields were submitted.")))
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, BadInput):
            return respond(request, exception)
        return None
