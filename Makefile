# Desk Pilkada: the two commands are `make run` and `make test` (see README).
PYTHON ?= python3
VENV := .venv
# Built from requirements.txt alone, as the Docker image is: tests prove it runs web, worker and beat.
PROD_VENV := .venv-prod
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/pilkada_desk
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0
PORT ?= 8000

.PHONY: run test lint bench clean

$(VENV)/.installed-run: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(VENV)/.installed-run

$(PROD_VENV)/.installed: requirements.txt
	rm -rf $(PROD_VENV)
	$(PYTHON) -m venv $(PROD_VENV)
	$(PROD_VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

## run: the demo on http://127.0.0.1:$(PORT) (default 8000) with SQLite and a Celery worker+beat on the filesystem broker
run: $(VENV)/.installed-run
	bin/ensure-system-packages
	PORT=$(PORT) DEBUG=1 EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend bin/run

## test: the whole suite on PostgreSQL and Redis (DATABASE_URL, REDIS_URL)
test: $(VENV)/.installed-dev $(PROD_VENV)/.installed
	bin/ensure-chromium
	bin/ensure-system-packages
	bin/ensure-fault-tools
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
		$(PY) bin/check-services
	$(VENV)/bin/ruff check .
	DEBUG=1 DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
		$(PY) manage.py makemigrations --check --dry-run
	DEBUG=1 DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
		$(VENV)/bin/pytest --create-db $(PYTEST_ARGS)

## bench: the national-scale benchmark in its own database (BENCH_REGIONS=FILE.csv to import a Kemendagri file)
bench: $(VENV)/.installed-run
	$(PY) -m bench.run

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .

clean:
	rm -rf var/ $(VENV) $(PROD_VENV)
