"""`zhengwu admins …`: the installation door for the separated administrators (三权分立).

    zhengwu admins create --kind system|security|audit USERNAME --full-name NAME [--email E] [--password-stdin]
    zhengwu admins deactivate|activate|reset-password USERNAME
    zhengwu admins list

Run from the server's shell by whoever installs or operates zhengwu (the account that can read the
database and the audit key anyway): this is how the first administrators come to exist, before any
of them can log in. The acts are audited with the actor "system". The password is read from stdin
(`--password-stdin`, one line) or generated and printed once; a generated one must be changed at the
first login. `deactivate`, `activate` and `reset-password` keep any account, the administrators'
included (the system administrator's page keeps business accounts only). The installation superuser is not needed afterwards (docs/security.md).
"""

from __future__ import annotations

import sys

from zhengwu.errors import CommandError, Refused

from . import admins, roles


def run(ns) -> int:
    if ns.cmd == "create":
        password = None
        if ns.password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
            if not password:
                raise CommandError("password: 标准输入中没有密码")
        from zhengwu.org.selectors import current_government

        try:
            person, password = admins.admin_create(actor=None, kind=ns.kind, username=ns.username,
                                                   full_name=ns.full_name, password=password,
                                                   government=current_government(), email=ns.email)
        except Refused as e:
            raise CommandError(f"{e.field}: {e}" if e.field else str(e)) from None
        print(f"admins: created {person.username} ({roles.LABELS[ns.kind]})")
        if not ns.password_stdin:
            print(password)
            print("The password above is shown only this once; it must be changed at the first login.",
                  file=sys.stderr)
        return 0
    if ns.cmd in ("deactivate", "activate", "reset-password"):
        from zhengwu.org.models import Person

        person = Person.objects.filter(username=ns.username).first()
        if person is None:
            raise CommandError(f"username: 没有登录名为“{ns.username}”的人员")
        try:
            if ns.cmd == "deactivate":
                admins.account_deactivate(actor=None, person=person)
            elif ns.cmd == "activate":
                admins.account_activate(actor=None, person=person)
            else:
                print(admins.account_password_reset(actor=None, person=person))
                print("The password above is shown only this once; it must be changed at the next login.",
                      file=sys.stderr)
                return 0
        except Refused as e:
            raise CommandError(f"{e.field}: {e}" if e.field else str(e)) from None
        print(f"admins: {ns.cmd} {person.username}")
        return 0
    if ns.cmd == "list":
        for role, label, people in admins.role_holders():
            if role == admins.OFFICE_ADMIN:
                continue
            for p in people:
                state = "" if p.is_active else "\t(deactivated)"
                print(f"{label}\t{p.username}\t{p.full_name}{state}")
        return 0
    raise CommandError(f"unknown admins command {ns.cmd}")
