# thrive-ml: every target creates .venv itself. A fresh machine needs only Python 3.11+, make, pip.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DATA   := data/generated/referrals.csv
N      ?= 20000
SEED   ?= 7

.PHONY: venv run model data audit test lint format bench clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Synthetic training data (not committed): built once, byte-identical for the same N and SEED.
$(DATA): | $(STAMP)
	$(BIN)/thrive-ml generate --n $(N) --seed $(SEED) --out $(DATA)

data: $(DATA)

# Shortcut audit: does a bag-of-words model on our data transfer to text written differently?
audit: $(DATA)
	$(BIN)/thrive-ml audit-data --data $(DATA)

# Everything before serving: data if missing, then train and register a model if no
# champion is registered yet (embedded default: MLflow in sqlite:///mlflow.db).
model: data
	@$(BIN)/thrive-ml models champion >/dev/null 2>&1 || $(BIN)/thrive-ml train --data $(DATA)
	@echo "champion: version $$($(BIN)/thrive-ml models champion)"

# The main job: everything above, then the API and web page on http://127.0.0.1:8000
# (audit store: thrive-audit.db, or THRIVE_DATABASE_URL). On the first run it creates an admin
# key named local-admin and prints it once (only its hash is kept); sign in with it.
HOST ?= 127.0.0.1
PORT ?= 8000

run: model
	@$(BIN)/thrive-ml keys list 2>/dev/null | grep -q "local-admin" || \
		{ echo "first run: an admin key for the page and API (shown once; keep it):"; \
		  $(BIN)/thrive-ml keys create --role admin --name local-admin | tail -n 1; }
	$(BIN)/thrive-ml serve --host $(HOST) --port $(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

bench: $(STAMP)
	$(BIN)/python bench/generate.py
	$(BIN)/python bench/safety.py
	$(BIN)/python bench/train.py
	@$(BIN)/thrive-ml models champion >/dev/null 2>&1 && $(BIN)/python bench/triage.py && $(BIN)/python bench/cold_start.py && $(BIN)/python bench/batch_memory.py --n 50000 || echo "bench/triage.py needs a champion: run make model"
	@command -v wrk >/dev/null && $(BIN)/python bench/serve.py || echo "bench/serve.py needs wrk: apt-get install wrk"

clean:
	rm -rf $(VENV) data/generated .pytest_cache .ruff_cache
