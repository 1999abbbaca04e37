# luanchuyen — two commands: `make demo` and `make test`.
PYTHON ?= $(shell for p in python3.11 python3.12 python3; do command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(0 if (3,11)<=sys.version_info[:2]<(3,13) else 1)' 2>/dev/null && { echo $$p; break; }; done)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint typecheck pytest bench soak clean venv browser postgres

venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo 'luanchuyen needs Python 3.11 or 3.12 (durable-rules 2.0.28 does not import on 3.13)'; exit 1; }
	@$(PYTHON) -c 'import sys; v=sys.version_info[:2]; sys.exit(0 if (3,11)<=v<(3,13) else "luanchuyen needs Python 3.11 or 3.12 (durable-rules 2.0.28 does not import on 3.13); found %d.%d" % v)'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools wheel
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/luanchuyen demo examples
	$(BIN)/python examples/demo_db.py build/demo/ke-hoach-2024.db
	$(BIN)/luanchuyen batch --db sqlite:///build/demo/ke-hoach-2024.db --table ke_hoach --as-of 2024-06-01 --rules chi-lang-2024 --out build/demo/ket-qua-db.xlsx --write-table ket_qua

lint: $(STAMP)
	$(BIN)/ruff check src tests tools $(wildcard benchmarks)
	$(BIN)/ruff format --check src tests tools $(wildcard benchmarks)
	$(BIN)/luanchuyen rules lint rules
	$(BIN)/python tools/changelog_gate.py
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

# The officers' page is tested in Debian's headless chromium (never a downloaded browser).
CHROMIUM := /usr/bin/chromium
browser:
	@test -x $(CHROMIUM) || { \
	  test "$$(id -u)" = 0 || { echo 'chromium is missing: sudo apt-get install -y chromium'; exit 1; }; \
	  echo 'installing Debian chromium for the page test'; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# The database tests start a real PostgreSQL 15 server (Debian's postgresql-15) on 127.0.0.1.
INITDB := $(firstword $(wildcard /usr/lib/postgresql/15/bin/initdb /usr/local/bin/initdb))
postgres:
	@test -n "$(INITDB)" || { \
	  test "$$(id -u)" = 0 || { echo 'PostgreSQL 15 is missing: sudo apt-get install -y postgresql-15'; exit 1; }; \
	  echo 'installing Debian postgresql-15 for the database tests'; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null; }

# Two processes on the 2-core machines (pytest-xdist); a file's tests stay in one process, so a
# module's server, database or browser is started once.
pytest: $(STAMP) browser postgres
	$(BIN)/python -m pytest -n auto --dist loadfile

test: lint typecheck pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

soak: $(STAMP)
	$(BIN)/python -m pytest -m soak tests benchmarks -o addopts="-q -p no:cacheprovider"

clean:
	rm -rf $(VENV) build dist src/*.egg-info .mypy_cache .ruff_cache
