# realtime-chat: every command a developer or CI needs. Python 3.11+ and make are enough;
# the first target that needs the virtualenv creates it from the pinned requirements.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt constraints.txt | cksum | cut -d' ' -f1)

.PHONY: venv local test lint format unit policy smoke bench bench-volume package clean

venv: $(STAMP)

$(STAMP): requirements.txt constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -c constraints.txt
	rm -f $(VENV)/.installed-*
	touch $@

## The chat backend offline: emulator on loopback with demo users (Ctrl-C stops it).
local: venv
	$(BIN)/python -m emulator $(ARGS)

## Every test: lint, unit/contract/Lambda/emulator/e2e tests, policy pack on both stacks.
test: venv lint
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

bench: venv
	$(BIN)/python bench/emulator_latency.py
	$(BIN)/python bench/request_latency.py
	$(BIN)/python bench/load.py
	$(BIN)/python bench/idle_cpu.py
	$(BIN)/python bench/round_trips.py

## sendMessage p50 and RSS, empty vs 100,000 stored messages (about 10 minutes).
bench-volume: venv
	$(BIN)/python bench/volume.py

clean:
	rm -rf $(VENV) build .local .pytest_cache .ruff_cache

## Lambda dependency layer (Linux arm64 wheels) for a real `pulumi up`.
package: venv
	$(BIN)/python scripts/package_lambdas.py

unit: venv
	$(BIN)/python -m pytest tests/unit

## Smoke test against a running backend: `make local` in another shell, or a real stack's
## `pulumi stack output --json > outputs.json` with OUTPUTS=outputs.json.
OUTPUTS ?= .local/outputs.json
smoke: venv
	$(BIN)/python scripts/smoke.py --outputs $(OUTPUTS) $(ARGS)
