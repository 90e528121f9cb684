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

# The HTTP service and page arrive with the service issue; until then `run` builds the model
# and triages the team's dev set as a demonstration.
run: model
	@if [ -f ../shared/eval/dev.jsonl ]; then \
		$(BIN)/thrive-ml predict --input ../shared/eval/dev.jsonl --output reports/dev_predictions.jsonl; \
	else \
		echo "model ready; try: $(BIN)/thrive-ml predict --input FILE.jsonl --output results.jsonl"; \
	fi

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
	@$(BIN)/thrive-ml models champion >/dev/null 2>&1 && $(BIN)/python bench/triage.py || echo "bench/triage.py needs a champion: run make model"

clean:
	rm -rf $(VENV) data/generated .pytest_cache .ruff_cache
