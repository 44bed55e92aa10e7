"""`zhengwu calendar …` (the parser is defined in zhengwu.cli).

    add-workdays YYYY-MM-DD N   prints the N-th working day after the date (counting from the next day)
    is-workday YYYY-MM-DD       prints yes / no (exit 0 / 1)
    import-notice FILE          loads a year from the text of a 国务院办公厅 holiday notice
    seed                        loads 2004 … next year from the holidays package (idempotent)

Warnings about years whose official schedule is not loaded go to stderr. Bad input: message on
stderr naming the field, exit 2, nothing changed. With an empty calendar table nothing is seeded
implicitly: answers come from the holidays package (see selectors).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from zhengwu.errors import CommandError
from zhengwu.errors import Refused
from zhengwu.rulebook.calendar import CalendarAnswer, CalendarError, parse_date, parse_workdays

MAX_NOTICE_BYTES = 1_000_000


def _warn(answer: CalendarAnswer) -> None:
    for w in answer.warnings:
        print(f"警告：{w}，结果按暂定日历计算", file=sys.stderr)


def _read_notice(path: str) -> str:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise CommandError(f"文件 FILE {path} 无法读取：{e.strerror or e}") from None
    if len(data) > MAX_NOTICE_BYTES:
        raise CommandError(f"文件 FILE {path} 过大（超过 {MAX_NOTICE_BYTES} 字节），不像放假通知")
    for enc in ("utf-8-sig", "gb18030"):  # notices saved on Windows are often GBK
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise CommandError(f"文件 FILE {path} 不是 UTF-8 或 GB18030 编码的文本")


def run(ns: argparse.Namespace) -> int:
    from . import selectors, services

    try:
        if ns.cmd == "add-workdays":
            day = parse_date(ns.date, field="date", label="日期 DATE")
            n = parse_workdays(ns.n, field="n")
            answer = selectors.work_calendar().add_workdays_checked(day, n)
            _warn(answer)
            print(answer.value.isoformat())
            return 0
        if ns.cmd == "is-workday":
            day = parse_date(ns.date, field="date", label="日期 DATE")
            answer = selectors.work_calendar().is_workday_checked(day)
            _warn(answer)
            print("yes" if answer.value else "no")
            return 0
        if ns.cmd == "import-notice":
            result = services.calendar_import_notice(text=_read_notice(ns.file), actor=None)
            print(result.summary())
            return 0
        if ns.cmd == "seed":
            print(services.calendar_seed(actor=None).summary())
            return 0
    except CalendarError as e:
        raise CommandError(str(e)) from None
    except Refused as e:
        raise CommandError(e.message) from None
    raise CommandError(f"unknown calendar command {ns.cmd}")
