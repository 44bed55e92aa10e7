"""`zhengwu audit verify`: exit 0 if the hash chain is intact, else 1 naming the first bad event."""

from __future__ import annotations

import sys

from zhengwu.audit.selectors import verify_chain


def run_verify() -> int:
    result = verify_chain()
    if result.ok:
        print(f"audit chain intact: {result.checked} events ({result.algo})")
        return 0
    print(f"audit chain broken at event #{result.first_bad_seq}: {result.reason}", file=sys.stderr)
    return 1
