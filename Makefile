# Two commands for people (README → Quickstart): `make run` and `make test`.
# Both bootstrap what they need: uv (via pip into .tools/ when it is missing) and .venv from uv.lock.

SHELL := /bin/bash
# Python may cache compiled modules (in the ignored __pycache__ folders and .venv): some machines set
# PYTHONDONTWRITEBYTECODE, and then every process of the suite (xdist workers, CLI runs, the browser tests'
# servers) compiled the app and its libraries from source again, about 3 s of CPU each.
unexport PYTHONDONTWRITEBYTECODE
PYTHON ?= python3
UV ?= $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test screenshots report-screenshots lint install browser pdf-tools pgbouncer messages serve-only clean

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

install: $(VENV)/.synced

run: install pdf-tools
	$(BIN)/konfliktmanagement database upgrade --no-prompt
	$(BIN)/konfliktmanagement demo load
	$(BIN)/konfliktmanagement serve

# Lint and types first (cheap, and CI enforces both), then the suite in parallel (pytest-xdist; 3 workers
# measured fastest on 2 cores, as tests wait on PostgreSQL and subprocesses): each worker has its own
# databases, one app per database lane (tests/conftest.py: `shared_app`) and, for the browser tests, its own
# server; `loadscope` keeps a module on one worker, so its module-scoped set-up (the browser tests' scene and
# page loads, test_demo's office) is made once.
TEST_WORKERS ?= 3
test: lint browser pdf-tools pgbouncer
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadscope

# Refresh the tracked screenshots in docs/screenshots/ (`make test` writes them to the ignored tests/artifacts/):
# the main pages at 1280 and 768 px, and the walkthrough's case page on a tablet and a phone.
screenshots: install browser report-screenshots
	KM_E2E_SCREENSHOT_DIR=docs/screenshots $(BIN)/python -m pytest -p no:xdist -q tests/e2e/test_main_pages.py tests/e2e/test_walkthrough.py -k "sqlite and (accessib or walkthrough)"

# Page images of a sent round-table report (the PDF the members get, rendered by the meeting test in test_round_table_reports_delivery.py) at 60 dpi.
report-screenshots: install pdf-tools
	KM_REPORT_PDF_DIR=docs/screenshots $(BIN)/python -m pytest -p no:xdist -q tests/integration/test_round_table_reports_delivery.py -k 'sqlite and meeting'
	rm -f docs/screenshots/report-sent-*.png
	pdftoppm -png -r 60 docs/screenshots/report-sent.pdf docs/screenshots/report-sent
	rm docs/screenshots/report-sent.pdf

# Debian's Chromium for the browser tests (tests/e2e), never a downloaded one. Best effort: as root with
# apt-get it is installed; otherwise the browser tests skip with a loud notice (with CI=true they fail).
CHROMIUM ?= $(or $(KM_E2E_CHROMIUM),/usr/bin/chromium)
browser:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing chromium for the browser tests (apt-get) ..."; \
	    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
	      || echo "WARNING: apt-get could not install chromium; the browser tests will be skipped (CI=true: fail)."; \
	  else \
	    echo "WARNING: $(CHROMIUM) is missing and cannot be installed here (needs root and apt-get);" \
	      "the browser tests will be skipped (CI=true: fail)."; \
	  fi; \
	fi

# What WeasyPrint (the round-table report and the DSGVO export as PDF) needs from Debian: pango for text
# layout, HarfBuzz's subsetter for embedding font subsets, the DejaVu fonts it embeds; and poppler-utils
# (pdftoppm) for the report's page images. Installed like chromium: as root with apt-get; otherwise a notice.
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils
pdf-tools:
	@if ! dpkg -s $(PDF_PACKAGES) >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing $(PDF_PACKAGES) for PDF rendering (apt-get) ..."; \
	    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(PDF_PACKAGES) >/dev/null; } \
	      || echo "WARNING: apt-get could not install $(PDF_PACKAGES); PDFs cannot be rendered."; \
	  else \
	    echo "WARNING: some of $(PDF_PACKAGES) are missing and cannot be installed here (needs root and apt-get)."; \
	  fi; \
	fi

# Debian's PgBouncer for the transaction-pooling lane (tests/integration/test_pgbouncer.py), installed like
# chromium: as root with apt-get; otherwise that module skips with a loud notice (with CI=true it fails).
PGBOUNCER ?= $(or $(KM_TEST_PGBOUNCER),/usr/sbin/pgbouncer)
pgbouncer:
	@if [ ! -x "$(PGBOUNCER)" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing pgbouncer for the PgBouncer tests (apt-get) ..."; \
	    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends pgbouncer >/dev/null \
	      && { systemctl disable --now pgbouncer >/dev/null 2>&1 || service pgbouncer stop >/dev/null 2>&1 || true; }; } \
	      || echo "WARNING: apt-get could not install pgbouncer; the PgBouncer tests will be skipped (CI=true: fail)."; \
	  else \
	    echo "WARNING: $(PGBOUNCER) is missing and cannot be installed here (needs root and apt-get);" \
	      "the PgBouncer tests will be skipped (CI=true: fail)."; \
	  fi; \
	fi

# The Babel catalogs: extract the texts from code and templates, update every language, compile.
LOCALE := src/konfliktmanagement/locale
messages: install
	$(BIN)/pybabel -q extract -F babel.cfg -k N_ -k gettext -k ngettext:1,2 --no-location --sort-output \
	  --omit-header -o $(LOCALE)/messages.pot .
	$(BIN)/pybabel -q update -i $(LOCALE)/messages.pot -d $(LOCALE) -D messages --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel -q compile -d $(LOCALE) -D messages

lint: install
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy

clean:
	rm -rf .tools $(VENV) .pytest_cache .ruff_cache
