# Two commands for a newcomer: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
SHARED ?= ../shared

# Debian packages: LibreOffice for DOC/WPS/ODT/RTF, CJK fonts, pango for WeasyPrint PDF output,
# poppler-utils for PDF→PNG in tests, Chromium for the browser tests. Needs root (CI runs as root).
APT_PACKAGES := libreoffice-writer-nogui fonts-noto-cjk poppler-utils \
	libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 chromium

.PHONY: install system-deps run test lint bench clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[all,dev]'
	touch $@

install: $(VENV)/.installed

system-deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

DB ?= gongkai.sqlite
HOST ?= 127.0.0.1
PORT ?= 8000

# The main job: install, load the demo corpus (seeds and real samples) into the embedded
# database, check it across years, serve the web UI and print its URL.
run: install
	$(BIN)/gongkai ingest $(SHARED)/seeds $(SHARED)/samples/*.pdf --db $(DB)
	$(BIN)/gongkai check --corpus --db $(DB)
	$(BIN)/gongkai serve --db $(DB) --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

test: install lint
	$(BIN)/pytest

bench: install
	$(PY) bench/bench_parse.py --readme README.md
	$(PY) bench/bench_readers.py --readme README.md
	$(PY) bench/bench_pdf.py --readme README.md

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
