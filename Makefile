# The two commands of the README's Quick start: `make run` and `make test`.
# Both set up everything they need on a fresh machine (a virtual environment in .venv).

VENV := .venv
BIN := $(VENV)/bin
# Python 3.12 or newer when the machine has one (pyenv or system), else python3 (>= 3.11).
PYTHON ?= $(shell for p in python3.13 python3.12 $$(ls -d /root/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null) python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { echo $$p; exit; }; done; echo python3)

.PHONY: install run test browser lint typecheck check bench clean messages

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed

# The web application with the demo province on SQLite (data kept in var/ between runs), and
# beside it the worker of background jobs (publication …); Ctrl-C stops both.
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py db_worker --no-reload --queue-name '*' & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# Lint, types, the suite on SQLite, then the web's again on PostgreSQL (DATABASE_URL, default
# the local server's database `test`), browser tests included; on every core (WORKERS=0: in
# this process, in order; a worker that is done takes tests from the others).
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
WORKERS ?= auto
test: install browser
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest -n $(WORKERS) --dist worksteal
	DATABASE_URL=$(PG_URL) CHISO_DB_CONN_MAX_AGE=0 $(BIN)/python -m pytest -n $(WORKERS) --dist worksteal tests/web

# Headless Chromium for the browser tests (Debian's package; Playwright cannot download one).
browser:
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: install
	$(BIN)/mypy

# After changing a translatable text: refresh the Vietnamese .po file, translate the new
# entries, then run it again to compile the .mo file (committed, so that a fresh machine needs
# no gettext). Needs GNU gettext (Debian: apt-get install gettext). The data folder stays at
# the top: the settings refuse one inside the package.
messages: install
	cd src/chiso/web && CHISO_DATA_DIR=$(CURDIR)/var DJANGO_SETTINGS_MODULE=chiso.web.settings ../../../$(BIN)/django-admin makemessages -l vi --no-location --no-obsolete -i 'migrations/*'
	cd src/chiso/web && CHISO_DATA_DIR=$(CURDIR)/var DJANGO_SETTINGS_MODULE=chiso.web.settings ../../../$(BIN)/django-admin compilemessages
	cd src/chiso/core/locale/vi/LC_MESSAGES && msgfmt --check -o chiso.mo chiso.po  # the core's own (no Django)

# The national cycle, chiso and the pandas yardstick side by side (pandas: the `bench` extra).
$(BIN)/.bench: $(BIN)/.installed
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $@

bench: $(BIN)/.bench
	$(BIN)/python benchmarks/score_national.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
