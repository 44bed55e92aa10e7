"""`make bench` / `make bench-quick`: zhengwu measured against its own machine (see docs/performance.md)."""
