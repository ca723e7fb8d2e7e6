# One way to run everything. Each target creates ./.venv from pyproject.toml when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
export DAGSTER_HOME := $(CURDIR)/.data/dagster
export PATH := $(CURDIR)/$(BIN):$(PATH)

# Every install comes from uv.lock (exact versions and hashes for every platform); `make lock` refreshes it.
UV_VERSION := 0.13.9
UV := $(BIN)/uv
SYNC := $(UV) sync --locked --inexact --python $(BIN)/python
export UV_PYTHON_DOWNLOADS := never

.DEFAULT_GOAL := help
.PHONY: help install lock browser demo demo-live api test dev docs bench clean
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

help:  ## this list
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## /\1\t/' | expand -t 11

$(UV):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet "uv==$(UV_VERSION)"

$(INSTALLED): pyproject.toml uv.lock | $(UV)
	$(SYNC) --extra test
	touch $(INSTALLED)

install: $(INSTALLED)  ## ./.venv with the project and its test tools, exactly as uv.lock says (demo and test do it first)

lock: | $(UV)  ## refresh uv.lock on purpose: the newest versions pyproject.toml's ranges allow (then commit it)
	$(UV) lock --upgrade

demo: $(INSTALLED)  ## replay server + generated data -> lake -> Spark -> dbt on DuckDB; prints the summary
	$(BIN)/python -m workbench.demo run

demo-live: $(INSTALLED)  ## near-real-time alerts: contracts published live, sensor + runs on dagster-daemon, alerts printed
	$(BIN)/python -m workbench.demo live

api: $(INSTALLED)  ## the read API on 127.0.0.1:8000 (PORT=...) over the warehouse; its documentation at /docs
	$(BIN)/python -m api $(if $(PORT),--port $(PORT))

# In CI (CI=true, as .ci/run sets it) a Chromium that cannot be installed fails; elsewhere the browser tests skip.
browser:  ## Debian's Chromium for the browser tests (Playwright drives it; it downloads no browser)
	@command -v chromium >/dev/null || $(SUDO) apt-get install -y -q chromium >/dev/null 2>&1 \
		|| { $(SUDO) apt-get update -q >/dev/null && $(SUDO) apt-get install -y -q chromium >/dev/null; } \
		|| { case "$$CI" in true|1) echo "Chromium could not be installed, and in CI the browser tests must run" >&2; \
			exit 1;; esac; echo "Chromium could not be installed: the browser tests will be skipped"; }

test: $(INSTALLED) browser  ## every test, dbt build on small generated data included
	$(BIN)/python -m pytest

dev: $(INSTALLED)  ## the Dagster UI on 127.0.0.1:3000 over the demo's state (replay server included)
	$(BIN)/python -m workbench.demo dev

docs: $(INSTALLED)  ## docs/architecture.md's asset graph from the code, and dbt's docs site as one offline page
	$(BIN)/python -m workbench.docs

bench: $(INSTALLED)  ## the benchmark suite on generated data: small by default, SCALE=national for real volumes
	$(SYNC) --extra test --extra bench
	$(BIN)/python -m benchmarks.suite --scale $(or $(SCALE),small)

clean:  ## remove what the runs leave (.data, dbt's target and logs); keeps .venv
	rm -rf .data dbt_project/target dbt_project/logs
