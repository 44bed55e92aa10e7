"""Attachments (附件) of documents: the type is taken from the content, not the name; a size limit;
stored outside the web root under their SHA-256 and served only through a permission-checked
download that re-verifies the checksum; the checksum in the audit trail; nothing on a 涉密
document; and nothing half-written when an upload is refused."""

from __future__ import annotations

import hashlib
import io
import logging
import os
import struct
import zipfile
import zlib
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.contrib.messages import get_messages
from django.test import Client
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from zhengwu import rules
from zhengwu.audit.models import AuditEvent
from zhengwu.documents import attachments as att_mod
from zhengwu.documents import services
from zhengwu.documents.attachments import attachment_add, sniff
from zhengwu.documents.models import Attachment
from zhengwu.documents.views import content_disposition
from zhengwu.errors import Refused
from zhengwu.org.models import Person, Unit

PASSWORD = "Zhengwu@2026"
ACTION = "documents.attachment.add"


# ==== sample files, built in memory ==============================================================

def pdf_bytes(pad: int = 0) -> bytes:
    body = (b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
            b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n")
    body += b"%" + b"0" * pad + b"\n" if pad else b""
    return body + b"trailer <</Root 1 0 R>>\n%%EOF\n"


def pdf_of_size(n: int) -> bytes:
    base = pdf_bytes()
    data = pdf_bytes(pad=n - len(base) - 2)
    assert len(data) == n
    return data


def docx_bytes(text: str = "关于申请教育经费的请示") -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph(text)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active["A1"] = "经费测算表"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1×1, 8-bit RGB
    idat = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def jpg_bytes() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 32 + b"\xff\xd9"


def zip_bytes(members: dict[str, bytes], first: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        if first:
            zf.writestr(first, members[first], compress_type=zipfile.ZIP_STORED)
        for name, data in members.items():
            if name != first:
                zf.writestr(name, data)
    return out.getvalue()


def ofd_bytes() -> bytes:
    return zip_bytes({
        "OFD.xml": '<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" '
                   'Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>'
                   '</ofd:DocBody></ofd:OFD>'.encode(),
        "Doc_0/Document.xml": b'<?xml version="1.0" encoding="UTF-8"?>'
                              b'<ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"/>',
    })


def docm_bytes() -> bytes:
    """A macro-enabled Word document (what a .docx must not be)."""
    types = (b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             b'<Override PartName="/word/document.xml" '
             b'ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>')
    return zip_bytes({"[Content_Types].xml": types, "word/document.xml": b"<w:document/>",
                      "word/vbaProject.bin": b"\x00" * 16})


def cfb_bytes(*streams: str) -> bytes:
    """A minimal OLE2 compound file (version 3, 512-byte sectors) whose root holds `streams`
    (empty streams: the sniffer reads only the directory). Sector 0 is the FAT, sector 1 the
    directory; the root's children are chained as right siblings."""
    free, end, fatsect, nostream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    header = bytearray(512)
    header[:8] = att_mod.OLE2_MAGIC
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)  # minor, major, byte order, shifts
    struct.pack_into("<IIIIIIIII", header, 40, 0, 1, 1, 0, 4096, end, 0, end, 0)
    struct.pack_into("<109I", header, 76, 0, *([free] * 108))
    fat = struct.pack("<128I", fatsect, end, *([free] * 126))

    def entry(name: str, kind: int, left=nostream, right=nostream, child=nostream) -> bytes:
        raw = bytearray(128)
        encoded = (name + "\x00").encode("utf-16-le")
        raw[:len(encoded)] = encoded
        struct.pack_into("<HBB", raw, 64, len(encoded), kind, 1)
        struct.pack_into("<III", raw, 68, left, right, child)
        struct.pack_into("<I", raw, 116, end)
        return bytes(raw)

    assert len(streams) <= 3
    entries = [entry("Root Entry", 5, child=1 if streams else nostream)]
    for i, name in enumerate(streams, start=1):
        entries.append(entry(name, 2, right=i + 1 if i < len(streams) else nostream))
    while len(entries) < 4:
        entries.append(bytes(128))
    return bytes(header) + fat + b"".join(entries)


def exe_bytes() -> bytes:
    dos = bytearray(b"MZ" + b"\x90\x00" * 29 + b"\x00" * 2)
    dos = dos.ljust(0x40, b"\x00")
    struct.pack_into("<I", dos, 0x3C, 0x40)
    return bytes(dos) + b"PE\x00\x00" + b"\x4c\x01" + b"\x00" * 200


UTF8_TEXT = "关于申请教育经费的请示\r\n一、基本情况\n".encode("utf-8")
GB18030_TEXT = "关于申请教育经费的请示\r\n一、基本情况（附：经费测算）\n".encode("gb18030")


# ==== the sniffer (no database) ===================================================================

def sniffed(data: bytes):
    return sniff(io.BytesIO(data))


@pytest.mark.parametrize("data, kind, codes", [
    (pdf_bytes(), "pdf", ("pdf",)),
    (docx_bytes(), "docx", ("docx",)),
    (xlsx_bytes(), "xlsx", ("xlsx",)),
    (png_bytes(), "png", ("png",)),
    (jpg_bytes(), "jpg", ("jpg",)),
    (ofd_bytes(), "ofd", ("ofd",)),
    (UTF8_TEXT, "txt", ("txt",)),
    (b"\xef\xbb\xbf" + UTF8_TEXT, "txt", ("txt",)),
    (GB18030_TEXT, "txt", ("txt",)),
    (cfb_bytes("WordDocument", "1Table", "\x05SummaryInformation"), "doc", ("doc", "wps")),
    (cfb_bytes("\x05SummaryInformation", "Workbook"), "xls", ("xls", "et")),
    (cfb_bytes("Book"), "xls", ("xls", "et")),
], ids=["pdf", "docx", "xlsx", "png", "jpg", "ofd", "utf8", "utf8-bom", "gb18030", "doc", "xls", "xls-biff5"])
def test_the_sniffer_recognises_the_allowed_types_from_their_content(data, kind, codes):
    found = sniffed(data)
    assert (found.kind, found.codes) == (kind, codes)


@pytest.mark.parametrize("data, kind, says", [
    (exe_bytes(), "exe", "可执行程序"),
    (b"\x7fELF\x02\x01\x01" + b"\x00" * 60, "elf", "可执行程序"),
    (b"#!/bin/sh\nrm -rf /\n", "script", "脚本"),
    (cfb_bytes("\x05SummaryInformation", "\x05DigitalSignature"), "ole2", "OLE2"),  # e.g. an .msi
    (cfb_bytes("EncryptedPackage", "EncryptionInfo"), "encrypted", "加密"),
    (cfb_bytes("PowerPoint Document"), "ppt", "PowerPoint"),
    (docm_bytes(), "docm", "宏"),
    (zip_bytes({"a.txt": b"x"}), "zip", "ZIP"),
    (zip_bytes({"setup.exe": exe_bytes()}), "zip_exe", "可执行程序"),
    (zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"},
               first="mimetype"), "odf", "OpenDocument"),
    (b"PK\x03\x04garbage", "zip_broken", "损坏"),
    (pdf_bytes()[:-7], "pdf_broken", "不完整"),
    (b"GIF89a\x01\x00\x01\x00", "gif", "GIF"),
    (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "markup", "HTML"),
    (b"  <svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "markup", "SVG"),
    ("关于".encode("utf-16"), "utf16", "UTF-16"),
    (bytes(range(256)) * 4, "binary", "二进制"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\xff" * 600, "ole2_broken", "损坏"),
], ids=["exe", "elf", "script", "msi", "encrypted-ooxml", "ppt", "docm", "zip", "zip-exe", "odt", "bad-zip",
        "truncated-pdf", "gif", "html", "svg", "utf16", "binary", "bad-ole2"])
def test_the_sniffer_names_what_other_content_really_is_and_allows_none_of_it(data, kind, says):
    found = sniffed(data)
    assert found.kind == kind
    assert says in found.label
    assert found.codes == ()


def test_a_text_that_merely_starts_like_a_binary_magic_is_still_text():
    assert sniffed(b"MZ is a name, not a program\n").kind == "txt"
    assert sniffed(b"BMI report 2026\n").kind == "txt"


def test_the_ole2_reader_follows_a_real_word_file_layout():
    data = cfb_bytes("WordDocument", "1Table", "Data")
    assert att_mod.ole2_root_names(io.BytesIO(data)) == {"WordDocument", "1Table", "Data"}


def test_the_ole2_reader_refuses_a_looping_directory_tree():
    data = bytearray(cfb_bytes("WordDocument"))
    # entry 1 (at 512*2 + 128) points its right sibling back at itself
    struct.pack_into("<I", data, 1024 + 128 + 72, 1)
    with pytest.raises(att_mod._BadCFB):
        att_mod.ole2_root_names(io.BytesIO(bytes(data)))
    assert sniffed(bytes(data)).kind == "ole2_broken"


@hsettings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2048),
       st.sampled_from([b"", att_mod.OLE2_MAGIC, b"PK\x03\x04", b"%PDF-", b"\x89PNG\r\n\x1a\n", b"MZ",
                        b"\xef\xbb\xbf"]))
def test_the_sniffer_never_fails_on_arbitrary_bytes(data, prefix):
    found = sniffed(prefix + data)
    assert found.kind and found.label
    assert set(found.codes) <= set(rules.param("attachments.allowed_types"))


@hsettings(max_examples=200)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=300),
       st.sampled_from(["utf-8", "gb18030"]))
def test_any_utf8_or_gb18030_text_is_text(text, encoding):
    data = ("文" + text + "\n").encode(encoding)
    found = sniffed(data)
    assert found.codes == ("txt",), (found, data[:40])


@pytest.mark.parametrize("raw, clean", [
    ("../../etc/passwd.txt", "passwd.txt"),
    ("C:\\Users\\x\\请示.pdf", "请示.pdf"),
    ("报告\x00\x07.pdf", "报告.pdf"),
    ("invoice\u202efdp.exe", "invoicefdp.exe"),  # right-to-left override hiding ".exe"
    ('a<b>:"c"|?*.pdf', "a_b___c____.pdf"),
    ("  经费.pdf. ", "经费.pdf"),
])
def test_names_are_sanitised(raw, clean):
    assert att_mod.clean_name(raw) == clean


def test_a_long_name_is_cut_to_200_characters_keeping_its_extension():
    name = att_mod.clean_name("关" * 300 + ".docx")
    assert len(name) == 200 and name.endswith(".docx")


@pytest.mark.parametrize("raw", ["", "   ", "../", "\x00\x01", "..."])
def test_an_empty_name_is_refused(raw):
    with pytest.raises(Refused) as e:
        att_mod.clean_name(raw)
    assert e.value.field == "file"


def test_the_download_names_the_file_in_utf8_with_an_ascii_fallback():
    header = content_disposition("经费 \"测算\";表.xlsx")
    assert header.startswith('attachment; filename="')
    assert "filename*=UTF-8''" + quote("经费 \"测算\";表.xlsx", safe="") in header
    fallback = header.split('filename="')[1].split('"')[0]
    assert fallback.isascii() and fallback.endswith(".xlsx")


# ==== fixtures ====================================================================================

@pytest.fixture
def store(settings, tmp_path) -> Path:
    """Each test its own VAR_DIR, so the attachment store starts empty."""
    settings.VAR_DIR = tmp_path / "var"
    settings.VAR_DIR.mkdir()
    return settings.VAR_DIR / "attachments"


@pytest.fixture
def gov(org_demo, store):
    pass  # the org demo, loaded once for the module (tests/conftest.py)


def p(username: str) -> Person:
    return Person.objects.get(username=username)


def draft(title="关于申请学校维修经费的请示", classification="", body="正文"):
    return services.document_draft(actor=p("jyj"), unit=Unit.objects.get(short_name="教育局"), direction="incoming",
                                   kind="请示", title=title, main_recipients=["区人民政府"],
                                   body="" if classification else body, classification=classification)


@pytest.fixture
def doc(gov):
    return draft()


def stored_files(store: Path) -> list[Path]:
    return sorted(q for q in store.rglob("*") if q.is_file()) if store.exists() else []


def events() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=ACTION).order_by("seq"))


def assert_nothing_written(store: Path):
    assert Attachment.objects.count() == 0
    assert events() == []
    assert stored_files(store) == []  # neither the file nor a leftover temp file


def login(username: str) -> Client:
    c = Client()
    assert c.login(username=username, password=PASSWORD)
    return c


def upload(client: Client, doc_id: int, name: str, data: bytes, **extra):
    f = io.BytesIO(data)
    f.name = name
    return client.post(f"/documents/{doc_id}/attachments/", {"file": f}, **extra)


# ==== the service: accepted files =================================================================

ACCEPTED = [
    ("请示.pdf", pdf_bytes, "pdf", "application/pdf"),
    ("经费说明.docx", docx_bytes, "docx", att_mod.MIME["docx"]),
    ("经费测算表.xlsx", xlsx_bytes, "xlsx", att_mod.MIME["xlsx"]),
    ("现场照片.png", png_bytes, "png", "image/png"),
    ("现场照片.JPEG", jpg_bytes, "jpg", "image/jpeg"),
    ("批复.ofd", ofd_bytes, "ofd", "application/ofd"),
    ("说明.txt", lambda: UTF8_TEXT, "txt", "text/plain; charset=utf-8"),
    ("说明（GB18030）.txt", lambda: GB18030_TEXT, "txt", "text/plain; charset=gb18030"),
    ("旧版请示.doc", lambda: cfb_bytes("WordDocument", "1Table"), "doc", "application/msword"),
    ("金山请示.wps", lambda: cfb_bytes("WordDocument", "1Table"), "wps", "application/msword"),
    ("旧版测算.xls", lambda: cfb_bytes("Workbook"), "xls", "application/vnd.ms-excel"),
    ("金山测算.et", lambda: cfb_bytes("Workbook"), "et", "application/vnd.ms-excel"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("name, make, code, mime", ACCEPTED, ids=[a[2] + "-" + a[0] for a in ACCEPTED])
def test_an_allowed_file_is_stored_under_its_checksum_and_audited(doc, store, name, make, code, mime):
    data = make()
    sha = hashlib.sha256(data).hexdigest()
    att = attachment_add(actor=p("jyj"), document_id=doc.pk, name=name, data=data)
    assert (att.document_id, att.name, att.size, att.sha256, att.content_type) == (doc.pk, name, len(data), sha, mime)
    path = store / sha[:2] / sha
    assert path.read_bytes() == data
    assert stored_files(store) == [path]  # no temp file left behind
    [event] = events()
    assert (event.obj_type, event.obj_id, event.article, event.actor_id) == ("documents.document", str(doc.pk), 67,
                                                                            p("jyj").pk)
    assert event.after["sha256"] == sha and event.after["size"] == len(data)
    assert event.after["name"] == name and event.after["type"] == code and event.after["attachment"] == att.pk


@pytest.mark.django_db
def test_a_file_like_object_is_read_in_chunks_never_whole(doc, store, monkeypatch):
    monkeypatch.setattr(att_mod, "CHUNK", 64 * 1024)
    data = pdf_of_size(1024 * 1024)
    reads = []

    class Stream(io.BytesIO):
        def read(self, n=-1):
            reads.append(n)
            return super().read(n)

    att = attachment_add(actor=p("jyj"), document_id=doc.pk, name="大文件.pdf", data=Stream(data))
    assert att.size == len(data) and att.sha256 == hashlib.sha256(data).hexdigest()
    assert reads and all(0 < n <= 64 * 1024 for n in reads)


@pytest.mark.django_db
def test_the_same_content_is_stored_once(doc, store):
    data = pdf_bytes()
    a = attachment_add(actor=p("jyj"), document_id=doc.pk, name="一.pdf", data=data)
    b = attachment_add(actor=p("wenshu"), document_id=doc.pk, name="二.pdf", data=data)
    assert a.pk != b.pk and a.sha256 == b.sha256
    assert stored_files(store) == [store / a.sha256[:2] / a.sha256]
    assert len(events()) == 2


@pytest.mark.django_db
def test_the_store_lies_outside_the_web_root_and_no_static_url_reaches_it(doc, store, client):
    att = attachment_add(actor=p("jyj"), document_id=doc.pk, name="请示.pdf", data=pdf_bytes())
    path = att_mod.stored_path(att.sha256).resolve()
    assert path.is_file() and path.is_relative_to(Path(django_settings.VAR_DIR).resolve() / "attachments")
    web_roots = [Path(django_settings.STATIC_ROOT), *map(Path, django_settings.STATICFILES_DIRS),
                 Path(django_settings.PACKAGE_DIR)]
    assert not any(path.is_relative_to(r.resolve()) for r in web_roots)
    client.force_login(p("jyj"))
    for url in (f"/static/{att.sha256}", f"/static/attachments/{att.sha256[:2]}/{att.sha256}",
                f"/attachments/{att.sha256[:2]}/{att.sha256}", f"/var/attachments/{att.sha256[:2]}/{att.sha256}"):
        assert client.get(url).status_code == 404, url


@pytest.mark.django_db
def test_the_drafting_unit_and_the_office_may_attach_but_leaders_and_others_may_not(doc, store):
    attachment_add(actor=p("jyj"), document_id=doc.pk, name="单位.pdf", data=pdf_bytes())
    attachment_add(actor=p("wenshu"), document_id=doc.pk, name="办公室.pdf", data=pdf_bytes() + b"\n")
    for who in ("fuqu2", "fuqu3"):  # the 分管 leader sees it but does not attach; another leader neither
        with pytest.raises(Refused) as e:
            attachment_add(actor=p(who), document_id=doc.pk, name="领导.pdf", data=pdf_bytes(pad=10))
        assert e.value.status == 403
    assert Attachment.objects.filter(document=doc).count() == 2 and len(events()) == 2
    assert len(stored_files(store)) == 2


# ==== the service: refused files, nothing half-written =============================================

def refused(doc, name, data, actor="jyj"):
    with pytest.raises(Refused) as e:
        attachment_add(actor=p(actor), document_id=doc.pk, name=name, data=data)
    assert e.value.field == "file"
    assert e.value.status == 400
    return e.value.message


@pytest.mark.django_db
def test_an_exe_renamed_pdf_is_refused_as_disguised(doc, store):
    message = refused(doc, "请示.pdf", exe_bytes())
    assert ".pdf" in message and "Windows 可执行程序" in message and "不符" in message
    assert_nothing_written(store)


@pytest.mark.django_db
def test_a_png_named_docx_is_refused_saying_it_is_a_png(doc, store):
    message = refused(doc, "经费说明.docx", png_bytes())
    assert ".docx" in message and "PNG 图片" in message and "不符" in message
    assert_nothing_written(store)


@pytest.mark.django_db
@pytest.mark.parametrize("name, make, says", [
    ("请示.doc", lambda: cfb_bytes("\x05SummaryInformation", "\x05DigitalSignature"), "OLE2"),  # an .msi
    ("测算.xlsx", docx_bytes, "Word 文档"),
    ("请示.docx", docm_bytes, "宏"),
    ("批复.ofd", lambda: zip_bytes({"a.exe": exe_bytes()}), "ZIP"),
    ("说明.txt", lambda: b"<html><script>alert(1)</script></html>", "HTML"),
    ("说明.txt", lambda: bytes(range(256)), "二进制"),
    ("请示.pdf", lambda: pdf_bytes()[:-7], "不完整"),
    ("照片.jpg", png_bytes, "PNG"),
    ("测算.et", lambda: cfb_bytes("WordDocument"), "Word"),
], ids=["msi-as-doc", "docx-as-xlsx", "docm-as-docx", "zip-as-ofd", "html-as-txt", "binary-as-txt",
        "truncated-pdf", "png-as-jpg", "doc-as-et"])
def test_other_disguised_files_are_refused_naming_the_real_content(doc, store, name, make, says):
    message = refused(doc, name, make())
    assert says in message and name in message
    assert_nothing_written(store)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["setup.exe", "宏.docm", "脚本.js", "无扩展名", "网页.html"])
def test_a_name_with_an_extension_not_allowed_is_refused_listing_the_allowed_types(doc, store, name):
    message = refused(doc, name, pdf_bytes())
    assert "不允许上传" in message and "PDF文档（.pdf）" in message and "OFD版式文档（.ofd）" in message
    assert_nothing_written(store)


@pytest.mark.django_db
def test_an_empty_file_is_refused(doc, store):
    assert "空文件" in refused(doc, "请示.pdf", b"")
    assert "空文件" in refused(doc, "请示.pdf", io.BytesIO(b""))
    assert_nothing_written(store)


@pytest.fixture
def limit_1mb(monkeypatch):
    real = rules.param

    def param(name, on=None):
        return 1024 * 1024 if name == "attachments.max_bytes" else real(name, on)

    monkeypatch.setattr(rules, "param", param)
    return 1024 * 1024


@pytest.mark.django_db
def test_a_file_over_the_limit_is_refused_and_one_at_the_limit_is_not(doc, store, limit_1mb):
    message = refused(doc, "请示.pdf", pdf_of_size(limit_1mb + 1))
    assert "超过大小上限1MB" in message
    assert_nothing_written(store)
    att = attachment_add(actor=p("jyj"), document_id=doc.pk, name="请示.pdf", data=pdf_of_size(limit_1mb))
    assert att.size == limit_1mb  # 以内 includes the limit itself


@pytest.mark.django_db
def test_an_oversized_stream_is_refused_without_reading_it_all(doc, store, limit_1mb, monkeypatch):
    monkeypatch.setattr(att_mod, "CHUNK", 64 * 1024)
    consumed = 0

    class Endless(io.RawIOBase):  # 1 GiB if read to the end
        def readable(self):
            return True

        def read(self, n=-1):
            nonlocal consumed
            assert 0 < n <= 64 * 1024
            consumed += n
            return b"%PDF-" + b"0" * (n - 5) if consumed == n else b"0" * n

    message = refused(doc, "巨大.pdf", Endless())
    assert "超过大小上限1MB" in message
    assert consumed <= limit_1mb + 64 * 1024
    assert_nothing_written(store)


@pytest.mark.django_db
@pytest.mark.rules("R89.classified_body")
@pytest.mark.parametrize("level", ["秘密", "机密", "绝密"])
def test_a_classified_document_takes_no_attachment(gov, store, level):
    doc = draft(title="关于某事项的请示", classification=level)
    with pytest.raises(Refused) as expected:  # the same refusal as for a classified body
        services._refuse_classified_content(level, "", attachments=1)
    with pytest.raises(Refused) as e:
        attachment_add(actor=p("jyj"), document_id=doc.pk, name="请示.pdf", data=pdf_bytes())
    assert e.value.field == "file" and e.value.status == 400
    message = e.value.message
    assert message == expected.value.message and level in message and "涉密" in message
    assert message.endswith("（《工作规则》第八十九条）")
    assert [(v.rule_id, v.article) for v in e.value.violations] == [("R89.classified_body", 89)]
    assert_nothing_written(store)
    # the office cannot attach either
    assert refused(doc, "请示.pdf", pdf_bytes(), actor="wenshu") == message
    assert_nothing_written(store)
    # and through the view, the JSON names the rule
    r = upload(login("jyj"), doc.pk, "请示.pdf", pdf_bytes(), HTTP_ACCEPT="application/json")
    assert r.status_code == 400 and r.json()["field"] == "file"
    assert [v["rule_id"] for v in r.json()["violations"]] == ["R89.classified_body"]
    assert_nothing_written(store)


@pytest.mark.django_db
@pytest.mark.rules("R89.classified_body")
def test_an_unclassified_document_takes_attachments(gov, store):
    doc = draft(title="关于某事项的请示", classification="")
    assert attachment_add(actor=p("jyj"), document_id=doc.pk, name="请示.pdf", data=pdf_bytes()).pk


@pytest.mark.django_db
def test_when_the_database_write_fails_no_row_or_event_remains_only_a_harmless_stored_file(doc, store, monkeypatch):
    def boom(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(att_mod, "audit_append", boom)
    data = pdf_bytes()
    with pytest.raises(RuntimeError):
        attachment_add(actor=p("jyj"), document_id=doc.pk, name="请示.pdf", data=data)
    assert Attachment.objects.count() == 0 and events() == []
    sha = hashlib.sha256(data).hexdigest()
    assert stored_files(store) == [store / sha[:2] / sha]  # content-addressed: reused by the next upload
    monkeypatch.undo()
    att = attachment_add(actor=p("jyj"), document_id=doc.pk, name="请示.pdf", data=data)
    assert att.sha256 == sha and stored_files(store) == [store / sha[:2] / sha]


# ==== the download view ==========================================================================

@pytest.fixture
def attached(doc, store):
    data = docx_bytes()
    att = attachment_add(actor=p("jyj"), document_id=doc.pk, name="关于申请经费的说明 \"附件1\".docx", data=data)
    return doc, att, data


def download(client, doc_id, att_id):
    return client.get(f"/documents/{doc_id}/attachments/{att_id}/")


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["jyj", "wenshu", "bgs-zhuren", "fuqu2"])
def test_the_unit_the_office_and_the_leader_in_charge_download_the_exact_bytes(attached, username):
    doc, att, data = attached
    r = download(login(username), doc.pk, att.pk)
    assert r.status_code == 200
    assert b"".join(r.streaming_content) == data
    assert r["Content-Type"] == att_mod.MIME["docx"]
    assert r["Content-Length"] == str(len(data))
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''" + quote(att.name, safe="") in r["Content-Disposition"]


@pytest.mark.django_db
def test_another_deputy_head_may_not_download(attached):
    doc, att, data = attached
    r = download(login("fuqu3"), doc.pk, att.pk)
    assert r.status_code == 403
    assert data not in r.content


@pytest.mark.django_db
def test_an_attachment_of_another_document_is_not_found_through_this_one(attached):
    doc, att, data = attached
    other = draft(title="关于另一事项的请示")
    r = download(login("jyj"), other.pk, att.pk)  # both documents visible to jyj; the pairing is wrong
    assert r.status_code == 404
    assert download(login("jyj"), doc.pk, att.pk + 1000).status_code == 404
    assert download(login("jyj"), doc.pk + 1000, att.pk).status_code == 404


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_log_in(attached, client):
    doc, att, data = attached
    r = download(client, doc.pk, att.pk)
    assert r.status_code == 302 and r["Location"].startswith(django_settings.LOGIN_URL)


@pytest.mark.django_db
def test_a_tampered_stored_file_is_not_served_and_the_error_is_logged(attached, caplog):
    doc, att, data = attached
    path = att_mod.stored_path(att.sha256)
    os.chmod(path, 0o640)
    path.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))  # same size, one bit flipped
    with caplog.at_level(logging.ERROR, logger="zhengwu.documents.attachments"):
        r = download(login("jyj"), doc.pk, att.pk)
    assert r.status_code == 500
    assert "校验失败" in r.content.decode()
    assert r.get("Content-Disposition") is None
    assert any(att.sha256 in rec.getMessage() and "integrity" in rec.getMessage() for rec in caplog.records)


@pytest.mark.django_db
def test_a_missing_stored_file_is_not_served_and_the_error_is_logged(attached, caplog):
    doc, att, data = attached
    att_mod.stored_path(att.sha256).unlink()
    with caplog.at_level(logging.ERROR, logger="zhengwu.documents.attachments"):
        r = download(login("jyj"), doc.pk, att.pk)
    assert r.status_code == 500
    assert any("cannot be opened" in rec.getMessage() for rec in caplog.records)


# ==== the upload view ============================================================================

@pytest.mark.django_db
def test_upload_through_the_view_then_download_it(doc, store):
    c = login("jyj")
    data = pdf_bytes()
    r = upload(c, doc.pk, "请示.pdf", data, HTTP_ACCEPT="application/json")
    assert r.status_code == 201
    body = r.json()
    assert body["sha256"] == hashlib.sha256(data).hexdigest() and body["name"] == "请示.pdf"
    got = c.get(body["url"])
    assert got.status_code == 200 and b"".join(got.streaming_content) == data


@pytest.mark.django_db
def test_a_form_upload_redirects_back_with_a_message(doc, store):
    c = login("jyj")
    r = upload(c, doc.pk, "请示.pdf", pdf_bytes(), HTTP_REFERER="/some/page/")
    assert r.status_code == 302 and r["Location"] == "/some/page/"
    assert Attachment.objects.filter(document=doc).count() == 1
    r = upload(c, doc.pk, "请示.pdf", exe_bytes(), HTTP_REFERER="https://evil.example/")
    assert r.status_code == 302 and "evil" not in r["Location"]
    [*_, last] = get_messages(r.wsgi_request)
    assert "Windows 可执行程序" in str(last) and last.level_tag == "error"
    assert Attachment.objects.filter(document=doc).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("headers", [{"HTTP_ACCEPT": "application/json"}, {"HTTP_HX_REQUEST": "true"}],
                         ids=["json", "htmx"])
def test_a_refused_upload_answers_400_with_message_violations_and_field(doc, store, headers):
    r = upload(login("jyj"), doc.pk, "说明.docx", png_bytes(), **headers)
    assert r.status_code == 400
    body = r.json()
    assert body["field"] == "file" and "PNG 图片" in body["message"] and body["violations"] == []
    assert_nothing_written(store)


@pytest.mark.django_db
def test_an_upload_without_a_file_is_refused(doc, store):
    r = login("jyj").post(f"/documents/{doc.pk}/attachments/", {}, HTTP_ACCEPT="application/json")
    assert r.status_code == 400 and r.json()["field"] == "file"


@pytest.mark.django_db
def test_uploads_by_those_without_the_right_are_refused_by_status(doc, store):
    assert upload(login("fuqu3"), doc.pk, "a.pdf", pdf_bytes(), HTTP_ACCEPT="application/json").status_code == 403
    assert upload(login("fuqu3"), doc.pk, "a.pdf", pdf_bytes()).status_code == 403
    assert upload(login("jyj"), doc.pk + 1000, "a.pdf", pdf_bytes()).status_code == 404
    assert_nothing_written(store)


@pytest.mark.django_db
def test_upload_needs_login_post_and_the_csrf_token(doc, store):
    anonymous = upload(Client(), doc.pk, "a.pdf", pdf_bytes())
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(django_settings.LOGIN_URL)
    assert login("jyj").get(f"/documents/{doc.pk}/attachments/").status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(p("jyj"))
    assert upload(strict, doc.pk, "a.pdf", pdf_bytes()).status_code == 403
    assert_nothing_written(store)


@pytest.mark.django_db
def test_the_documents_placeholder_page_still_answers(gov):
    assert login("jyj").get("/documents/").status_code == 200


@pytest.mark.django_db
def test_an_oversized_upload_is_refused_by_the_view_before_django_spools_it_whole(doc, store, limit_1mb,
                                                                                 monkeypatch):
    def not_reached(**kwargs):
        raise AssertionError("the view should refuse before calling the service")

    monkeypatch.setattr(att_mod, "attachment_add", not_reached)
    r = upload(login("jyj"), doc.pk, "请示.pdf", pdf_of_size(limit_1mb + 1), HTTP_ACCEPT="application/json")
    assert r.status_code == 400
    assert r.json() == {"message": "文件超过大小上限1MB，请压缩或拆分后上传", "field": "file", "violations": []}
    assert_nothing_written(store)


@pytest.mark.django_db
def test_an_upload_at_the_limit_passes_the_view(doc, store, limit_1mb):
    r = upload(login("jyj"), doc.pk, "请示.pdf", pdf_of_size(limit_1mb), HTTP_ACCEPT="application/json")
    assert r.status_code == 201 and r.json()["size"] == limit_1mb
