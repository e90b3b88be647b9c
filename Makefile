# realtime-chat: every command a developer or CI needs. Python 3.11+ and make are enough;
# the first target that needs the virtualenv creates it from the pinned requirements.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt functions/requirements.txt constraints.txt | cksum | cut -d' ' -f1)

NODE_STAMP := node_modules/.installed-$(shell cat package.json package-lock.json | cksum | cut -d' ' -f1)

.PHONY: venv artifact node web local test lint format unit policy smoke smoke-amplify bench bench-volume package clean \
	redrive reindex check-index push-backfill describe

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

## npm packages from the lockfile: aws-amplify, esbuild, playwright-core (no browser download).
node: $(NODE_STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

## The demo page's bundle (build/web/app.js), rebuilt when its sources change.
web: venv
	@if command -v npm >/dev/null 2>&1; then \
		$(MAKE) --no-print-directory node && $(BIN)/python -m emulator.web.build; \
	else \
		echo "npm not found: the demo page at / is not built (the API works without it)"; \
	fi

## The chat backend offline: emulator on loopback with demo users (Ctrl-C stops it).
local: artifact web
	$(BIN)/python -m emulator $(ARGS)

## Every test: lint, unit/contract/Lambda/emulator/e2e tests (Amplify JS in Node, the demo
## page in Chromium when installed), policy pack on both stacks.
## Tests run on one worker per CPU (pytest-xdist); a file's tests stay on one worker, so
## module fixtures start once, and files start in the order tests/conftest.py gives them
## (the long emulator-driving ones first). PYTEST_WORKERS=0 runs them in this process.
PYTEST_WORKERS ?= auto
test: lint artifact node web
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder
	$(BIN)/python -m policy.offline

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

policy: venv
	$(BIN)/python -m policy.offline $(ARGS)

## A field's whole path: schema, wiring, templates, data sources, grants, Lambda, tests.
## make describe FIELD=Mutation.banMember
describe: venv
	@test -n "$(FIELD)" || { echo "usage: make describe FIELD=Type.field"; exit 2; }
	@$(BIN)/python -m chatspec.describe $(FIELD)

## Figures: latency, round trips, and side by side with Amplify's AppSync simulator (needs node).
bench: artifact
	$(BIN)/python bench/cold_start.py
	$(BIN)/python bench/emulator_latency.py
	$(BIN)/python bench/request_latency.py
	$(BIN)/python bench/load.py
	$(BIN)/python bench/idle_cpu.py
	$(BIN)/python bench/round_trips.py
	@if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then \
		$(BIN)/python bench/vs_amplify_simulator.py; \
	else \
		echo "SKIPPED bench/vs_amplify_simulator.py: node and npm not found (Amplify's simulator is an npm package)"; \
	fi

## sendMessage p50 and RSS, empty vs 100,000 stored messages (about 10 minutes).
bench-volume: venv
	$(BIN)/python bench/volume.py

clean:
	rm -rf $(VENV) build .local .pytest_cache .ruff_cache node_modules

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

## The same, as a client app does it: the real aws-amplify package in Node (two users).
smoke-amplify: venv node
	$(BIN)/python scripts/amplify_smoke.py --outputs $(OUTPUTS) $(ARGS)

## Search operations on a running backend (the emulator's outputs by default; a real stack's
## with OUTPUTS=outputs.json ARGS="--role-arn <searchOpsRoleArn>"). README, "Runbook".
redrive: venv
	$(BIN)/python -m searchops.redrive --outputs $(OUTPUTS) $(ARGS)

reindex: venv
	$(BIN)/python -m searchops.reindex --outputs $(OUTPUTS) $(ARGS)

check-index: venv
	$(BIN)/python -m searchops.check --outputs $(OUTPUTS) $(ARGS)

## Push targets of devices registered before they existed (README, "Push").
push-backfill: venv
	$(BIN)/python -m pushops.backfill --outputs $(OUTPUTS) $(ARGS)
