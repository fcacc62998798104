# Xindai: `make demo` serves the demo on http://127.0.0.1:8000, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
VENDOR := src/xindai/static/vendor
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/xindai
export XINDAI_VAR_DIR ?= $(CURDIR)/var

.PHONY: demo test install assets messages lint system-deps services test-sqlite test-postgres clean

demo: install assets
	@mkdir -p var
	@test -s var/secret_key || $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret_key
	SECRET_KEY="$$(cat var/secret_key)" $(BIN)/xindai demo

test: system-deps services install assets messages lint test-sqlite test-postgres

install: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

assets: $(VENDOR)/.copied

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts

$(VENDOR)/.copied: node_modules/.package-lock.json
	rm -rf $(VENDOR)
	mkdir -p $(VENDOR)/bootstrap $(VENDOR)/bootstrap-icons $(VENDOR)/htmx $(VENDOR)/echarts
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map $(VENDOR)/bootstrap/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map $(VENDOR)/bootstrap/
	cp -r node_modules/bootstrap-icons/font/bootstrap-icons.min.css node_modules/bootstrap-icons/font/fonts $(VENDOR)/bootstrap-icons/
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts/
	touch $@

messages: install
	cd src/xindai && DEBUG=1 ../../$(BIN)/xindai compilemessages --ignore="static/*" -v0

lint: install
	$(BIN)/ruff check src tests benchmarks scripts
	DEBUG=1 $(BIN)/mypy

# Debian packages the tests need: the browser, a CJK font for screenshots, gettext for messages.
system-deps:
	@missing=""; for p in chromium fonts-noto-cjk gettext; do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q $$missing; \
	fi

services:
	scripts/ensure-services.sh

test-sqlite: install assets
	env -u DATABASE_URL $(BIN)/pytest -p no:cacheprovider

test-postgres: install assets
	DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest -p no:cacheprovider

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var
