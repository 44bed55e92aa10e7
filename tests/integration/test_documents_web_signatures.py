"""Handwritten 批示 (手写签批): the PNG check (a real PNG, not too big, not blank; every scanline
filter decoded), the data URL, and the service that keeps the image with its SHA-256 in the row and
the audit trail — refusing, naming the field "signature", and writing nothing otherwise."""

import base64
import datetime as dt
import hashlib
import struct
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhengwu import rules
from zhengwu.audit.models import AuditEvent
from zhengwu.documents import signatures
from zhengwu.documents.models import Document, Signature
from zhengwu.errors import Refused
from zhengwu.org.models import Person
from zhengwu.workflow.models import Task

DAY = dt.date(2026, 11, 2)  # a Monday
OVERDUE = "关于东风乡高标准农田建设配套资金的请示"  # demo: with 钱戊 (fuqu3), overdue


# ---- a small PNG writer (any of the five scanline filters) --------------------------------------

def _paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def _filter(kind: int, row: bytes, prev: bytes, bpp: int) -> bytes:
    out = bytearray()
    for i, x in enumerate(row):
        left = row[i - bpp] if i >= bpp else 0
        up = prev[i]
        upleft = prev[i - bpp] if i >= bpp else 0
        predictor = (0, left, up, (left + up) // 2, _paeth(left, up, upleft))[kind]
        out.append((x - predictor) & 0xFF)
    return bytes(out)


def chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF)


def png(rows: list[bytes], width: int, *, color: int = 6, filters=None, depth: int = 8) -> bytes:
    bpp = {0: 1, 2: 3, 4: 2, 6: 4}[color]
    raw = bytearray()
    prev = bytes(width * bpp)
    for y, row in enumerate(rows):
        kind = (filters or [0])[y % len(filters or [0])]
        raw.append(kind)
        raw += _filter(kind, row, prev, bpp)
        prev = row
    header = struct.pack(">IIBBBBB", width, len(rows), depth, color, 0, 0, 0)
    return (signatures.PNG_MAGIC + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(raw)))
            + chunk(b"IEND", b""))


def canvas(width: int = 120, height: int = 40, *, stroke: bool = True, filters=(0, 1, 2, 3, 4)) -> bytes:
    """A transparent RGBA canvas, with a dark diagonal stroke like a signature."""
    rows = []
    for y in range(height):
        row = bytearray(width * 4)
        if stroke:
            for x in range(width):
                if abs(x - 3 * y) <= 2:
                    row[x * 4:x * 4 + 4] = bytes((20, 23, 26, 255))
        rows.append(bytes(row))
    return png(rows, width, filters=list(filters))


def data_url(data: bytes, mime: str = "image/png") -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


# ---- the PNG check (no database) ----------------------------------------------------------------

@pytest.mark.parametrize("kind", [0, 1, 2, 3, 4])
def test_a_stroke_is_found_whatever_scanline_filter_the_encoder_chose(kind):
    info = signatures.read_png(canvas(filters=(kind,)))
    assert (info.width, info.height, info.color_type) == (120, 40, 6)
    assert info.ink >= signatures.MIN_INK


@settings(max_examples=40, deadline=None)
@given(width=st.integers(1, 24), height=st.integers(1, 12), data=st.data())
def test_every_filter_decodes_to_the_pixels_that_were_encoded(width, height, data):
    """Round trip: random RGBA pixels, random filter per row — the decoder counts exactly the dark
    opaque pixels that were put in."""
    rows = [bytes(data.draw(st.lists(st.integers(0, 255), min_size=width * 4, max_size=width * 4)))
            for _ in range(height)]
    filters = data.draw(st.lists(st.integers(0, 4), min_size=height, max_size=height))
    ink = sum(1 for row in rows for i in range(0, len(row), 4)
              if row[i + 3] >= 32 and row[i] + row[i + 1] + row[i + 2] < 600)
    blob = png(rows, width, filters=filters)
    if ink >= signatures.MIN_INK:
        assert signatures.read_png(blob).ink >= signatures.MIN_INK
    else:
        with pytest.raises(Refused) as e:
            signatures.read_png(blob)
        assert e.value.field == "signature" and "空白" in e.value.message


@pytest.mark.parametrize("color,pixel", [(0, b"\x10"), (2, b"\x10\x10\x10"), (4, b"\x10\xff")])
def test_grey_rgb_and_grey_alpha_images_are_read_too(color, pixel):
    bpp = len(pixel)
    rows = [pixel * 30 if y == 5 else b"\xff" * (30 * bpp) if color != 4 else b"\xff\x00" * 30 for y in range(10)]
    assert signatures.read_png(png(rows, 30, color=color, filters=[1, 4])).ink >= signatures.MIN_INK


def test_a_blank_canvas_is_refused_naming_the_field():
    with pytest.raises(Refused) as e:
        signatures.read_png(canvas(stroke=False))
    assert e.value.field == "signature" and "空白" in e.value.message
    white = png([b"\xff\xff\xff" * 50] * 20, 50, color=2)  # white paper is blank too
    with pytest.raises(Refused):
        signatures.read_png(white)


@pytest.mark.parametrize("blob,words", [
    (b"GIF89a" + b"\x00" * 40, "不是 PNG"),
    (b"\xff\xd8\xff\xe0" + b"\x00" * 40, "不是 PNG"),
    (b"", "空的"),
    (signatures.PNG_MAGIC + b"\x00\x00", "截断"),
])
def test_what_is_not_a_png_is_refused_naming_the_field(blob, words):
    with pytest.raises(Refused) as e:
        signatures.read_png(blob)
    assert e.value.field == "signature" and words in e.value.message


def test_a_damaged_png_is_refused():
    good = canvas()
    bad_crc = good[:40] + bytes([good[40] ^ 0xFF]) + good[41:]
    with pytest.raises(Refused) as e:
        signatures.read_png(bad_crc)
    assert e.value.field == "signature" and ("损坏" in e.value.message or "截断" in e.value.message)
    header = struct.pack(">IIBBBBB", 10, 4, 8, 3, 0, 0, 0)  # colour type 3: palette
    palette = (signatures.PNG_MAGIC + chunk(b"IHDR", header) + chunk(b"PLTE", b"\x00\x00\x00")
               + chunk(b"IDAT", zlib.compress(b"\x00" * 44)) + chunk(b"IEND", b""))
    with pytest.raises(Refused) as e:
        signatures.read_png(palette)
    assert "调色板" in e.value.message


def test_an_image_too_large_is_refused_before_decoding():
    with pytest.raises(Refused) as e:
        signatures.read_png(b"\x89PNG\r\n\x1a\n" + b"\x00" * (signatures.MAX_BYTES + 1))
    assert e.value.field == "signature" and "512KB" in e.value.message
    header = struct.pack(">IIBBBBB", 5000, 5000, 8, 6, 0, 0, 0)
    huge = signatures.PNG_MAGIC + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 10)) + chunk(
        b"IEND", b"")
    with pytest.raises(Refused) as e:
        signatures.read_png(huge)
    assert "尺寸过大" in e.value.message


def test_a_compressed_bomb_is_not_inflated_beyond_the_image_size():
    header = struct.pack(">IIBBBBB", 100, 10, 8, 6, 0, 0, 0)
    bomb = zlib.compress(b"\x00" * 50_000_000, 9)  # 50 MB of zeros for a 4 KB image
    blob = signatures.PNG_MAGIC + chunk(b"IHDR", header) + chunk(b"IDAT", bomb) + chunk(b"IEND", b"")
    with pytest.raises(Refused) as e:
        signatures.read_png(blob)
    assert "与尺寸不符" in e.value.message


def test_the_data_url_must_be_a_png_data_url():
    assert signatures.png_from_data_url("") is None
    assert signatures.png_from_data_url(data_url(b"abc")) == b"abc"
    for value in (data_url(b"abc", "image/jpeg"), "https://example.invalid/a.png", "data:image/png;base64,@@@"):
        with pytest.raises(Refused) as e:
            signatures.png_from_data_url(value)
        assert e.value.field == "signature"


# ---- the service ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_today():
    return DAY  # the full demo is loaded once for the module, as of DAY (tests/conftest.py)


@pytest.fixture
def gov(full_demo, monkeypatch):
    monkeypatch.setattr(rules, "today", lambda: DAY)
    return full_demo


def p(username):
    return Person.objects.get(username=username)


def leader_task() -> Task:
    doc = Document.objects.get(title=OVERDUE)
    return doc.approval.tasks.get(status="open", step_id="leader_instruct")


@pytest.mark.django_db
def test_a_signature_is_kept_with_its_hash_in_the_row_and_the_audit_trail(gov):
    task = leader_task()
    blob = canvas()
    sig = signatures.signature_attach(actor=p("fuqu3"), task_id=task.pk, png_bytes=blob)
    sha = hashlib.sha256(blob).hexdigest()
    assert (sig.sha256, sig.size, sig.width, sig.height, sig.person.username) == (sha, len(blob), 120, 40, "fuqu3")
    assert bytes(Signature.objects.get(pk=sig.pk).png) == blob
    ev = AuditEvent.objects.filter(action="documents.signature.add").get()
    assert (ev.obj_type, ev.obj_id) == ("documents.document", str(task.approval.obj_id))
    assert ev.after["sha256"] == sha and ev.after["task"] == task.pk and ev.article == 68


@pytest.mark.django_db
def test_only_the_person_whose_task_it_is_may_sign_and_a_bad_image_writes_nothing(gov):
    task = leader_task()
    before = (Signature.objects.count(), AuditEvent.objects.count())
    with pytest.raises(Refused) as e:
        signatures.signature_attach(actor=p("fuqu2"), task_id=task.pk, png_bytes=canvas())
    assert e.value.status == 403
    with pytest.raises(Refused) as e:
        signatures.signature_attach(actor=p("fuqu3"), task_id=task.pk, png_bytes=canvas(stroke=False))
    assert e.value.field == "signature"
    with pytest.raises(Refused) as e:
        signatures.signature_attach(actor=p("fuqu3"), task_id=task.pk, png_bytes=b"GIF89a....")
    assert e.value.field == "signature"
    assert (Signature.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.django_db
def test_a_task_of_another_kind_of_approval_takes_no_signature(gov):
    other = Task.objects.filter(status="open", kind="step", assignee__username="quzhang").exclude(
        approval__obj_type="documents.document").first()
    assert other is not None
    with pytest.raises(Refused) as e:
        signatures.signature_attach(actor=p("quzhang"), task_id=other.pk, png_bytes=canvas())
    assert e.value.field == "task_id" and not Signature.objects.exists()


@pytest.mark.django_db
def test_a_tampered_image_is_not_served(gov):
    task = leader_task()
    sig = signatures.signature_attach(actor=p("fuqu3"), task_id=task.pk, png_bytes=canvas())
    Signature.objects.filter(pk=sig.pk).update(png=canvas(filters=(0,)) + b"x")
    with pytest.raises(signatures.SignatureCorrupt):
        signatures.verified_png(Signature.objects.get(pk=sig.pk))
