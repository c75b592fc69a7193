# Two commands do everything on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PYTEST_ARGS ?=

# Django 6 needs Python 3.12 or newer; the machine's python3 may be older.
PYTHON_CANDIDATES := python3.13 python3.12 python3.14 python3 \
	$(wildcard $(HOME)/.pyenv/versions/3.1[2-9]*/bin/python3)

.PHONY: install run worker serve test bench bench-subscribers cluster lint format clean

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	@if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
		py=""; \
		for c in $(PYTHON_CANDIDATES); do \
			if command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
				py=$$(command -v $$c); break; \
			fi; \
		done; \
		if [ -z "$$py" ]; then \
			echo "error: no Python 3.12 or newer found (tried: $(PYTHON_CANDIDATES))." >&2; \
			echo "Install one, e.g. 'pyenv install 3.13.0' (see .python-version), then run make again." >&2; \
			exit 1; \
		fi; \
		echo "Creating $(VENV) with $$py ($$($$py --version))"; \
		rm -rf $(VENV) && $$py -m venv $(VENV); \
	fi
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

run: export DEBUG = 1
run: export SITE_URL = http://127.0.0.1:$(PORT)
run: install .env
	$(PY) manage.py migrate --noinput
	@# The queue's worker (mail to subscribers, printed here) runs beside the server and stops
	@# with it. Last before the server starts: the site's address and the admin account.
	@$(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT; \
	$(PY) manage.py load_demo && $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The queue's worker alone: background tasks such as mail to subscribers (news/subscriptions/).
# Production runs one or more beside the web server (README, "Subscribers").
worker: install
	$(PY) manage.py db_worker --no-reload

# Local development settings, read by manage.py (ministry/settings.py), so that every command in
# the README works after `make run`; the environment always wins over it. Never for production.
.env:
	@printf '%s\n' "# Local development settings written by make run (gitignored); not for production." \
		"DEBUG=1" \
		"SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
		"SITE_URL=http://127.0.0.1:$(PORT)" > $@
	@echo "Wrote $@ (DEBUG=1, a random SECRET_KEY, SITE_URL) for manage.py commands."

# The site as production runs it: DEBUG off, hashed static files, gunicorn with 2 x CPUs + 1
# workers. Give SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL... in the environment (.env.example);
# without them it serves on loopback with a throwaway key.
serve: install
	@export DEBUG=0 \
		SECRET_KEY="$${SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')}" \
		ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}" \
		SECURE_COOKIES="$${SECURE_COOKIES:-0}"; \
	$(PY) manage.py migrate --noinput && \
	$(PY) manage.py collectstatic --noinput -v0 && \
	echo "Serving http://127.0.0.1:$(PORT)/ with $$(( 2 * $$(nproc) + 1 )) gunicorn workers" && \
	exec $(VENV)/bin/gunicorn ministry.wsgi --bind 127.0.0.1:$(PORT) \
		--workers $$(( 2 * $$(nproc) + 1 )) --access-logfile - --forwarded-allow-ips 127.0.0.1

# Tests run with the settings they set themselves, never a developer's .env.
test: export ENV_FILE =
test: install
	$(PY) manage.py makemigrations --check --dry-run --settings tests.settings
	$(PY) -m pytest --create-db $(PYTEST_ARGS)

# The benchmark (bench/run.py): BENCH_ARGS="--database postgres --releases 100000 --soak 600";
# BENCH_ARGS=--peer: against a stock Wagtail site (bench/peer/, its own venv) on 10,000 releases.
BENCH_ARGS ?=
bench: install
	@command -v wrk >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null; }
	$(PY) bench/run.py $(BENCH_ARGS)

# The subscriber benchmark (bench/subscribers.py, issue #17): one release published to 100,000
# subscribers, sent by one worker to a local SMTP server; BENCH_ARGS="--database postgres".
bench-subscribers: install
	$(PY) bench/subscribers.py $(BENCH_ARGS)

# Two servers, a PostgreSQL streaming replica and Redis on this machine, checked (bench/cluster.sh;
# root, PostgreSQL 15 at 127.0.0.1:5432; everything it adds is removed at the end).
cluster: install
	bash bench/cluster.sh

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles
