"""A per-request memo of the organisation's reads (issue 17): a page asks who the person is (the
posts held today, those acted for, the absences behind them) from the shell, the inbox, the
leader's desk and every domain's access check; within one request the answer is read once.

`per_request()` (entered by zhengwu.web.middleware.OneOrgReadPerRequestMiddleware around every
request) opens an empty memo; `remembered(key, compute)` returns the value computed first for `key`
in it. Outside a request (services, commands, tests calling selectors) there is no memo and every
call reads the database, as before.

Correctness: the memo lives for one request only (nothing carries over to the next one), and it
is switched off for the rest of the request at the first statement that writes an organisation
table (`org_…`: appointments, absences, positions, portfolios …) on any database connection, before
that statement runs: a page that changes the organisation and then shows it reads it fresh, and a
write rolled back cannot leave a memo of what it wrote.
"""

from __future__ import annotations

import contextlib
import contextvars
from typing import Callable, TypeVar

from django.db import connections

T = TypeVar("T")

_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("zhengwu_org_memo", default=None)
_OFF = object()  # the key that marks a memo switched off by a write
_READS = ("SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT", "BEGIN", "SET ", "SHOW")


def _writes_org(sql: str) -> bool:
    return not sql.lstrip()[:9].upper().startswith(_READS) and "org_" in sql


def _watch(box: dict):
    def wrapper(execute, sql, params, many, context):
        if _OFF not in box and _writes_org(sql):
            box.clear()
            box[_OFF] = True
        return execute(sql, params, many, context)

    return wrapper


@contextlib.contextmanager
def per_request():
    """Within the block, `remembered` keeps what it computes (until an organisation write)."""
    box: dict = {}
    token = _memo.set(box)
    try:
        with contextlib.ExitStack() as stack:
            watch = _watch(box)
            for alias in connections:
                stack.enter_context(connections[alias].execute_wrapper(watch))
            yield box
    finally:
        _memo.reset(token)


def remembered(key: tuple, compute: Callable[[], T]) -> T:
    """`compute()`, or within a request the value it gave for `key` the first time."""
    box = _memo.get()
    if box is None or _OFF in box:
        return compute()
    try:
        return box[key]
    except KeyError:
        value = box[key] = compute()
        return value


def active() -> bool:
    box = _memo.get()
    return box is not None and _OFF not in box
