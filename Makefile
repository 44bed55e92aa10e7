# zhengwu — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# the address `make run` serves: `make run HOST=0.0.0.0 PORT=8080` (another machine reaching it by
# name or address needs it in ZHENGWU_ALLOWED_HOSTS too)
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install run test test-unit migrate demo demo-reset clean bench bench-quick bench-tools soak soak-ci

$(BIN)/.installed: pyproject.toml setup.py src/zhengwu/rulebook/_fastcal.c
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(BIN)/.installed

# `zhengwu init`: migrate, and create the audit key once (var/audit.key, 0600); idempotent
migrate: install
	$(BIN)/zhengwu init

demo: migrate
	$(BIN)/zhengwu demo load --if-empty

# empty the database and load the demo again (refused if it holds a government the demo did not load)
demo-reset: install
	$(BIN)/zhengwu demo reset --yes

run: demo
	$(BIN)/zhengwu demo accounts
	$(BIN)/zhengwu manage runserver $(HOST):$(PORT)

# the suite on JOBS processes (pytest-xdist; each test file stays on one worker, each worker has its
# own test database); `make test JOBS=0` runs it in this process
JOBS ?= auto
test: install
	$(BIN)/pytest $(if $(filter 0,$(JOBS)),,-n $(JOBS) --dist loadfile)

test-unit: install
	$(BIN)/pytest tests/unit

# Benchmarks (not part of make test or CI): local PostgreSQL, wrk and pgbench; see docs/performance.md.
$(BIN)/gunicorn: pyproject.toml | install
	$(BIN)/pip install -q -e '.[bench]'
	touch $@

# wrk, pgbench and psql from Debian's packages when missing (as root on a fresh machine)
bench-tools:
	@for t in wrk pgbench psql; do command -v $$t >/dev/null || missing=1; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "bench: installing wrk and postgresql-client (apt-get)"; \
	    (apt-get install -y -q wrk postgresql-client >/dev/null 2>&1 || \
	     (apt-get update -q >/dev/null && apt-get install -y -q wrk postgresql-client >/dev/null)); \
	  else echo "bench: needs wrk, pgbench and psql: apt-get install wrk postgresql-client" >&2; exit 2; fi; \
	fi

bench: install $(BIN)/gunicorn bench-tools
	$(BIN)/python -m bench.run

bench-quick: install $(BIN)/gunicorn bench-tools
	$(BIN)/python -m bench.run --quick

# The replica path (docs/scaling.md): a local streaming standby (pg_basebackup -R, pg_ctl as postgres)
bench-replica: install bench-tools
	$(BIN)/python -m bench.replica

# Soak: CLIENTS clients for MINUTES minutes against gunicorn on the local PostgreSQL, one worker
# killed mid-run, then the invariants (docs/performance.md, "Soak"). soak-ci runs in .ci/run.
CLIENTS ?= 50
MINUTES ?= 10
soak: install
	$(BIN)/python -m bench.soak --clients $(CLIENTS) --minutes $(MINUTES)

soak-ci: install
	$(BIN)/python -m bench.soak --clients 20 --minutes 1

clean:
	rm -rf $(VENV) var
