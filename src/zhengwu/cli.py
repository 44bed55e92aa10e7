"""The console script `zhengwu`.

    zhengwu rules coverage [--json]
    zhengwu calendar add-workdays YYYY-MM-DD N | is-workday YYYY-MM-DD | import-notice FILE | seed
    zhengwu init [--no-migrate] [--new-key]
    zhengwu audit verify [--state] | checkpoint
    zhengwu tick
    zhengwu mail send [--limit N]
    zhengwu inbox USERNAME [--box todo|done|mine]
    zhengwu task show|complete TASK_ID --as USERNAME [--opinion …] [--decision …]
    zhengwu task reassign TASK_ID --as USERNAME --to USERNAME [--note …]
    zhengwu backup create [--out PATH] [--without-key] | verify ARCHIVE | restore ARCHIVE [--key FILE]
    zhengwu demo load [--if-empty] | reset --yes | accounts
    zhengwu admins create --kind system|security|audit USERNAME --full-name NAME [--password-stdin] | list
    zhengwu admins deactivate|activate|reset-password USERNAME
    zhengwu security unlock USERNAME --as USERNAME
    zhengwu manage <django-admin args>

Every command exits 0 on success (is-workday prints yes or no and exits 0), 1 when `audit verify`
finds the chain broken or `backup verify` a bad archive (or the checks after `backup restore` fail),
2 on bad input.
Errors go to stderr and name the field (and the article, where a rule is behind it).
"""

from __future__ import annotations

import argparse
import os
import sys

from zhengwu.errors import CommandError  # bad input: stderr, exit code 2 (re-exported for callers)

__all__ = ["CommandError", "build_parser", "dispatch", "main"]


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhengwu.settings")
    import django

    django.setup()


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="zhengwu", description="政务 — 区政府工作规则 executable")
    sub = p.add_subparsers(dest="group", required=True)

    rules = sub.add_parser("rules", help="the rulebook").add_subparsers(dest="cmd", required=True)
    cov = rules.add_parser("coverage", help="articles 1–98: class, rule ids, tests")
    cov.add_argument("--json", action="store_true")

    cal = sub.add_parser("calendar", help="the official work calendar").add_subparsers(dest="cmd", required=True)
    a = cal.add_parser("add-workdays", help="the date N working days after DATE (counting from the next day)")
    a.add_argument("date")
    a.add_argument("n")
    w = cal.add_parser("is-workday", help="yes or no")
    w.add_argument("date")
    imp = cal.add_parser("import-notice", help="load a year from the text of a 国务院办公厅 holiday notice")
    imp.add_argument("file")
    cal.add_parser("seed", help="seed the calendar table from the holidays package (idempotent)")

    ini = sub.add_parser("init", help="set up this installation (idempotent): var/, migrate, the audit key (0600)")
    ini.add_argument("--no-migrate", action="store_true", help="do not migrate the database")
    ini.add_argument("--new-key", action="store_true",
                     help="create an audit key even though the trail holds events signed with a lost one")

    aud = sub.add_parser("audit", help="the audit trail (留痕)").add_subparsers(dest="cmd", required=True)
    av = aud.add_parser("verify", help="exit 0 if the hash chain is intact and matches its latest signed checkpoint, "
                                       "else 1 naming each problem")
    av.add_argument("--state", action="store_true",
                    help="also check that documents, minutes and approvals hold their last audited values")
    aud.add_parser("checkpoint", help="record the current chain head as a signed checkpoint (after checking it)")

    sub.add_parser("tick", help="send due reminders (催办) and escalations (督办), then pending e-mail; "
                                "idempotent, for cron")

    mail = sub.add_parser("mail", help="the e-mail outbox of notifications").add_subparsers(dest="cmd", required=True)
    ms = mail.add_parser("send", help="e-mail the pending notifications (failed ones are retried later); for cron")
    ms.add_argument("--limit", type=int, default=500, help="at most this many messages in this run")

    inbox = sub.add_parser("inbox", help="a person's tasks: 待办 / 已办 / 我发起的")
    inbox.add_argument("username")
    inbox.add_argument("--box", choices=["todo", "done", "mine"], default="todo")
    task = sub.add_parser("task", help="show or complete a task as a person").add_subparsers(dest="cmd", required=True)
    show = task.add_parser("show", help="a task with the opinions of its approval")
    show.add_argument("task_id")
    show.add_argument("--as", dest="username", required=True)
    done = task.add_parser("complete", help="complete a task with an opinion")
    done.add_argument("task_id")
    done.add_argument("--as", dest="username", required=True)
    done.add_argument("--opinion", default="")
    done.add_argument("--decision", default="")
    hand = task.add_parser("reassign", help="hand a task on (转办) to someone who may hold its step")
    hand.add_argument("task_id")
    hand.add_argument("--as", dest="username", required=True)
    hand.add_argument("--to", dest="to", required=True, help="the login name of the person taking it over")
    hand.add_argument("--note", default="")

    bk = sub.add_parser("backup", help="back up, verify and restore an instance").add_subparsers(dest="cmd", required=True)
    bc = bk.add_parser("create", help="one archive (0600): database, attachments, audit key and checkpoints, manifest")
    bc.add_argument("--out", default=None, help="the archive file, or a directory for it (default var/backups/)")
    bc.add_argument("--without-key", action="store_true", help="leave the audit key out (kept in separate custody)")
    bv = bk.add_parser("verify", help="exit 0 if every member matches the manifest and the dump is readable, else 1")
    bv.add_argument("archive")
    br = bk.add_parser("restore", help="restore into an EMPTY instance, then verify the audit chain and attachments")
    br.add_argument("archive")
    br.add_argument("--key", default=None, help="the audit key file, when the archive was made --without-key")

    demo_p = sub.add_parser("demo", help="the demo government")
    # moved to `python -m bench.datagen N --seed S` (the benchmark's data); kept to say so
    demo_p.add_argument("--scale", type=int, default=None, help=argparse.SUPPRESS)
    demo_p.add_argument("--seed", type=int, default=1, help=argparse.SUPPRESS)
    demo = demo_p.add_subparsers(dest="cmd", required=False)
    ld = demo.add_parser("load", help="load the demo 洮北区人民政府")
    ld.add_argument("--if-empty", action="store_true", help="do nothing if a government exists")
    rs = demo.add_parser("reset", help="empty the database (only if it holds nothing but the demo) and load the demo again")
    rs.add_argument("--yes", action="store_true", help="really empty the database")
    demo.add_parser("accounts", help="print the demo logins")

    adm = sub.add_parser("admins", help="the separated administrators (三权分立), from the server's shell"
                         ).add_subparsers(dest="cmd", required=True)
    ac = adm.add_parser("create", help="create a system, security or audit administrator account")
    ac.add_argument("username")
    ac.add_argument("--kind", required=True, choices=["system", "security", "audit"])
    ac.add_argument("--full-name", dest="full_name", required=True)
    ac.add_argument("--email", default="")
    ac.add_argument("--password-stdin", dest="password_stdin", action="store_true",
                    help="read the password from the first line of stdin (else one is generated and printed once)")
    for name, what in (("deactivate", "disable an account's login (administrators included)"),
                       ("activate", "enable an account's login again"),
                       ("reset-password", "give an account a one-time password, printed once")):
        adm.add_parser(name, help=what).add_argument("username")
    adm.add_parser("list", help="the administrator accounts")

    sec = sub.add_parser("security", help="identity: lockouts").add_subparsers(dest="cmd", required=True)
    un = sec.add_parser("unlock", help="end an account's login lockout (a security administrator or the office)")
    un.add_argument("username")
    un.add_argument("--as", dest="actor", required=True, help="the login name of the person unlocking")

    m = sub.add_parser("manage", help="run a Django management command")
    m.add_argument("args", nargs=argparse.REMAINDER)
    return p


def dispatch(ns: argparse.Namespace) -> int:
    if ns.group == "manage":
        _setup_django()
        from django.core.management import execute_from_command_line

        execute_from_command_line(["zhengwu manage", *ns.args])
        return 0
    _setup_django()
    if ns.group == "rules":
        from zhengwu.rulebook.coverage import run_coverage

        return run_coverage(as_json=ns.json)
    if ns.group == "calendar":
        from zhengwu.workcalendar import cli as calcli

        return calcli.run(ns)
    if ns.group == "init":
        from zhengwu.audit.cli import run_init

        return run_init(migrate=not ns.no_migrate, new_key=ns.new_key)
    if ns.group == "audit":
        from zhengwu.audit import cli as audcli

        return audcli.run_checkpoint() if ns.cmd == "checkpoint" else audcli.run_verify(state=ns.state)
    if ns.group == "backup":
        from zhengwu.backup import cli as backupcli

        return backupcli.run(ns)
    if ns.group == "tick":
        from zhengwu.workflow.tick import run_tick

        return run_tick()
    if ns.group == "mail":
        from zhengwu.workflow.notify import send_pending_mail

        if ns.limit < 1:
            raise CommandError("limit: 须为正整数")
        print(f"mail: {send_pending_mail(limit=ns.limit)}")
        return 0
    if ns.group in ("inbox", "task"):
        from zhengwu.workflow import cli as wfcli

        return wfcli.run(ns)
    if ns.group == "admins":
        from zhengwu.security import cli as admins_cli

        return admins_cli.run(ns)
    if ns.group == "security":
        from zhengwu.security import cli_identity

        return cli_identity.run(ns)
    if ns.group == "demo":
        from zhengwu import demo

        return demo.run(ns)
    raise CommandError(f"unknown command {ns.group}")


def refuse_bad_arguments(ns: argparse.Namespace) -> None:
    """Every argument, before any command runs: no control character (zhengwu.textcheck; an argument
    that is not valid UTF-8 arrives with lone surrogates and is refused too)."""
    from zhengwu.textcheck import char_name, first_bad_char

    for name, value in vars(ns).items():
        for text in (value if isinstance(value, (list, tuple)) else [value]):
            ch = first_bad_char(text) if isinstance(text, str) else None
            if ch is not None:
                raise CommandError(f"{name}: 含有不允许的字符（{char_name(ch)}）")


def main(argv: list[str] | None = None) -> int:
    ns = build_parser().parse_args(argv)
    try:
        refuse_bad_arguments(ns)
        return dispatch(ns)
    except CommandError as e:
        print(f"zhengwu: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
