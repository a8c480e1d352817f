# The template repository's own commands. `make help` lists them.
# A fresh machine needs only python3 (3.11+) with venv and pip, git and make.
VENV := .venv
BIN := $(VENV)/bin
# Each of the venvs below is .venv-<group>, made from requirements/<group>.lock by the one rule
# for them. `make project` needs only Copier and what extensions/ imports: a venv of seconds,
# where .venv (the test tools and package managers) takes minutes.
RENDER_VENV := .venv-render
# checkov pins its own `hcl2` module, which clashes with python-hcl2 in .venv: it gets a venv of its own
# (with cfn-lint, the other scanner of the rendered infrastructure). The matrix tests that run it
# make it on first use (tests/helpers.py, tool_venv), as `make test` does up front.
CHECKOV_VENV := .venv-checkov
# ansible-core and ansible-lint (the onprem infra tests) pin their own YAML and Jinja: a venv too.
ANSIBLE_VENV := .venv-ansible
DEST ?= build/my-ml-project
PYTEST_ARGS ?=
# Options of scripts/release.py, e.g. RELEASE_ARGS=--dry-run.
RELEASE_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help setup lock project examples test test-quick test-fast lint docs reference-layout questions-reference architecture-reference make-targets-reference tiers-reference conventions-reference generated-docs release tags benchmark benchmark-images clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {name[NR] = $$1; text[NR] = $$2; if (length($$1) > width) width = length($$1)} END {for (i = 1; i <= NR; i++) printf "  %-" width "s  %s\n", name[i], text[i]}'

# What `make setup` installs: the exact releases of requirements/, with their hashes, for the
# ranges of pyproject.toml's `dev`, `render`, `checkov` and `ansible` groups (`make lock` regenerates them).
DEV_LOCK := requirements/dev.lock
RENDER_LOCK := requirements/render.lock
CHECKOV_LOCK := requirements/checkov.lock
ANSIBLE_LOCK := requirements/ansible.lock
# Python 3.11 is the oldest the repository supports and the one a fresh CI machine has; the locks
# are universal (every platform) for it and later.
LOCK_PYTHON := 3.11

$(BIN)/.installed: $(DEV_LOCK)
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(DEV_LOCK)
	touch $@

.venv-%/.installed: requirements/%.lock
	python3 -m venv .venv-$*
	.venv-$*/bin/python -m pip install --quiet --require-hashes --no-deps -r $<
	touch $@

setup: $(BIN)/.installed $(RENDER_VENV)/.installed $(CHECKOV_VENV)/.installed $(ANSIBLE_VENV)/.installed  ## Create every venv from its lock: .venv (Copier, the test tools, the package managers), checkov's, Ansible's, the render's

lock: $(BIN)/.installed  ## Regenerate requirements/*.lock from the ranges of pyproject.toml's dev, render, checkov and ansible groups
	$(BIN)/uv pip compile --quiet --universal --generate-hashes --python-version $(LOCK_PYTHON) \
		--custom-compile-command "make lock" pyproject.toml --group dev -o $(DEV_LOCK)
	$(BIN)/uv pip compile --quiet --universal --generate-hashes --python-version $(LOCK_PYTHON) \
		--custom-compile-command "make lock" pyproject.toml --group render -o $(RENDER_LOCK)
	$(BIN)/uv pip compile --quiet --universal --generate-hashes --python-version $(LOCK_PYTHON) \
		--custom-compile-command "make lock" pyproject.toml --group checkov -o $(CHECKOV_LOCK)
	$(BIN)/uv pip compile --quiet --universal --generate-hashes --python-version $(LOCK_PYTHON) \
		--custom-compile-command "make lock" pyproject.toml --group ansible -o $(ANSIBLE_LOCK)

project: $(RENDER_VENV)/.installed  ## Render the working tree with every default into DEST (default: build/my-ml-project)
	$(RENDER_VENV)/bin/copier copy --trust --defaults --vcs-ref HEAD $(CURDIR) $(DEST)

examples: $(BIN)/.installed  ## Re-render examples/ from the working tree, each from its own answers file
	$(BIN)/python -m scripts.examples

test-quick: $(BIN)/.installed  ## The maintainer's loop: the static tier, which compares examples/ with fresh renders
	$(BIN)/python -m pytest -n 2 --dist worksteal -m static $(PYTEST_ARGS)

test: setup  ## Run the whole test suite, every tier
	$(BIN)/python -m pytest -n 2 --dist worksteal $(PYTEST_ARGS)

test-fast: $(BIN)/.installed  ## The fast tiers: static, render, update (no project environment is built)
	$(BIN)/python -m pytest -n 2 --dist worksteal -m "static or render or update" $(PYTEST_ARGS)

lint: $(BIN)/.installed  ## ruff, ruff format --check and mypy --strict on extensions/, tests/, scripts/, benchmarks/
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

docs: $(BIN)/.installed  ## Build the template's documentation site (strict)
	$(BIN)/properdocs build --strict --config-file mkdocs.yml

reference-layout: $(BIN)/.installed  ## Regenerate docs/reference-layout.md from examples/default
	$(BIN)/python -m scripts.reference_layout

questions-reference: $(BIN)/.installed  ## Regenerate docs/questions.md from copier.yml, the validators and docs/partials/
	$(BIN)/python -m scripts.questions_reference

architecture-reference: $(BIN)/.installed  ## Regenerate the generated tables of docs/architecture.md: filters, derived values, file map, choices
	$(BIN)/python -m scripts.architecture_reference

make-targets-reference: $(BIN)/.installed  ## Regenerate the make-target tables of docs/ and README.md (renders every choice)
	$(BIN)/python -m scripts.make_targets_reference

tiers-reference: $(BIN)/.installed  ## Regenerate README.md's test-tier table from the markers in pyproject.toml
	$(BIN)/python -m scripts.tiers_reference

conventions-reference: $(BIN)/.installed  ## Regenerate the branching-model table of docs/conventions.md from the context hook
	$(BIN)/python -m scripts.conventions_reference

generated-docs: reference-layout questions-reference architecture-reference make-targets-reference tiers-reference conventions-reference  ## Regenerate every generated page and block of docs/ and README.md

release: $(BIN)/.installed  ## Date CHANGELOG.md's Unreleased as the version of pyproject.toml, commit and tag it after checking main and test-fast (no push)
	$(BIN)/python -m scripts.release $(RELEASE_ARGS)

# Only python3 and git: a fresh clone gets its release tags before anything is installed.
tags:  ## Create every missing v<version> tag on its release commit of main (CHANGELOG.md dates it)
	python3 -m scripts.tags

benchmark: $(BIN)/.installed  ## Print median render time, update time beside Copier's floor, a fleet's updates release by release, time-to-green, make check time, size and pipeline time per framework, /predict latency and load, the app's memory under large bodies, cold start
	$(BIN)/python -m benchmarks.render
	$(BIN)/python -m benchmarks.context_hook
	$(BIN)/python -m benchmarks.update
	$(BIN)/python -m benchmarks.fleet_update
	$(BIN)/python -m benchmarks.time_to_green
	$(BIN)/python -m benchmarks.inner_loop
	$(BIN)/python -m benchmarks.frameworks
	$(BIN)/python -m benchmarks.serving_latency
	$(BIN)/python -m benchmarks.serving_load
	$(BIN)/python -m benchmarks.serving_memory
	$(BIN)/python -m benchmarks.cold_start

benchmark-images: $(BIN)/.installed  ## Print the serve image's size above its base per framework and package manager (root, podman)
	$(BIN)/python -m benchmarks.image_sizes

clean:  ## Remove the environments, renders and caches
	rm -rf $(VENV) $(RENDER_VENV) $(CHECKOV_VENV) $(ANSIBLE_VENV) build site .pytest_cache .mypy_cache .ruff_cache
