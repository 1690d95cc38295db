# Two commands for people (README → Quickstart): `make run` and `make test`.
# Both bootstrap what they need: uv (via pip into .tools/ when it is missing) and .venv from uv.lock.

SHELL := /bin/bash
PYTHON ?= python3
UV ?= $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint install serve-only clean

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

install: $(VENV)/.synced

run: install
	$(BIN)/konfliktmanagement database upgrade --no-prompt
	$(BIN)/konfliktmanagement demo load
	$(BIN)/konfliktmanagement serve

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

clean:
	rm -rf .tools $(VENV) .pytest_cache .ruff_cache
