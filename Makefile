# Two commands do all set-up on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# Django 6 needs Python 3.12+: take the first one this machine has.
PYTHON ?= $(shell for p in python3.13 python3.12 /root/.pyenv/versions/3.13*/bin/python3.13 /root/.pyenv/versions/3.12*/bin/python3.12 /usr/local/bin/python3.12 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { command -v $$p; break; }; done)
HOST ?= 127.0.0.1
PORT ?= 8000

# Debian packages the tests and editions need: a browser for the page tests, CJK fonts.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test install system-deps migrate demo lint format migrations-check clean messages compile-messages lock

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "需要 Python 3.12 或更高版本 (Django 6)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

# The Docker image installs requirements.lock: every package pinned with its hashes,
# for the image's Python (3.12, Linux x86_64). Run after changing the dependencies.
lock: install
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --generate-hashes --python-version 3.12 \
		--python-platform x86_64-manylinux_2_28 --quiet -o requirements.lock

# chromium: browser tests; fonts-noto-cjk: CJK glyphs in pages and PDFs; pango: WeasyPrint;
# gettext: compiling the Chinese catalogues;
# libreoffice-writer-nogui: the test that opens the Word edition as our users do.
DEBIAN_PACKAGES := chromium fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libreoffice-writer-nogui gettext

system-deps:
	@missing=""; for package in $(DEBIAN_PACKAGES); do \
		dpkg -s $$package >/dev/null 2>&1 || missing="$$missing $$package"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		$(SUDO) apt-get -o DPkg::Lock::Timeout=600 update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get -o DPkg::Lock::Timeout=600 \
			install -y -qq --no-install-recommends $$missing; \
	fi

# The interface is written in English and shown in Chinese: the catalogues
# (locale/ for templates, <app>/locale/ for each app's code) are compiled here.
compile-messages: install system-deps
	$(PY) manage.py compilemessages --ignore .venv -v0

# Refresh the catalogues after changing translatable text (then translate the new entries):
# the templates' into locale/, each app's into <app>/locale/.
APPS := articles issues archive search editions bulletin notifications desk api oai repeats links collect feeds
messages: install
	(cd templates && ../$(PY) ../manage.py makemessages -l zh_Hans --no-obsolete)
	for app in $(APPS); do (cd $$app && ../$(PY) ../manage.py makemessages -l zh_Hans --no-obsolete); done

migrate: install compile-messages
	$(PY) manage.py migrate --no-input

demo: migrate
	$(PY) manage.py load_demo

# The worker builds PDF/Word editions in the background; it stops with the server.
run: system-deps demo
	$(PY) manage.py db_worker --queue-name "*" & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install system-deps compile-messages
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
