# Two commands: `make demo` (the whole pipeline against the local sandbox) and `make test`.
PYTHON ?= python3
UV_VERSION := 0.13.8
UV := .tools/bin/uv
VENV := .venv
SYNCED := $(VENV)/.synced
PYTEST := $(VENV)/bin/pytest

.PHONY: demo test lint setup clean

demo: $(SYNCED) ## set up, then crawl the sandbox, clean, store (SQLite) and report
	$(VENV)/bin/secjobs run --sandbox

test: $(SYNCED) ## set up, then run the test suite (parallel part, then Prefect flows)
	$(VENV)/bin/ruff check .
	$(PYTEST) -n 2 -m "not prefect" -q
	$(PYTEST) -p no:xdist -m prefect -q

lint: $(SYNCED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

setup: $(SYNCED)

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# The virtual environment is built from the lock file only (--frozen): same versions everywhere.
$(SYNCED): $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --quiet
	touch $@

clean:
	rm -rf $(VENV) .tools .prefect data reports .pytest_cache
