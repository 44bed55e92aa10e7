"""Attachments of a document (附件): the content sniffer, the content-addressed store and the
service that adds one, plus the permission-checked read the download view uses.

- The type is taken from the content (magic bytes and, for containers, their inner structure),
  never from the name or the client's Content-Type; the name's extension must agree with it.
- Size and allowed types are office settings in the rulebook (`attachments.max_bytes`,
  `attachments.allowed_types`, cited to art. 67: 区政府关于公文处理的有关规定).
- Files live outside the web root, under `VAR_DIR/attachments/<sha[:2]>/<sha>`; they are never
  served by the static-file handler, only by the download view after `access.document_visible`.
- The SHA-256 goes into the Attachment row and into the audit event, in one transaction; the
  download re-hashes the stored file and refuses to serve it if it no longer matches.
- 涉密 documents take no attachments (metadata only, see services._refuse_classified_content).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import os
import re
import struct
import tempfile
import unicodedata
import zipfile
from pathlib import Path
from typing import IO, Any, BinaryIO

from django.conf import settings
from django.db import transaction

from zhengwu import rules
from zhengwu.audit.services import audit_append
from zhengwu.errors import Forbidden, NotFound, Refused
from zhengwu.org.models import Person
from zhengwu.security.admins import refuse_business

from . import access
from .models import Attachment, Document

log = logging.getLogger(__name__)

OBJ = "documents.document"
ARTICLE = 67
CHUNK = 1024 * 1024
MAX_NAME = 200


# ==== sniffing: what a file really is ==========================================================

@dataclasses.dataclass(frozen=True)
class Sniffed:
    """What the content is. `kind` is a short code (ours, e.g. "pdf", or a foreign one such as
    "exe"); `label` says it in Chinese for messages; `codes` are the type codes of
    `attachments.allowed_types` this content may be filed under (empty: none); `mime` is what
    the download is served as."""

    kind: str
    label: str
    codes: tuple[str, ...] = ()
    mime: str = "application/octet-stream"


MIME = {
    "pdf": "application/pdf",
    "ofd": "application/ofd",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "jpg": "image/jpeg",
    "png": "image/png",
}

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

# Formats recognised only to name them in a refusal (never allowed: no code).
FOREIGN = (
    (b"MZ", "exe", "Windows 可执行程序（EXE/DLL）"),
    (b"\x7fELF", "elf", "Linux 可执行程序（ELF）"),
    (b"\xcf\xfa\xed\xfe", "macho", "macOS 可执行程序（Mach-O）"),
    (b"\xfe\xed\xfa\xcf", "macho", "macOS 可执行程序（Mach-O）"),
    (b"\xca\xfe\xba\xbe", "macho", "macOS 可执行程序或 Java 类文件"),
    (b"#!", "script", "脚本程序"),
    (b"GIF87a", "gif", "GIF 图片"),
    (b"GIF89a", "gif", "GIF 图片"),
    (b"BM", "bmp", "BMP 图片"),
    (b"II*\x00", "tiff", "TIFF 图片"),
    (b"MM\x00*", "tiff", "TIFF 图片"),
    (b"Rar!\x1a\x07", "rar", "RAR 压缩包"),
    (b"7z\xbc\xaf\x27\x1c", "7z", "7z 压缩包"),
    (b"\x1f\x8b", "gzip", "gzip 压缩包"),
    (b"BZh", "bzip2", "bzip2 压缩包"),
    (b"\xfd7zXZ\x00", "xz", "xz 压缩包"),
    (b"{\\rtf", "rtf", "RTF 文档"),
    (b"%!PS", "ps", "PostScript 文件"),
    (b"ID3", "mp3", "MP3 音频"),
    (b"\x00\x00\x01\xba", "mpeg", "MPEG 视频"),
    (b"\x1aE\xdf\xa3", "mkv", "Matroska/WebM 视频"),
)

# Control characters that do not occur in a text file (tab, LF, VT, FF, CR and the DOS end-of-file
# mark ^Z do).
_TEXT_ALLOWED_CONTROLS = {"\t", "\n", "\x0b", "\x0c", "\r", "\x1a"}
_BAD_TEXT = re.compile("[" + "".join(re.escape(chr(c)) for c in range(32)
                                     if chr(c) not in _TEXT_ALLOWED_CONTROLS) + "\x7f]")
_MARKUP = re.compile(rb"^\s*(<!doctype\s+html|<html|<head|<body|<script|<iframe|<svg|<\?xml)", re.I)


def sniff(f: BinaryIO) -> Sniffed:
    """What the content of the seekable binary file `f` is (read from its start; the position is
    left anywhere). Never trusts a name. Reads only what it needs, except for text, which is
    decoded to the end in chunks to be sure it is text."""
    f.seek(0)
    head = f.read(4096)
    if not head:
        return Sniffed("empty", "空文件")
    if head.startswith(b"%PDF-"):
        return _sniff_pdf(f)
    if head.startswith(PNG_MAGIC):
        if head[12:16] == b"IHDR":
            return Sniffed("png", "PNG 图片", ("png",), MIME["png"])
        return Sniffed("png_broken", "损坏的 PNG 图片")
    if head.startswith(b"\xff\xd8\xff"):
        return Sniffed("jpg", "JPEG 图片", ("jpg",), MIME["jpg"])
    if head.startswith(OLE2_MAGIC):
        return _sniff_ole2(f)
    if head.startswith(ZIP_MAGICS):
        return _sniff_zip(f)
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return Sniffed("webp", "WebP 图片")
    if head.startswith(b"RIFF"):
        return Sniffed("riff", "RIFF 媒体文件（AVI/WAV 等）")
    if head[4:8] == b"ftyp":
        return Sniffed("mp4", "MP4/MOV 视频")
    for magic, kind, label in FOREIGN:
        if head.startswith(magic) and _confirm(kind, head):
            return Sniffed(kind, label)
    return _sniff_text(f, head)


def _confirm(kind: str, head: bytes) -> bool:
    """Second looks for the short magics a text file could also start with ("MZ", "BM", "BZh")."""
    if kind == "exe":
        if len(head) >= 64:
            pe = struct.unpack_from("<I", head, 0x3C)[0]
            if head[pe:pe + 4] == b"PE\x00\x00":
                return True
        return b"\x00" in head  # a DOS program: binary all the same
    if kind == "bmp":
        return len(head) >= 18 and struct.unpack_from("<I", head, 14)[0] in (12, 40, 52, 56, 64, 108, 124)
    if kind == "bzip2":
        return head[3:4].isdigit()
    return True


def _sniff_pdf(f: BinaryIO) -> Sniffed:
    # A complete PDF ends with %%EOF (readers look for it near the end); a truncated upload does not.
    f.seek(0, os.SEEK_END)
    size = f.tell()
    f.seek(max(0, size - 4096))
    if b"%%EOF" not in f.read():
        return Sniffed("pdf_broken", "不完整的 PDF 文件（缺少文件结束标记 %%EOF）")
    return Sniffed("pdf", "PDF 文档", ("pdf",), MIME["pdf"])


# -- ZIP containers: OOXML (docx/xlsx …), OFD, OpenDocument, or a plain archive ------------------

_OOXML = (  # (marker in [Content_Types].xml, kind, label, codes)
    (b"ms-word.document.macroenabled.main+xml", "docm", "启用宏的 Word 文档（docm）", ()),
    (b"ms-excel.sheet.macroenabled.main+xml", "xlsm", "启用宏的 Excel 表格（xlsm）", ()),
    (b"ms-excel.sheet.binary.macroenabled.main", "xlsb", "Excel 二进制表格（xlsb）", ()),
    (b"wordprocessingml.document.main+xml", "docx", "Word 文档（docx）", ("docx",)),
    (b"spreadsheetml.sheet.main+xml", "xlsx", "Excel 表格（xlsx）", ("xlsx",)),
    (b"wordprocessingml.template.main+xml", "dotx", "Word 模板（dotx）", ()),
    (b"spreadsheetml.template.main+xml", "xltx", "Excel 模板（xltx）", ()),
    (b"presentationml", "pptx", "PowerPoint 演示文稿（pptx）", ()),
)


def _read_member(zf: zipfile.ZipFile, name: str, limit: int = 65536) -> bytes:
    """At most `limit` bytes of one member (decompressing no more than that: no zip bomb)."""
    with zf.open(name) as member:
        return member.read(limit)


def _sniff_zip(f: BinaryIO) -> Sniffed:
    f.seek(0)
    try:
        zf = zipfile.ZipFile(f)
        names = zf.namelist()
        lower = {n.lower() for n in names}
        if "[content_types].xml" in lower:
            ct_name = next(n for n in names if n.lower() == "[content_types].xml")
            types = _read_member(zf, ct_name).lower()
            macro = any(n.endswith("vbaproject.bin") for n in lower)
            for marker, kind, label, codes in _OOXML:
                if marker in types:
                    if macro and codes:
                        return Sniffed(kind + "_macro", label.replace("（", "（含宏，", 1))
                    return Sniffed(kind, label, codes, MIME.get(kind, "application/octet-stream"))
            return Sniffed("ooxml", "无法识别的 Office Open XML 文件")
        if "OFD.xml" in names:  # GB/T 33190-2016: the entry file OFD.xml at the package root
            if b"OFD" not in _read_member(zf, "OFD.xml", 4096):
                return Sniffed("ofd_broken", "损坏的 OFD 文件（OFD.xml 不是 OFD 入口文件）")
            return Sniffed("ofd", "OFD 版式文档", ("ofd",), MIME["ofd"])
        if names and names[0] == "mimetype":
            mimetype = _read_member(zf, "mimetype", 200).decode("ascii", "replace").strip()
            if mimetype.startswith("application/vnd.oasis.opendocument"):
                return Sniffed("odf", f"OpenDocument 文档（{mimetype.rsplit('.', 1)[-1]}）")
            if mimetype == "application/epub+zip":
                return Sniffed("epub", "EPUB 电子书")
        if any(n.lower().endswith((".exe", ".dll", ".bat", ".cmd", ".js", ".vbs", ".ps1", ".scr")) for n in names):
            return Sniffed("zip_exe", "含可执行程序的 ZIP 压缩包")
        return Sniffed("zip", "ZIP 压缩包")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, EOFError, OSError, NotImplementedError,
            RuntimeError, ValueError):
        # RuntimeError: an encrypted member; NotImplementedError: an unknown compression method.
        return Sniffed("zip_broken", "损坏或加密的 ZIP 文件")


# -- OLE2 compound files (Word/Excel 97-2003, WPS, MSI, encrypted OOXML …) ------------------------

_ENDOFCHAIN, _FREESECT, _NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFF
_MAXREGSECT = 0xFFFFFFFA


class _BadCFB(Exception):
    pass


def ole2_root_names(f: BinaryIO) -> set[str]:
    """The names of the streams and storages directly under the root of an OLE2 compound file
    ([MS-CFB]): reads the header, the FAT (via the DIFAT) and the directory chain, then walks the
    root's red-black tree of children. Raises _BadCFB on anything malformed or looping."""
    f.seek(0, os.SEEK_END)
    file_size = f.tell()
    f.seek(0)
    header = f.read(512)
    if len(header) < 512 or header[:8] != OLE2_MAGIC:
        raise _BadCFB("header")
    shift = struct.unpack_from("<H", header, 30)[0]
    if shift not in (9, 12):
        raise _BadCFB("sector size")
    size = 1 << shift
    n_fat, first_dir = struct.unpack_from("<II", header, 44)
    first_difat, n_difat = struct.unpack_from("<II", header, 68)
    max_sectors = max(1, (file_size + size - 1) // size)
    if n_fat > max_sectors or n_difat > max_sectors:
        raise _BadCFB("counts")

    def sector(n: int) -> bytes:
        if n > _MAXREGSECT or (n + 1) * size >= file_size + size:
            raise _BadCFB(f"sector {n} out of range")
        f.seek((n + 1) * size)
        data = f.read(size)
        if len(data) < size:
            data += b"\x00" * (size - len(data))  # a short last sector (some writers truncate it)
        return data

    fat_sectors = [s for s in struct.unpack_from("<109I", header, 76) if s <= _MAXREGSECT]
    per = size // 4
    nxt, seen = first_difat, set()
    for _ in range(n_difat):
        if nxt > _MAXREGSECT or nxt in seen:
            break
        seen.add(nxt)
        entries = struct.unpack(f"<{per}I", sector(nxt))
        fat_sectors += [s for s in entries[:-1] if s <= _MAXREGSECT]
        nxt = entries[-1]
    fat: list[int] = []
    for s in fat_sectors[:n_fat]:
        fat.extend(struct.unpack(f"<{per}I", sector(s)))

    directory = b""
    n, seen = first_dir, set()
    while n != _ENDOFCHAIN:
        if n > _MAXREGSECT or n in seen or n >= len(fat):
            raise _BadCFB("directory chain")
        seen.add(n)
        directory += sector(n)
        n = fat[n]
    count = len(directory) // 128
    if count == 0:
        raise _BadCFB("empty directory")

    def entry(i: int) -> tuple[str, int, int, int, int]:
        raw = directory[i * 128:(i + 1) * 128]
        name_len = struct.unpack_from("<H", raw, 64)[0]
        name = raw[:max(0, min(name_len, 64) - 2)].decode("utf-16-le", "replace")
        kind = raw[66]
        left, right, child = struct.unpack_from("<III", raw, 68)
        return name, kind, left, right, child

    root_name, root_kind, _l, _r, child = entry(0)
    if root_kind != 5:
        raise _BadCFB("no root entry")
    names: set[str] = set()
    stack, visited = [child], set()
    while stack:
        i = stack.pop()
        if i == _NOSTREAM:
            continue
        if i >= count or i in visited:
            raise _BadCFB("directory tree")
        visited.add(i)
        name, kind, left, right, _child = entry(i)
        if kind in (1, 2):
            names.add(name)
        stack += [left, right]
    return names


def _sniff_ole2(f: BinaryIO) -> Sniffed:
    try:
        names = ole2_root_names(f)
    except (_BadCFB, struct.error):
        return Sniffed("ole2_broken", "损坏的 OLE2 复合文档")
    if "EncryptedPackage" in names:
        return Sniffed("encrypted", "加密的 Office 文档（无法检查内容）")
    if "WordDocument" in names:
        # Word 97-2003, and WPS 文字 .wps (the same binary format since WPS Office 2005).
        return Sniffed("doc", "Word 97-2003 / WPS 文字文档", ("doc", "wps"), MIME["doc"])
    if "Workbook" in names or "Book" in names:
        # Excel 97-2003 (BIFF8 "Workbook", BIFF5 "Book"), and WPS 表格 .et (the same format).
        return Sniffed("xls", "Excel 97-2003 / WPS 表格文档", ("xls", "et"), MIME["xls"])
    if "PowerPoint Document" in names:
        return Sniffed("ppt", "PowerPoint 97-2003 演示文稿")
    if "__properties_version1.0" in names:
        return Sniffed("msg", "Outlook 邮件（msg）")
    return Sniffed("ole2", "其他 OLE2 复合文档（如 MSI 安装包）")


# -- text -------------------------------------------------------------------------------------------

def _decodes(f: BinaryIO, encoding: str) -> bool:
    """Whether the whole file decodes as `encoding` with no control character a text lacks."""
    import codecs

    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    f.seek(0)
    try:
        while True:
            chunk = f.read(CHUNK)
            text = decoder.decode(chunk, final=not chunk)
            if _BAD_TEXT.search(text):
                return False
            if not chunk:
                return True
    except UnicodeDecodeError:
        return False


def _sniff_text(f: BinaryIO, head: bytes) -> Sniffed:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Sniffed("utf16", "UTF-16 文本（请另存为 UTF-8）")
    body = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
    if _MARKUP.match(body):
        return Sniffed("markup", "HTML/XML/SVG 标记文件（可含脚本）")
    if b"\x00" in head:
        return Sniffed("binary", "无法识别的二进制文件")
    if _decodes(f, "utf-8-sig"):
        return Sniffed("txt", "UTF-8 文本", ("txt",), "text/plain; charset=utf-8")
    if _decodes(f, "gb18030"):
        return Sniffed("txt", "GB18030 文本", ("txt",), "text/plain; charset=gb18030")
    return Sniffed("binary", "无法识别的二进制文件")


# ==== names =====================================================================================

_UNSAFE = re.compile(r'[<>:"|?*]')


def clean_name(name: Any) -> str:
    """A file name safe to store and to offer back: the last path component only, no control or
    format characters (e.g. the right-to-left override used to hide an extension), Windows-unsafe
    characters replaced, no leading/trailing spaces or dots, at most 200 characters (keeping the
    extension). Refuses a name that is left empty."""
    if not isinstance(name, str):
        raise Refused("文件名无效", field="file")
    name = unicodedata.normalize("NFC", name)
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(c for c in name if unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp"))
    name = _UNSAFE.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    if not name:
        raise Refused("文件名不能为空", field="file")
    if len(name) > MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 16:
            name = stem[:MAX_NAME - len(ext) - 1].rstrip(" .") + "." + ext
        else:
            name = name[:MAX_NAME].rstrip(" .")
    return name


def extension_of(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


# ==== storage: content-addressed, outside the web root ============================================

_SHA = re.compile(r"[0-9a-f]{64}")


def storage_root() -> Path:
    """VAR_DIR/attachments: not under STATIC_ROOT nor any static dir, so no URL reaches it except
    the permission-checked download."""
    return Path(settings.VAR_DIR) / "attachments"


def stored_path(sha256: str) -> Path:
    if not _SHA.fullmatch(sha256 or ""):
        raise ValueError(f"sha256: {sha256!r} is not 64 lowercase hex digits")
    return storage_root() / sha256[:2] / sha256


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


class _Incoming:
    """The upload copied to a temp file inside the store (same filesystem, so it can be renamed
    into place atomically), hashed and counted while copying, in chunks: a large file is never
    held in memory. Refuses as soon as it passes `max_bytes`."""

    def __init__(self, data: Any, max_bytes: int):
        root = storage_root()
        root.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=root, prefix=".upload-", suffix=".part")
        self.path = Path(tmp)
        self.file: IO[bytes] = os.fdopen(fd, "w+b")
        self.size = 0
        digest = hashlib.sha256()
        try:
            for chunk in _chunks(data):
                self.size += len(chunk)
                if self.size > max_bytes:
                    refuse_too_large(max_bytes)
                digest.update(chunk)
                self.file.write(chunk)
            self.file.flush()
            os.fsync(self.file.fileno())
        except BaseException:
            self.discard()
            raise
        self.sha256 = digest.hexdigest()

    def keep(self) -> Path:
        """Move the file to its content address (same content stored once: a second upload of
        it just replaces the file with identical bytes, atomically)."""
        final = stored_path(self.sha256)
        final.parent.mkdir(parents=True, exist_ok=True)
        self.file.close()
        os.chmod(self.path, 0o440)
        os.replace(self.path, final)
        _fsync_dir(final.parent)
        return final

    def discard(self) -> None:
        try:
            self.file.close()
        finally:
            self.path.unlink(missing_ok=True)


def _chunks(data: Any):
    if isinstance(data, (bytes, bytearray, memoryview)):
        view = memoryview(data)
        for i in range(0, len(view), CHUNK):
            yield bytes(view[i:i + CHUNK])
        return
    if hasattr(data, "chunks"):  # a Django UploadedFile (in memory or a temp file)
        yield from data.chunks(CHUNK)
        return
    if hasattr(data, "read"):
        while True:
            chunk = data.read(CHUNK)
            if not chunk:
                return
            if not isinstance(chunk, (bytes, bytearray)):
                raise Refused("附件须以二进制方式读取", field="file")
            yield bytes(chunk)
    raise Refused("附件内容须为字节或文件", field="file")


def refuse_too_large(limit: int) -> None:
    raise Refused(f"文件超过大小上限{_mb(limit)}MB，请压缩或拆分后上传", field="file")


def _mb(n: int) -> str:
    mb = n / (1024 * 1024)
    return f"{mb:g}" if mb >= 1 else f"{mb:.2f}".rstrip("0").rstrip(".")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


# ==== the service ===============================================================================

def allowed_types(on: dt.date | None = None) -> dict[str, dict]:
    return dict(rules.param("attachments.allowed_types", on or rules.today()))


def max_bytes(on: dt.date | None = None) -> int:
    return int(rules.param("attachments.max_bytes", on or rules.today()))


def _document_for_attaching(actor: Person, document_id, on: dt.date) -> Document:
    """The drafting unit, or the 区政府办公室, may attach files to a document."""
    try:
        return access.document_for_unit_action(actor, document_id, on=on)
    except Forbidden:
        try:
            return access.document_for_office_action(actor, document_id, on=on)
        except Forbidden:
            raise Forbidden("只有拟稿单位或区政府办公室可以为该公文上传附件") from None


def _refuse_classified(doc: Document, on: dt.date) -> None:
    """Rule R89.classified_body (via services): a 涉密 document takes no attachment."""
    from .services import _refuse_classified_content

    try:
        _refuse_classified_content(doc.classification, "", attachments=1, on=on)
    except Refused as e:  # the same refusal and violations, about the file this time
        raise Refused(e.message, violations=e.violations, field="file") from None


def attachment_add(*, actor: Person, document_id, name: str, data: bytes | BinaryIO,
                   on: dt.date | None = None) -> Attachment:
    """上传附件: store the file (type from its content, within the size limit) and record it with
    its SHA-256 in the Attachment row and the audit trail, in one transaction.

    `data` is bytes or a binary file-like object (a Django UploadedFile, an open file …), read in
    chunks. Refuses (field "file") an empty, oversized, disallowed or disguised file, and any
    file on a 涉密 document; on refusal nothing is written."""
    refuse_business(actor)  # administrators act in no business (三权分立)
    on = on or rules.today()
    doc = _document_for_attaching(actor, document_id, on)
    _refuse_classified(doc, on)
    name = clean_name(name)
    types = allowed_types(on)
    ext = extension_of(name)
    ext_code = next((code for code, spec in types.items() if ext in (spec or {}).get("extensions", ())), None)
    allowed_list = "、".join(f"{spec['label']}（.{'/.'.join(spec['extensions'])}）" for spec in types.values())
    if ext_code is None:
        what = f"扩展名为 .{ext} 的文件" if ext else "没有扩展名的文件"
        raise Refused(f"不允许上传{what}“{name}”。允许的类型：{allowed_list}", field="file")
    limit = max_bytes(on)
    incoming = _Incoming(data, limit)
    try:
        if incoming.size == 0:
            raise Refused(f"“{name}”是空文件，请选择有内容的文件", field="file")
        found = sniff(incoming.file)
        if ext_code not in found.codes:
            claimed = types[ext_code]["label"]
            if found.codes and any(c in types for c in found.codes):
                hint = "，请改用正确的扩展名后重新上传"
            else:
                hint = "，不属于允许上传的文件类型"
            raise Refused(f"文件“{name}”的扩展名为 .{ext}（{claimed}），但其内容实际是{found.label}：文件类型以内容为准，"
                          f"与扩展名不符{hint}", field="file")
        path = incoming.keep()
    except BaseException:
        incoming.discard()
        raise
    # From here the file is in the store. If the transaction below fails, it stays there unreferenced:
    # harmless, since the store is content-addressed (a later upload of the same bytes reuses it) and
    # nothing serves a file without an Attachment row pointing at it.
    content_type = found.mime
    with transaction.atomic():
        att = Attachment.objects.create(document=doc, name=name, content_type=content_type, size=incoming.size,
                                        sha256=incoming.sha256, uploaded_by=actor)
        audit_append(actor=actor, action="documents.attachment.add", obj_type=OBJ, obj_id=str(doc.pk),
                     after={"attachment": att.pk, "name": name, "sha256": incoming.sha256, "size": incoming.size,
                            "type": ext_code, "content_type": content_type},
                     article=ARTICLE, summary=f"上传附件：{name}（SHA-256 {incoming.sha256}）")
    log.info("attachment %s stored at %s", att.pk, path)
    return att


# ==== reads =====================================================================================

def attachments_of(person: Person, document_id, *, on: dt.date | None = None) -> list[Attachment]:
    """The attachments of a document the person may see (access.document_visible)."""
    doc = access.document_visible(person, document_id, on=on)
    return list(doc.attachments.all())


def attachment_visible(person: Person, document_id, attachment_id, *, on: dt.date | None = None) -> Attachment:
    """One attachment for download: the person must see the document (403/404 otherwise), and the
    attachment must belong to that document (404 otherwise — the same answer as a missing one)."""
    doc = access.document_visible(person, document_id, on=on)
    try:
        attachment_id = int(attachment_id)
    except (TypeError, ValueError):
        raise Refused("附件编号须为整数", field="attachment_id") from None
    att = Attachment.objects.filter(pk=attachment_id, document=doc).select_related("document").first()
    if att is None:
        raise NotFound(f"公文{doc.pk}没有编号为{attachment_id}的附件", field="attachment_id")
    if doc.classified:  # marked 涉密 after the file was attached: it is not served from this system
        raise Forbidden(f"该公文已标注为“{doc.classification}”，涉密公文的附件不在本系统提供")
    return att


class StoredFileCorrupt(Exception):
    """The stored file is missing or no longer has the SHA-256 recorded when it was uploaded."""


def open_verified(att: Attachment) -> BinaryIO:
    """Open the stored file and check its SHA-256 against the record; return the open file,
    positioned at the start. The bytes served are those of this same open file, so a swap of
    the file on disk after the check cannot change what is sent. Logs an error and raises
    StoredFileCorrupt when the file is missing or altered."""
    path = stored_path(att.sha256)
    try:
        fh = open(path, "rb")
    except OSError as e:
        log.error("attachment %s of document %s: stored file %s cannot be opened: %s",
                  att.pk, att.document_id, path, e)
        raise StoredFileCorrupt(str(path)) from None
    digest = hashlib.sha256()
    size = 0
    for chunk in iter(lambda: fh.read(CHUNK), b""):
        digest.update(chunk)
        size += len(chunk)
    actual = digest.hexdigest()
    if actual != att.sha256 or size != att.size:
        fh.close()
        log.error("attachment %s of document %s: stored file %s fails its integrity check "
                  "(recorded SHA-256 %s, %d bytes; found %s, %d bytes)",
                  att.pk, att.document_id, path, att.sha256, att.size, actual, size)
        raise StoredFileCorrupt(str(path))
    fh.seek(0)
    return fh
