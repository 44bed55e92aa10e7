"""Text that may enter the system: no control characters. Pure Python, no Django import.

Refused everywhere (request parameters, form fields, JSON strings, file names, CLI arguments; see
zhengwu.web.input_guard and zhengwu.cli): the C0 control characters other than tab, newline and
carriage return (NUL breaks PostgreSQL, a vertical tab breaks every .xlsx export, others hide text),
DEL, and lone surrogates (what invalid UTF-8 becomes when decoded with `surrogateescape`; no
database or file format can store them). Single-line fields (titles, names, numbers) refuse
newline, carriage return and tab as well: the services check them with `refuse_bad_text(...,
single_line=True)`."""

from __future__ import annotations

import re

from zhengwu.errors import Refused

BAD_CHARS_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
BAD_SINGLE_LINE_RE = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff\u2028\u2029\x85]")


def first_bad_char(text: str, *, single_line: bool = False) -> str | None:
    """The first character of `text` that may not be stored, or None."""
    found = (BAD_SINGLE_LINE_RE if single_line else BAD_CHARS_RE).search(text)
    return found.group() if found else None


def char_name(ch: str) -> str:
    """How an API message names the character: "U+000B"; a lone surrogate as invalid UTF-8."""
    if "\ud800" <= ch <= "\udfff":
        return "无效的 UTF-8 / Unicode 字符"
    if ch in "\n\r\u2028\u2029\x85":
        return f"换行符（U+{ord(ch):04X}）"
    if ch == "\t":
        return "制表符（U+0009）"
    return f"控制字符 U+{ord(ch):04X}"


def refuse_bad_text(value, field: str, label: str, *, single_line: bool = False) -> None:
    """Refuse (400, naming the field) a string holding a character `first_bad_char` finds; a
    single-line field (a title, a name, a number) refuses line breaks and tabs too."""
    if not isinstance(value, str):
        return
    ch = first_bad_char(value, single_line=single_line)
    if ch is None:
        return
    if single_line and ch in "\n\r\t\u2028\u2029\x85":
        raise Refused(f"{label}须为一行文字，不能含有换行符或制表符", field=field)
    raise Refused(f"{label}含有不允许的字符（{char_name(ch)}），请删除后重新提交", field=field)


def text_field(value, field: str, label: str, *, required: bool = True, single_line: bool = False,
               max_len: int = 4000) -> str:
    """A text input of a service, stripped: refused (naming the field) when it is not a string, is
    missing where required, is longer than `max_len` or holds a character `refuse_bad_text` refuses."""
    if value is not None and not isinstance(value, str):
        raise Refused(f"{label}须为文字", field=field)
    value = (value or "").strip()
    if required and not value:
        raise Refused(f"{label}不能为空", field=field)
    if len(value) > max_len:
        raise Refused(f"{label}不能超过{max_len}字", field=field)
    refuse_bad_text(value, field, label, single_line=single_line)
    return value


def date_field(value, field: str, label: str):
    """A date input of a service (a date, or ISO text such as 2026-03-31); None when empty; anything
    else refused naming the field."""
    import datetime as dt

    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise Refused(f"{label}须为日期（如2026-03-31）", field=field) from None
