"""Web views of the documents app.

Views fetch through the access functions and change state only through services; a `Refused`
is shown with its message (and, for JSON/HTMX callers, as {"message", "violations", "field"}).
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST, require_safe

from zhengwu.errors import Refused

from . import attachments


# ==== attachments: upload and permission-checked download ========================================
# Stored files live outside the web root (attachments.storage_root()); this download is the only
# way to them. It checks access.document_visible, that the attachment belongs to the document,
# and the file's SHA-256 before sending a byte.

def _wants_json(request) -> bool:
    return bool(getattr(request, "htmx", False)) or "application/json" in request.headers.get("Accept", "")


def _refused_page(request, e: Refused) -> HttpResponse:
    titles = {403: "无权访问", 404: "未找到", 409: "已被他人修改", 500: "附件无法提供"}
    return render(request, "refused.html", {"refusal": e, "title": titles.get(e.status, "操作被拒绝")}, status=e.status)


def _back(request, doc_id: int) -> str:
    """Where to return after an upload from a form: ?next / POST next, the referring page, the
    document's page (when the app has one), else home."""
    for candidate in (request.POST.get("next"), request.GET.get("next"), request.headers.get("Referer")):
        if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()},
                                                         require_https=request.is_secure()):
            return candidate
    try:
        return reverse("documents:detail", args=[doc_id])
    except NoReverseMatch:
        return "/"


def content_disposition(name: str) -> str:
    """attachment; with an ASCII fallback filename and the exact UTF-8 one (RFC 6266 / RFC 5987)."""
    stem, dot, ext = name.rpartition(".")
    fallback = "".join(c if 32 <= ord(c) < 127 and c not in '"\\;%' else "_" for c in name)
    if not fallback.strip("_. ") or (dot and not stem.isascii()):
        fallback = "attachment" + (f".{ext}" if dot and ext.isascii() and ext.isalnum() else "")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


class _SizeLimitHandler(FileUploadHandler):
    """First in the chain of upload handlers: stops keeping a file (in memory or in Django's temp
    file) once it passes the attachment size limit, so an oversized upload is not spooled to disk
    whole before the service would refuse it. The service checks the size again in any case."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.too_large: set[str] = set()

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.too_large.add(self.field_name)
            raise SkipFile()  # Django drops the partial file and reads past the rest of it
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (memory or temp file) provides the file


@csrf_exempt
def attachment_upload(request, doc_id: int):
    """Exempt here only so the size-limit handler is in place before the body is read (the CSRF
    middleware would read it first; Django docs, "Modifying upload handlers on the fly"): the
    CSRF check runs on `_attachment_upload` below, before anything else."""
    limit = None
    if request.method == "POST" and request.user.is_authenticated:
        limit = _SizeLimitHandler(request, attachments.max_bytes())
        request.upload_handlers.insert(0, limit)
    return _attachment_upload(request, doc_id, limit)


@csrf_protect
@login_required
@require_POST
def _attachment_upload(request, doc_id: int, limit: _SizeLimitHandler | None):
    """POST multipart field "file". 201 JSON / redirect with a message on success; on refusal 400
    (403/404) with {"message", "violations", "field"} for JSON or HTMX callers, else a redirect
    back with the message (a page with the status for 403/404)."""
    upload = request.FILES.get("file")
    try:
        if limit is not None and "file" in limit.too_large:
            attachments.refuse_too_large(limit.limit)
        if upload is None:
            raise Refused("请选择要上传的文件", field="file")
        att = attachments.attachment_add(actor=request.user, document_id=doc_id, name=upload.name or "",
                                         data=upload)
    except Refused as e:
        if _wants_json(request):
            return JsonResponse(e.as_dict(), status=e.status)
        if e.status in (403, 404):
            return _refused_page(request, e)
        messages.error(request, e.message)
        return redirect(_back(request, doc_id))
    finally:
        if upload is not None:
            upload.close()
    url = reverse("documents:attachment-download", args=[doc_id, att.pk])
    if _wants_json(request):
        return JsonResponse({"id": att.pk, "name": att.name, "size": att.size, "sha256": att.sha256,
                             "content_type": att.content_type, "url": url}, status=201)
    messages.success(request, f"已上传附件“{att.name}”")
    return redirect(_back(request, doc_id))


@login_required
@require_safe
def attachment_download(request, doc_id: int, att_id: int):
    try:
        att = attachments.attachment_visible(request.user, doc_id, att_id)
    except Refused as e:
        return _refused_page(request, e)
    try:
        fh = attachments.open_verified(att)
    except attachments.StoredFileCorrupt:  # logged by open_verified
        return _refused_page(request, Refused("附件文件校验失败（与上传时记录的 SHA-256 不符或已丢失），为安全起见不予下载。"
                                              "该情况已记录，请联系区政府办公室。", status=500))
    response = FileResponse(fh, content_type=att.content_type)
    response["Content-Length"] = str(att.size)
    response["Content-Disposition"] = content_disposition(att.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    response["X-Attachment-SHA256"] = att.sha256
    return response
