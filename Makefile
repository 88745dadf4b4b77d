# The two commands a newcomer needs: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# Reinstall only when the dependency list changes.
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: run test test-browser lint format worker beat messages icons install clean backup restore bench

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP)

run: $(STAMP)
	@mkdir -p var/static
	$(BIN)/python manage.py migrate --no-input
	DEBUG=1 $(BIN)/python manage.py seed_demo
	@echo ""
	@echo "  SXSH portal: http://127.0.0.1:8000  (the logins above, Ctrl+C to stop)"
	@echo ""
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

test: $(STAMP)
	@mkdir -p var/static
	$(BIN)/python -m pytest -n auto --dist load

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/lint-imports --no-logo
	$(BIN)/bandit -c pyproject.toml -r portal facilities assessments programs reporting public \
	  demo bench -ll -q

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

worker: $(STAMP)
	$(BIN)/celery -A portal worker --loglevel=INFO

beat: $(STAMP)
	$(BIN)/celery -A portal beat --loglevel=INFO

# Regenerate the translation catalogues after changing user-facing strings.
messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l en --no-obsolete --ignore=.venv --ignore=var
	$(BIN)/python manage.py compilemessages -l en -l vi --ignore=.venv

# After using a new Bootstrap icon: the subset font and stylesheet the pages load.
icons: $(STAMP)
	$(BIN)/python manage.py subset_icons

clean:
	rm -rf $(VENV) var/static .pytest_cache

# The database (pg_dump -Fc, or SQLite's backup API) and the uploads, into var/backups/.
backup: $(STAMP)
	$(BIN)/python manage.py backup

# make restore FILE=var/backups/<timestamp>.dump [MEDIA=var/backups/<timestamp>.media.tar.gz]
restore: $(STAMP)
	@test -n "$(FILE)" || { echo "usage: make restore FILE=var/backups/<timestamp>.dump|.sqlite3 [MEDIA=...media.tar.gz]"; exit 2; }
	$(BIN)/python manage.py restore "$(FILE)" $(if $(MEDIA),--media "$(MEDIA)")

# Performance at provincial (default) or national scale: `make bench [BENCH_TIER=national]`.
# One run on PostgreSQL (database BENCH_DB, generated afresh) with the load test; at province
# the same tier is also written into var/bench-province.sqlite3 and both databases are timed
# side by side in that run. Without PostgreSQL, SQLite alone. Figures: var/bench-<tier>.json;
# BENCH_README=1 also rewrites the README's performance table from them.
BENCH_TIER ?= province
BENCH_DB ?= bench
BENCH_PG := postgres://postgres@127.0.0.1:5432/$(BENCH_DB)
BENCH_SQLITE := var/bench-$(BENCH_TIER).sqlite3
BENCH_ARGS := --tier $(BENCH_TIER) --json var/bench-$(BENCH_TIER).json $(if $(BENCH_README),--readme)
# Measured as production runs: DEBUG=0 (no query log, compressed manifest static files), over
# plain HTTP on the loopback, with a throwaway key.
BENCH_ENV = DEBUG=0 ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 \
  SECURE_HSTS_SECONDS=0 STATIC_ROOT=var/bench-static LOG_LEVEL=WARNING \
  SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(60))')
bench: $(STAMP)
	$(BIN)/pip install --quiet -e ".[dev,bench]"
	@mkdir -p var
	@case "$(BENCH_DB)" in test|test_sxsh) echo "$(BENCH_DB) is CI's database"; exit 1;; esac
	@rm -f $(BENCH_SQLITE) $(BENCH_SQLITE)-wal $(BENCH_SQLITE)-shm
	$(BENCH_ENV) $(BIN)/python manage.py collectstatic --no-input -v0
	@if pg_isready -q -h 127.0.0.1 -p 5432; then \
	  if [ "$(BENCH_TIER)" != national ]; then \
	    DATABASE_URL=sqlite:///$(BENCH_SQLITE) $(BIN)/python manage.py migrate --no-input -v0; \
	  fi && \
	  dropdb --if-exists -h 127.0.0.1 -U postgres $(BENCH_DB) && \
	  createdb -h 127.0.0.1 -U postgres $(BENCH_DB) && \
	  DATABASE_URL=$(BENCH_PG) $(BIN)/python manage.py migrate --no-input -v0 && \
	  $(BENCH_ENV) DATABASE_URL=$(BENCH_PG) $(BIN)/python manage.py bench $(BENCH_ARGS) \
	    $(if $(filter national,$(BENCH_TIER)),,--sqlite $(BENCH_SQLITE)); \
	else \
	  echo "PostgreSQL is not answering on 127.0.0.1:5432: SQLite alone." && \
	  DATABASE_URL=sqlite:///$(BENCH_SQLITE) $(BIN)/python manage.py migrate --no-input -v0 && \
	  $(BENCH_ENV) DATABASE_URL=sqlite:///$(BENCH_SQLITE) $(BIN)/python manage.py bench $(BENCH_ARGS); \
	fi
