# realtime-chat: every command a developer or CI needs. Python 3.11+ and make are enough;
# the first target that needs the virtualenv creates it from the pinned requirements.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt functions/requirements.txt constraints.txt | cksum | cut -d' ' -f1)

.PHONY: venv artifact local test lint format unit policy smoke bench package clean

venv: $(STAMP)

$(STAMP): requirements.txt functions/requirements.txt constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -c constraints.txt
	rm -f $(VENV)/.installed-*
	touch $@

## The Lambda artifact (code archives + dependency layer) for Lambda (arm64) and this
## machine, from the exact pins; incremental, so it rebuilds only what changed.
artifact: venv
	$(BIN)/python -m artifact

## The chat backend offline: emulator on loopback with demo users (Ctrl-C stops it).
local: artifact
	$(BIN)/python -m emulator $(ARGS)

## Every test: lint, unit/contract/Lambda/emulator/e2e tests, policy pack on both stacks.
test: lint artifact
	$(BIN)/python -m pytest
	$(BIN)/python -m policy.offline

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

policy: venv
	$(BIN)/python -m policy.offline $(ARGS)

bench: artifact
	$(BIN)/python bench/cold_start.py
	$(BIN)/python bench/emulator_latency.py
	$(BIN)/python bench/round_trips.py

clean:
	rm -rf $(VENV) build .local .pytest_cache .ruff_cache

## What a real `pulumi up` uploads (Linux arm64); the program builds it too if missing.
package: venv
	$(BIN)/python -m artifact --target lambda

unit: venv
	$(BIN)/python -m pytest tests/unit

## Smoke test against a running backend: `make local` in another shell, or a real stack's
## `pulumi stack output --json > outputs.json` with OUTPUTS=outputs.json.
OUTPUTS ?= .local/outputs.json
smoke: venv
	$(BIN)/python scripts/smoke.py --outputs $(OUTPUTS) $(ARGS)
