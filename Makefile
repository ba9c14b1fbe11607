# SIMI developer commands. A fresh machine needs only Python 3.11:
#   make run    - set up, migrate, load demo data, serve http://127.0.0.1:8000 with a worker
#   make test   - set up and run the whole test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DEPS := $(VENV)/.deps-installed
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test lint format worker serve migrate seed messages lock bench check-deploy clean openapi capabilities codes

$(DEPS): requirements/dev.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/dev.lock
	touch $(DEPS)

migrate: $(DEPS)
	$(BIN)/python manage.py migrate --no-input

seed: migrate
	$(BIN)/python manage.py seed_demo

run: seed
	PORT=$(PORT) BIN=$(BIN) sh scripts/run-dev.sh

worker: $(DEPS)
	$(BIN)/python manage.py run_worker --queue-name '*'

# Production web server (README.md, "Production"): needs SIMI_ENV=production and its keys.
serve: $(DEPS)
	$(BIN)/gunicorn -c deploy/gunicorn.conf.py

test: $(DEPS)
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

lint: $(DEPS)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy simi
	$(BIN)/lint-imports

format: $(DEPS)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: $(DEPS)
	$(BIN)/python manage.py makemessages --no-obsolete --no-location -l id -l en --ignore='.venv/*' --ignore='staticfiles/*'
	$(BIN)/python manage.py compilemessages --ignore='.venv/*'

check-deploy: $(DEPS)
	keys=$$(mktemp -d) && SIMI_KEY_DIR=$$keys $(BIN)/python -c "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='simi.settings'; django.setup(); from simi.core import keys; keys.data_keyring(); keys.index_key(); keys.signing_key(); keys.seal_key()" && \
	SIMI_ENV=production SIMI_KEY_DIR=$$keys SIMI_SECRET_KEY=check-only-$$(date +%s)-not-secret-aaaaaaaaaaaaaaaaaaaaaaaaaa \
	SIMI_ALLOWED_HOSTS=simi.example.invalid $(BIN)/python manage.py check --deploy --fail-level WARNING; \
	status=$$?; rm -rf $$keys; exit $$status

bench: $(DEPS)
	$(BIN)/python bench/run.py

lock:
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --output-file requirements/base.lock pyproject.toml
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --extra dev --output-file requirements/dev.lock pyproject.toml

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .mypy_cache .ruff_cache

openapi: $(DEPS)
	$(BIN)/python -c "import os, json, django; os.environ['DJANGO_SETTINGS_MODULE']='simi.settings'; django.setup(); from simi.api import api, scopes_markdown; open('docs/openapi.json', 'w').write(json.dumps(api.get_openapi_schema(), indent=2, sort_keys=True, ensure_ascii=False) + '\n'); open('docs/scopes.md', 'w').write(scopes_markdown())"

# simi/core/capabilities.py from the role table (simi/accounts/roles.py); a test fails while stale.
capabilities: $(DEPS)
	$(BIN)/python -c "import os, django; os.environ['DJANGO_SETTINGS_MODULE']='simi.settings'; django.setup(); from simi.accounts.capabilities import capabilities_source; open('simi/core/capabilities.py', 'w').write(capabilities_source())"

# docs/codes.md: every domain's audit actions and error codes (simi/*/codes.py); a test fails while stale.
codes: $(DEPS)
	$(BIN)/python -c "import os, django; os.environ['DJANGO_SETTINGS_MODULE']='simi.settings'; django.setup(); from simi.core.codes import codes_markdown; open('docs/codes.md', 'w').write(codes_markdown())"
