# Atrium's two entry points: `make demo` and `make test`. Everything else is their plumbing.
# Each step is a file target, so a second run only redoes what changed.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
export PATH := $(BIN):$(PATH)
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

TS_SOURCES := $(shell find src style schema -type f 2>/dev/null) package.json tsconfig.json
PY_SOURCES := $(shell find jupyterlab_atrium -type f -not -path "*/labextension/*" -not -name "*.pyc" -not -name "_version.py" 2>/dev/null) pyproject.toml
LABEXT := jupyterlab_atrium/labextension/static/style.js

.PHONY: demo test lint test-js size test-py test-ui bench clean system-deps

## demo: build Atrium and start JupyterLab on 127.0.0.1 with demo content
demo: $(VENV)/.installed $(VENV)/.demo-installed
	$(BIN)/python demo/run.py

## test: everything CI runs: lint, jest, pytest (SQLite + PostgreSQL), Galata UI tests
test: system-deps lint test-js size test-py test-ui

lint: $(VENV)/.installed
	jlpm lint:check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test-js: node_modules/.installed
	jlpm test

# Atrium JS a page fetches before app.restored, from the production build, against its
# budget (issue 16; how it is counted: scripts/eager-size.js, docs/development.md).
size: $(LABEXT)
	node scripts/eager-size.js

test-py: system-deps $(VENV)/.installed $(VENV)/.demo-installed tests/hub/node_modules/.installed $(VENV)/nbgrader/.installed
	$(BIN)/python -m pytest -ra

test-ui: system-deps $(VENV)/.installed ui-tests/node_modules/.installed tests/hub/node_modules/.installed
	cd ui-tests && CI=1 jlpm playwright test
	cd ui-tests && CI=1 jlpm playwright test -c playwright.login.config.js

## screenshots: retake the user guide's pictures (docs/images/) with the Galata tests
screenshots: system-deps $(VENV)/.installed ui-tests/node_modules/.installed tests/hub/node_modules/.installed
	cd ui-tests && CI=1 ATRIUM_DOC_SCREENSHOTS=1 jlpm playwright test
	cd ui-tests && CI=1 ATRIUM_DOC_SCREENSHOTS=1 jlpm playwright test -c playwright.login.config.js

bench: $(VENV)/.installed ui-tests/node_modules/.installed
	bash bench/startup.sh

# --- plumbing -------------------------------------------------------------------------

# Chromium, PostgreSQL, Samba, rclone, fuse3: installed when missing (as root), otherwise
# make stops here, before building anything, with the one command that installs them.
system-deps:
	@bash scripts/system-deps.sh


$(VENV)/.venv-created:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet 'jupyterlab>=4.6,<4.7' 'hatchling>=1.5' 'hatch-nodejs-version>=0.3.2' 'hatch-jupyter-builder>=0.9'
	touch $@

node_modules/.installed: $(VENV)/.venv-created package.json yarn.lock
	jlpm install --immutable
	touch $@

ui-tests/node_modules/.installed: $(VENV)/.venv-created ui-tests/package.json ui-tests/yarn.lock
	cd ui-tests && jlpm install --immutable
	touch $@

# configurable-http-proxy, for the tests that start a real JupyterHub.
tests/hub/node_modules/.installed: $(VENV)/.venv-created tests/hub/package.json tests/hub/yarn.lock
	cd tests/hub && jlpm install --immutable && touch node_modules/.installed

$(LABEXT): node_modules/.installed $(TS_SOURCES)
	jlpm build:prod
	touch $@

# A real (non-editable) install, as users get it: the wheel puts the labextension and the
# server-extension config into the venv, so `jupyter lab` finds both.
$(VENV)/.installed: $(LABEXT) $(PY_SOURCES)
	$(BIN)/pip install --quiet --no-build-isolation '.[test]'
	touch $@

# The real nbgrader, in a venv of its own inside .venv: tests/test_grader_interop_nbgrader.py
# runs its generate_assignment, validate and autograde on Atrium's export. Not installed in
# .venv itself, where its JupyterLab and server extensions would load into every `jupyter lab`
# the UI tests and benches start. The version range is pyproject.toml's extra "nbgrader-check".
$(VENV)/nbgrader/.installed: $(VENV)/.venv-created pyproject.toml
	$(PYTHON) -m venv $(VENV)/nbgrader
	$(VENV)/nbgrader/bin/pip install --quiet \
		"$$($(BIN)/python scripts/extra_requirement.py nbgrader-check)" ipykernel
	touch $@

# What the demo's notebooks import (pandas, matplotlib; tests/test_demo.py runs the demo's code).
$(VENV)/.demo-installed: $(VENV)/.venv-created demo/requirements.txt
	$(BIN)/pip install --quiet -r demo/requirements.txt
	touch $@

clean:
	rm -rf $(VENV) node_modules ui-tests/node_modules lib jupyterlab_atrium/labextension \
		jupyterlab_atrium/_version.py tsconfig.tsbuildinfo .demo
