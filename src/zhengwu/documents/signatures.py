"""Handwritten 批示 (手写签批): a leader writes or signs on the screen; the drawing arrives as a PNG
(the canvas's data URL) and is kept with its SHA-256 beside the task it was written on.

- The bytes must be a PNG (magic bytes, chunk CRCs, a plain 8-bit image), at most MAX_BYTES and
  MAX_PIXELS, and not blank: at least MIN_INK pixels of visible ink. Each refusal names the field
  "signature" and nothing is written.
- `signature_attach` records it and appends "documents.signature.add" (with the SHA-256) to the
  audit trail in one transaction. The approval screen calls it and `task_complete` (or
  `task_return`) inside one `transaction.atomic()`, so the signature and the 批示 commit together.
- The image is stored in the database (BinaryField): it is small, and it then rolls back with the
  transaction. It is served only by a view that checks `access.document_visible` and re-hashes it.

The PNG reader is a small pure-Python decoder (no imaging library in the stack): it inflates the
IDAT stream with a hard cap and undoes the five scanline filters row by row, stopping as soon as
enough ink is found.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import hashlib
import logging
import struct
import zlib

from django.db import transaction

from zhengwu import rules
from zhengwu.audit.services import audit_append
from zhengwu.errors import NotFound, Refused
from zhengwu.org.models import Person
from zhengwu.workflow import access as wf_access
from zhengwu.workflow.models import Task

from . import access
from .models import Document, Signature

log = logging.getLogger(__name__)

OBJ = "documents.document"
FIELD = "signature"
ARTICLE = 68  # the leaders' 批示 on documents submitted to the 区政府
MAX_BYTES = 512 * 1024
MAX_PIXELS = 1_200_000  # e.g. 1600×750: a phone canvas at 2× is about 700×400
MIN_INK = 12  # pixels of visible ink; fewer is an accidental tap, not a signature
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
DATA_URL_PREFIX = "data:image/png;base64,"
CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}  # colour type -> samples per pixel (8-bit, no palette)


# ==== reading a PNG =============================================================================

@dataclasses.dataclass(frozen=True)
class PngInfo:
    width: int
    height: int
    color_type: int
    ink: int  # ink pixels counted (stops at MIN_INK)


def _refuse(message: str) -> Refused:
    return Refused(message, field=FIELD)


def _chunks(data: bytes):
    """(type, payload) of each chunk, checking lengths and CRCs; stops after IEND."""
    pos = len(PNG_MAGIC)
    while True:
        if pos + 8 > len(data):
            raise _refuse("手写签批图片不完整（PNG 文件被截断），请重新签写")
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        end = pos + 8 + length
        if end + 4 > len(data):
            raise _refuse("手写签批图片不完整（PNG 文件被截断），请重新签写")
        payload = data[pos + 8:end]
        (crc,) = struct.unpack(">I", data[end:end + 4])
        if zlib.crc32(kind + payload) & 0xFFFFFFFF != crc:
            raise _refuse("手写签批图片已损坏（PNG 校验不符），请重新签写")
        yield kind, payload
        if kind == b"IEND":
            return
        pos = end + 4


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def _unfilter(kind: int, line: bytes, prev: bytes, bpp: int) -> bytes:
    """Undo one scanline's filter (PNG spec, section 9)."""
    if kind == 0:
        return line
    n = len(line)
    if kind == 2:  # Up
        return bytes((x + p) & 0xFF for x, p in zip(line, prev))
    out = bytearray(line)
    if kind == 1:  # Sub
        for i in range(bpp, n):
            out[i] = (out[i] + out[i - bpp]) & 0xFF
    elif kind == 3:  # Average
        for i in range(n):
            left = out[i - bpp] if i >= bpp else 0
            out[i] = (out[i] + ((left + prev[i]) >> 1)) & 0xFF
    elif kind == 4:  # Paeth
        for i in range(n):
            left = out[i - bpp] if i >= bpp else 0
            upleft = prev[i - bpp] if i >= bpp else 0
            out[i] = (out[i] + _paeth(left, prev[i], upleft)) & 0xFF
    else:
        raise _refuse("手写签批图片已损坏（未知的 PNG 行过滤方式），请重新签写")
    return bytes(out)


def _ink_in(row: bytes, channels: int) -> int:
    """Pixels of visible ink in a row: opaque enough and darker than paper."""
    if channels == 4:
        return sum(1 for i in range(0, len(row), 4)
                   if row[i + 3] >= 32 and (row[i] + row[i + 1] + row[i + 2]) < 600)
    if channels == 3:
        return sum(1 for i in range(0, len(row), 3) if (row[i] + row[i + 1] + row[i + 2]) < 600)
    if channels == 2:
        return sum(1 for i in range(0, len(row), 2) if row[i + 1] >= 32 and row[i] < 200)
    return sum(1 for v in row if v < 200)


def read_png(data: bytes) -> PngInfo:
    """Check that `data` is a plain PNG (8-bit grey/RGB/grey+alpha/RGBA, not interlaced) with some
    ink on it. Raises Refused(field="signature") naming what is wrong."""
    if not isinstance(data, (bytes, bytearray)):
        raise _refuse("手写签批须为 PNG 图片")
    data = bytes(data)
    if not data:
        raise _refuse("手写签批是空的，请在签批区书写后再提交")
    if len(data) > MAX_BYTES:
        raise _refuse(f"手写签批图片超过{MAX_BYTES // 1024}KB，请清除后重新签写")
    if not data.startswith(PNG_MAGIC):
        raise _refuse("手写签批须为 PNG 图片，所提交的内容不是 PNG")
    header = None
    idat = []
    for kind, payload in _chunks(data):
        if header is None:
            if kind != b"IHDR" or len(payload) != 13:
                raise _refuse("手写签批图片已损坏（缺少 PNG 文件头），请重新签写")
            header = struct.unpack(">IIBBBBB", payload)
        elif kind == b"IDAT":
            idat.append(payload)
    width, height, depth, color, compression, filtering, interlace = header
    if width == 0 or height == 0:
        raise _refuse("手写签批图片没有内容，请重新签写")
    if width * height > MAX_PIXELS:
        raise _refuse(f"手写签批图片尺寸过大（{width}×{height}像素），请清除后重新签写")
    if depth != 8 or color not in CHANNELS or compression or filtering or interlace:
        raise _refuse("手写签批须为普通的 8 位 PNG 图片（不支持调色板、16 位或隔行扫描格式）")
    if not idat:
        raise _refuse("手写签批图片没有图像数据，请重新签写")
    bpp = CHANNELS[color]
    stride = width * bpp
    expected = (stride + 1) * height
    inflater = zlib.decompressobj()
    try:
        raw = inflater.decompress(b"".join(idat), expected + 1)  # never inflate more than the image can hold
    except zlib.error:
        raise _refuse("手写签批图片已损坏（图像数据无法解压），请重新签写") from None
    if len(raw) != expected:
        raise _refuse("手写签批图片已损坏（图像数据与尺寸不符），请重新签写")
    ink = 0
    prev = bytes(stride)
    for y in range(height):
        start = y * (stride + 1)
        row = _unfilter(raw[start], raw[start + 1:start + 1 + stride], prev, bpp)
        ink += _ink_in(row, bpp)
        if ink >= MIN_INK:
            break
        prev = row
    if ink < MIN_INK:
        raise _refuse("手写签批是空白的，请在签批区书写后再提交（或清除签批区，只填写文字批示）")
    return PngInfo(width=width, height=height, color_type=color, ink=ink)


def png_from_data_url(value: str) -> bytes | None:
    """The PNG bytes of a canvas data URL ("data:image/png;base64,…"); None when empty.
    Anything else is refused naming the field."""
    value = (value or "").strip()
    if not value:
        return None
    if not value.startswith(DATA_URL_PREFIX):
        what = value.split(",", 1)[0][:40] if value.startswith("data:") else "非图片内容"
        raise _refuse(f"手写签批须为 PNG 图片（收到：{what}）")
    encoded = value[len(DATA_URL_PREFIX):]
    if len(encoded) > (MAX_BYTES * 4) // 3 + 8:
        raise _refuse(f"手写签批图片超过{MAX_BYTES // 1024}KB，请清除后重新签写")
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise _refuse("手写签批图片编码有误（不是有效的 base64），请重新签写") from None


# ==== the service ===============================================================================

def signature_attach(*, actor: Person, task_id, png_bytes: bytes, on: dt.date | None = None) -> Signature:
    """手写签批: keep the PNG `actor` drew for the open document task `task_id` (their own, or one of
    a position they act for today), with its SHA-256 in the row and in the audit trail."""
    on = on or rules.today()
    task = wf_access.task_for_action(actor, task_id, on=on)
    if task.kind != Task.Kind.STEP:
        raise Refused("传阅件不需要签批", field="task_id")
    if task.approval.obj_type != OBJ:
        raise Refused("该待办不是公文的审批环节，不能手写签批", field="task_id")
    doc = Document.objects.filter(pk=int(task.approval.obj_id)).first()
    if doc is None:
        raise NotFound("该待办所属的公文不存在", field="task_id")
    info = read_png(png_bytes)
    png_bytes = bytes(png_bytes)
    sha = hashlib.sha256(png_bytes).hexdigest()
    with transaction.atomic():
        sig = Signature.objects.create(document=doc, task=task, person=actor, png=png_bytes, size=len(png_bytes),
                                       width=info.width, height=info.height, sha256=sha)
        audit_append(actor=actor, action="documents.signature.add", obj_type=OBJ, obj_id=str(doc.pk),
                     after={"task": task.pk, "signature": sig.pk, "sha256": sha, "size": len(png_bytes),
                            "width": info.width, "height": info.height},
                     article=ARTICLE, summary=f"{actor}手写签批（{task.action}，SHA-256 {sha}）")
    return sig


# ==== reads =====================================================================================

def signatures_by_task(doc: Document) -> dict[int, Signature]:
    """The latest signature of each task of the document (without the image bytes)."""
    found: dict[int, Signature] = {}
    for sig in Signature.objects.filter(document=doc).defer("png").order_by("id"):
        found[sig.task_id] = sig
    return found


class SignatureCorrupt(Exception):
    """The stored image no longer has the SHA-256 recorded when it was signed."""


def signature_visible(person: Person, document_id, signature_id, *, on: dt.date | None = None) -> Signature:
    """One signature image for display: the person must see the document (403/404 otherwise) and
    the signature must belong to it (404 otherwise)."""
    doc = access.document_visible(person, document_id, on=on)
    try:
        signature_id = int(signature_id)
    except (TypeError, ValueError):
        raise Refused("签批编号须为整数", field="signature_id") from None
    sig = Signature.objects.filter(pk=signature_id, document=doc).first()
    if sig is None:
        raise NotFound(f"公文{doc.pk}没有编号为{signature_id}的手写签批", field="signature_id")
    return sig


def verified_png(sig: Signature) -> bytes:
    data = bytes(sig.png)
    if hashlib.sha256(data).hexdigest() != sig.sha256:
        log.error("signature %s of document %s fails its integrity check", sig.pk, sig.document_id)
        raise SignatureCorrupt(sig.pk)
    return data
