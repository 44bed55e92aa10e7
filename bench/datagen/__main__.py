"""`python -m bench.datagen N [--seed S] [--backlog B]` (from the checkout's root): generate a city of
N district governments with a year of traffic into the (empty) database of DATABASE_URL, or the
default SQLite database. Exit 2 on bad input."""

from __future__ import annotations

import argparse
import os
import sys


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.datagen",
                                description="the benchmark's data: N district governments with a year of traffic")
    p.add_argument("scale", type=int, help="number of district governments")
    p.add_argument("--seed", type=int, default=1, help="random seed (same seed, same data)")
    p.add_argument("--backlog", type=int, default=0, help="extra routed requests per district awaiting review (P1)")
    ns = p.parse_args(argv)
    if ns.scale < 1:
        print("datagen: scale: must be at least 1", file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhengwu.settings")
    import django

    django.setup()
    from bench.datagen import generate

    try:
        generate(ns.scale, ns.seed, backlog=ns.backlog)
    except ValueError as e:
        print(f"datagen: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
