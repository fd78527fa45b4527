# Hip Coach: set-up, run, test, benchmark, package.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint typecheck bench lambda deploy model generated clean system-deps

# The virtual environment is rebuilt when the dependency list changes.
$(STAMP): pyproject.toml scripts/install-system-deps.sh scripts/install-node-deps.sh \
		tests/virtual_alexa/package-lock.json tests/certification/package-lock.json \
		infrastructure/ask-cli/package-lock.json
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

# Every generated file tracked in git, rebuilt after any change to content/ or tests/corpora/:
# the interaction models, docs/clinician-table.md and the ASK NLU annotation sets.
generated: model
	$(BIN)/python scripts/clinician_table.py
	$(BIN)/python scripts/export_nlu_annotations.py

# The zip, the skill package `ask deploy` uploads (dist/skill-package: the tracked one with the
# deployed endpoints and legal URLs), then its check: warns while the legal URLs are missing.
lambda: | $(STAMP)
	$(BIN)/python lambda/build_zip.py
	$(BIN)/python lambda/skill_package.py
	$(BIN)/python lambda/check_package.py --manifest dist/skill-package/skill.json

# Everything on AWS with the ASK CLI (docs/deploying.md): skill package, code, CloudFormation stack.
deploy: lambda
	$(BIN)/ask deploy

clean:
	rm -rf dist build .pytest_cache .ruff_cache *.egg-info
