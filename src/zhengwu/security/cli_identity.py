"""`zhengwu security unlock USERNAME --as ACTOR`: end an account's lockout through the same service
as the web page (lockout.unlock: a security administrator or the office's admin group; audited)."""

from __future__ import annotations

from zhengwu.errors import CommandError, Refused
from zhengwu.org.models import Person

from . import lockout


def run(ns) -> int:
    actor = Person.objects.filter(username=ns.actor, is_active=True).first()
    if actor is None:
        raise CommandError(f"as: 没有登录名为“{ns.actor}”的人员")
    if ns.cmd == "unlock":
        try:
            n = lockout.unlock(actor=actor, username=ns.username)
        except Refused as e:
            raise CommandError(f"{e.field}: {e}" if e.field else str(e)) from None
        print(f"security: unlocked {ns.username.strip()} ({n})")
        return 0
    raise CommandError(f"unknown security command {ns.cmd}")
