# Hip Coach: set-up, run, test, benchmark, package.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint typecheck bench lambda model clean system-deps

# The virtual environment is rebuilt when the dependency list changes.
$(STAMP): pyproject.toml scripts/install-system-deps.sh tests/virtual_alexa/package-lock.json
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[skill,web,aws,dev]'
	bash scripts/install-system-deps.sh
	bash scripts/install-node-deps.sh
	@touch $(STAMP)

install: $(STAMP)

run: | $(STAMP)
	$(BIN)/hipcoach chat

lint: | $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

# mypy --strict on both packages and the scripts ([tool.mypy] in pyproject.toml).
typecheck: | $(STAMP)
	$(BIN)/mypy

test: | $(STAMP)
	$(MAKE) lint
	$(MAKE) typecheck
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q

bench: | $(STAMP)
	$(BIN)/python tests/bench/run_all.py

# The interaction models, rebuilt from content/language/*.yaml.
model: | $(STAMP)
	$(BIN)/python -m hipcoach.tools.interaction_model

# The zip, then the manifest check: warns while skill.json's URLs are placeholders.
lambda: | $(STAMP)
	$(BIN)/python lambda/build_zip.py
	$(BIN)/python lambda/check_package.py

clean:
	rm -rf dist build .pytest_cache .ruff_cache *.egg-info
