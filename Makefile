# One way to run everything. Each target creates ./.venv from pyproject.toml when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
export DAGSTER_HOME := $(CURDIR)/.data/dagster
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: install browser demo demo-live test dev bench clean
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(INSTALLED)

install: $(INSTALLED)

demo: $(INSTALLED)  ## replay server + generated data -> lake -> Spark -> dbt on DuckDB; prints the summary
	$(BIN)/python -m orchestration.demo run

demo-live: $(INSTALLED)  ## near-real-time alerts: contracts published live, sensor + runs on dagster-daemon, alerts printed
	$(BIN)/python -m orchestration.demo live

browser:  ## Debian's Chromium for the browser tests (Playwright drives it; it downloads no browser)
	@command -v chromium >/dev/null || $(SUDO) apt-get install -y -q chromium >/dev/null 2>&1 \
		|| { $(SUDO) apt-get update -q >/dev/null && $(SUDO) apt-get install -y -q chromium >/dev/null; } \
		|| echo "Chromium could not be installed: the browser tests will be skipped"

test: $(INSTALLED) browser  ## every test, dbt build on small generated data included
	$(BIN)/python -m pytest

dev: $(INSTALLED)  ## the Dagster UI on 127.0.0.1:3000 over the demo's state (replay server included)
	$(BIN)/python -m orchestration.demo dev

bench: $(INSTALLED)  ## the benchmark suite on generated data: small by default, SCALE=national for real volumes
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	$(BIN)/python -m benchmarks.suite --scale $(or $(SCALE),small)

clean:
	rm -rf .data dbt_project/target dbt_project/logs
