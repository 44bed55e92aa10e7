"""`zhengwu audit verify [--state]`, `zhengwu audit checkpoint` and `zhengwu init`.

verify: exit 0 when the hash chain is intact and agrees with its latest signed checkpoint (and,
with --state, when the watched business rows agree with the trail); else 1, naming each problem
in Chinese and English on stderr.
"""

from __future__ import annotations

import sys

from zhengwu.errors import CommandError


def _say_problem(zh: str, en: str) -> None:
    print(f"{zh} / {en}", file=sys.stderr)


def run_verify(*, state: bool = False) -> int:
    from zhengwu.audit.selectors import verify_anchor, verify_chain

    from zhengwu.audit.selectors import _chain_name

    ok = True
    result = verify_chain()
    if not result.chains or [c.government_id for c in result.chains] == [None]:
        # one chain (the platform's, as a trail from before per-government chains): said as before
        if result.ok:
            print(f"留痕链完整：{result.checked} 条记录（{result.algo}）/ audit chain intact: {result.checked} events ({result.algo})")
        else:
            ok = False
            _say_problem(f"留痕链在第 {result.first_bad_seq} 条记录处断裂",
                         f"audit chain broken at event #{result.first_bad_seq}: {result.reason}")
    else:
        for chain in result.chains:  # one line per chain: the platform's, then each government's
            zh, en = (_chain_name(chain.chain) if chain.government_id is not None
                      else ("平台留痕链：", "the platform's chain: "))
            if chain.ok:
                print(f"{zh}完整，{chain.checked} 条记录 / {en}intact, {chain.checked} events")
            else:
                no = f"（记录号 {chain.first_bad_event}）" if chain.first_bad_event else ""
                no_en = f" (record No. {chain.first_bad_event})" if chain.first_bad_event else ""
                _say_problem(f"{zh}在第 {chain.first_bad_seq} 条记录处断裂{no}",
                             f"{en}broken at event #{chain.first_bad_seq}{no_en}: {chain.reason}")
        if result.ok:
            print(f"留痕链完整：{len(result.chains)} 条链，共 {result.checked} 条记录（{result.algo}）/ "
                  f"audit chain intact: {len(result.chains)} chains, {result.checked} events ({result.algo})")
        else:
            ok = False
            broken = sum(not c.ok for c in result.chains)
            if broken:
                _say_problem(f"{broken} 条留痕链断裂", f"{broken} audit chain(s) broken")
            else:  # unchained events
                _say_problem(f"第 {result.first_bad_seq} 条记录未入链", f"event #{result.first_bad_seq}: {result.reason}")
    anchor = verify_anchor()
    if anchor.ok:
        cp = anchor.checkpoint
        if cp is None:
            print("尚无检查点（留痕为空）/ no checkpoint yet (the trail is empty)")
        else:
            at = cp.at[:19].replace("T", " ") + " UTC"
            print(f"与检查点一致：第 {cp.seq} 条记录（{at}）/ agrees with the checkpoint of event #{cp.seq} ({at})")
    else:
        ok = False
        for zh, en in anchor.problems:
            _say_problem(zh, en)
    if state:
        from zhengwu.audit.state import WATCHED, check_state

        mismatches = check_state()
        if not mismatches:
            kinds = "、".join(w.label_zh for w in WATCHED)
            print(f"业务数据与留痕一致（{kinds}）/ business rows agree with the trail "
                  f"({', '.join(w.label_en for w in WATCHED)})")
        else:
            ok = False
            _say_problem(f"{len(mismatches)} 处业务数据与留痕不符", f"{len(mismatches)} row value(s) disagree with the trail")
            for m in mismatches:
                _say_problem(m.zh, m.en)
    return 0 if ok else 1


def run_checkpoint() -> int:
    """Record the current chain head as a checkpoint, after checking the chain and the checkpoints
    there are: for a trail that has none yet (an installation from before checkpoints, a bulk
    load). Refuses (exit 1) when either check fails: a broken chain is never blessed."""
    from zhengwu.audit import checkpoints
    from zhengwu.audit.chain import audit_key
    from zhengwu.audit.selectors import verify_anchor, verify_chain

    key = audit_key()
    result = verify_chain()
    if not result.ok:
        _say_problem(f"留痕链在第 {result.first_bad_seq} 条记录处断裂，不记录检查点",
                     f"audit chain broken at event #{result.first_bad_seq}: {result.reason}; no checkpoint recorded")
        return 1
    anchor = verify_anchor()
    if not anchor.ok and not (anchor.unanchored and len(anchor.problems) == 1):
        for zh, en in anchor.problems:
            _say_problem(zh, en)
        _say_problem("未记录检查点", "no checkpoint recorded")
        return 1
    from django.conf import settings

    root = checkpoints.record_root(key)
    if root is None:
        print("留痕为空，无需检查点 / the trail is empty: nothing to record")
        return 0
    n, digest = root
    print(f"已记录检查点：{n} 条留痕链的链头（根摘要 {digest}）/ checkpoint recorded: the heads of {n} chain(s) "
          f"(root digest {digest}) ({settings.AUDIT_CHECKPOINT_FILE})")
    return 0


def run_init(*, migrate: bool = True, new_key: bool = False) -> int:
    """Set up this installation, idempotently: the var/ directory (made by settings), the database
    schema (migrate) and the audit key (created once, mode 0600, never replaced). Refuses to
    create a key while the trail already holds chained events (a database restored without its
    key): a new key would make every earlier event fail verification. `--new-key` does it anyway."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from zhengwu.audit import hashing
    from zhengwu.audit.chain import audit_key, init_key
    from zhengwu.audit.models import AuditEvent

    print(f"数据目录 / data directory: {settings.VAR_DIR}")
    if migrate:
        call_command("migrate", interactive=False, verbosity=0)
        print("数据库结构已是最新 / database schema up to date")
    try:
        present = audit_key(required=False) is not None
    except hashing.AuditKeyError as e:
        raise CommandError(f"audit key: {e}") from None
    if present:
        print(f"留痕密钥已存在，保持不变 / audit key present, kept: {init_key()[0]}")
        return 0
    chained = (AuditEvent._meta.db_table in connection.introspection.table_names()
               and AuditEvent.objects.exclude(hash="").exists())
    if chained and not new_key:
        raise CommandError(
            f"audit key: 留痕已有记录，但密钥 {settings.AUDIT_KEY_FILE} 缺失：请从备份恢复该密钥（新密钥将使已有留痕无法校验；"
            f"确需新建请加 --new-key）/ the trail holds events but the key {settings.AUDIT_KEY_FILE} is missing: "
            "restore it from the backup (a new key would make every earlier event fail verification; "
            "pass --new-key to create one anyway)")
    where, _created = init_key()
    print(f"已创建留痕密钥（仅本用户可读）/ created the audit key (mode 0600): {where}")
    if chained:
        print("注意：已有留痕用旧密钥签名，将无法校验 / note: the earlier events were signed with the lost key "
              "and will fail verification", file=sys.stderr)
    return 0
