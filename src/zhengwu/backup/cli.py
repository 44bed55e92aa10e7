"""`zhengwu backup create|verify|restore`: parses and prints; `services` does the work.

Exit codes: 0 done and checked; 1 `verify` found the archive bad, or the checks after a restore
failed; 2 bad input or a refusal (CommandError), nothing changed.
"""

from __future__ import annotations

import sys

from zhengwu.errors import CommandError

from . import services


def _size(n: int) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)  # pragma: no cover


def run(ns) -> int:
    if ns.cmd == "create":
        made = services.create(ns.out, with_key=not ns.without_key)
        for warning in made.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        m = made.manifest
        audit = m["audit"]
        print(f"backup written and verified: {made.path} ({_size(made.size)}, mode 0600)")
        print(f"  database: {m['database']['vendor']}, {audit['events']} audit events, chain head "
              f"#{audit['last_seq']}")
        print(f"  attachments: {m['attachments']['files']} files")
        if m["audit_key"]["included"]:
            print("  audit key: included (keep this archive as secret as the key itself)")
        else:
            print("  audit key: NOT included; restoring needs the key kept in custody (--key FILE)")
        return 0
    if ns.cmd == "verify":
        result = services.verify(ns.archive)
        for warning in result.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        if not result.ok:
            print(f"backup {ns.archive} is NOT valid:", file=sys.stderr)
            for problem in result.problems:
                print(f"  {problem}", file=sys.stderr)
            return 1
        m = result.manifest
        print(f"backup {ns.archive} is valid: {result.members} members match the manifest, the "
              f"{m['database']['vendor']} dump is readable; made {m['created_at']} by zhengwu {m['app_version']}, "
              f"{m['audit'].get('events', 0)} audit events, audit key "
              f"{'included' if m['audit_key'].get('included') else 'not included'}")
        return 0
    if ns.cmd == "restore":
        result = services.restore(ns.archive, key=ns.key)
        for line in result.lines:
            print(line)
        if not result.ok:
            print("the restored instance FAILS its checks:", file=sys.stderr)
            for problem in result.problems:
                print(f"  {problem}", file=sys.stderr)
            return 1
        print("restore complete and checked")
        return 0
    raise CommandError(f"unknown backup command {ns.cmd}")
