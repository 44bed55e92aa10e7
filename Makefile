# zhengwu — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1:8000

.PHONY: install run test test-unit migrate demo clean bench bench-quick

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(BIN)/.installed

migrate: install
	$(BIN)/zhengwu manage migrate --noinput -v 0

demo: migrate
	$(BIN)/zhengwu demo load --if-empty

run: demo
	$(BIN)/zhengwu demo accounts
	$(BIN)/zhengwu manage runserver $(HOST)

test: install
	$(BIN)/pytest

test-unit: install
	$(BIN)/pytest tests/unit

# Benchmarks (not part of make test or CI): local PostgreSQL, wrk and pgbench; see docs/performance.md.
$(BIN)/gunicorn: pyproject.toml | install
	$(BIN)/pip install -q -e '.[bench]'
	touch $@

bench: install $(BIN)/gunicorn
	$(BIN)/python -m bench.run

bench-quick: install $(BIN)/gunicorn
	$(BIN)/python -m bench.run --quick

clean:
	rm -rf $(VENV) var
