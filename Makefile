# Che Chở — the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test lint format messages trial bench scale clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## demo: install, build the demo database and serve it on http://127.0.0.1:8000 (make demo PORT=8080
## HOST=0.0.0.0 to change), with the deadline reminders and escalations swept every minute beside it
demo: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_units
	$(BIN)/python manage.py load_plan
	$(BIN)/python manage.py seed_demo --host $(HOST) --port $(PORT)
# One shell runs both: when runserver stops (Ctrl-C, or it cannot start), so does the schedule.
# The links in the e-mails printed to this terminal point at the demo's own port.
	trap 'kill $$schedule $$server 2>/dev/null; wait' INT TERM EXIT; \
	export CHECHO_SITE_URL="$${CHECHO_SITE_URL:-http://$(HOST):$(PORT)}"; \
	$(BIN)/python manage.py run_schedule & schedule=$$!; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT) & server=$$!; \
	wait $$server

## test: install and run the suite (SQLite, tasks in process), on two processes
test: $(STAMP)
	$(BIN)/python -m pytest -m "not services and not schema_fuzz" -q --durations=15 -n 2 --dist loadfile

## lint: the checks CI makes besides the tests
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py spectacular --validate --fail-on-warn --file /dev/null

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## messages: refresh the Vietnamese catalogue after changing user-facing strings
messages: $(STAMP)
	$(BIN)/python manage.py makemessages --locale vi --no-obsolete --no-location --ignore '.venv/*'
	$(BIN)/python manage.py compilemessages --locale vi --ignore '.venv/*'

## trial: the production setup on this machine (PostgreSQL, Redis, gunicorn, worker, beat)
trial: $(STAMP)
	bin/trial

## bench: the project's benchmarks (needs Redis; PostgreSQL when DATABASE_URL is set)
bench: $(STAMP)
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/14} $(BIN)/python manage.py benchmark notifications
	$(BIN)/python manage.py benchmark reports

## scale: the national-scale benchmark in a scratch PostgreSQL database (CASES=100000)
scale: $(STAMP)
	bin/scale $${CASES:-100000}

clean:
	rm -rf $(VENV) db.sqlite3 var staticfiles
