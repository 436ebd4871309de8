# Two commands matter: `make demo` (a report on the bundled example, no questions asked) and
# `make test` (lint, types, the rule pack check and the tests). Both create .venv when missing.
# While working, `make check` runs the fast tests (not the slow ones: exhaustive slice, properties,
# fuzzing, pty journeys, process races, browser).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
EXAMPLE ?= examples/linked-everything.yaml


.PHONY: locale translations new-language demo test check lint typecheck check-rules pytest a11y a11y-tools bench golden mutate mutate-sample clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The install compiles the code's catalogs (hatch_build.py); the .mo rule below keeps them fresh
# when a .po changes afterwards.
$(VENV)/.run-deps: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.test-deps: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.run-deps

# --- languages (docs/DEVELOPMENT.md, "Adding a language") ------------------------------------
# The code's sentences: audit/locale/<ll_CC>/LC_MESSAGES/wa_audit.po, compiled to .mo (ignored by git).
# The rule pack's text: rules/whatsapp/i18n/<lang>.po, read as it is.
LOCALE := audit/locale
PACK := rules/whatsapp
PO_FILES := $(wildcard $(LOCALE)/*/LC_MESSAGES/wa_audit.po)
MO_FILES := $(PO_FILES:.po=.mo)

$(LOCALE)/%/LC_MESSAGES/wa_audit.mo: $(LOCALE)/%/LC_MESSAGES/wa_audit.po | $(VENV)/.run-deps
	$(BIN)/pybabel compile --statistics -l $* -i $< -o $@

locale: $(MO_FILES)

# Both templates from what the code and the pack say now, then every catalog brought up to date
# (new sentences empty, changed ones fuzzy: the completeness test fails until they are translated).
translations: $(VENV)/.run-deps
	mkdir -p $(LOCALE)
	$(BIN)/pybabel --quiet extract --width 100 -F babel.cfg -k N_ -k pgettext:1c,2 --no-location \
		--add-comments=Translators: --project=wa-audit --omit-header -o $(LOCALE)/wa_audit.pot .
	$(BIN)/wa-audit rules extract $(PACK)
	@for po in $(PO_FILES); do \
		$(BIN)/pybabel --quiet update --width 100 --ignore-obsolete --ignore-pot-creation-date -i $(LOCALE)/wa_audit.pot -o $$po \
			-l $$(basename $$(dirname $$(dirname $$po))) || exit 1; done
	@for po in $(PACK)/i18n/*.po; do \
		$(BIN)/pybabel --quiet update --width 100 --ignore-obsolete --ignore-pot-creation-date -i $(PACK)/i18n/pack.pot -o $$po \
			-l $$(basename $$po .po | tr - _) || exit 1; done

# A new language: make new-language LANGUAGE_TAG=fr (then add it to audit/lang.py LANGUAGES).
new-language: translations
	@test -n "$(LANGUAGE_TAG)" || { echo "give LANGUAGE_TAG=xx (or xx-YY)"; exit 2; }
	$(BIN)/pybabel init --width 100 -i $(LOCALE)/wa_audit.pot -d $(LOCALE) -D wa_audit -l $$(echo $(LANGUAGE_TAG) | tr - _)
	$(BIN)/pybabel init --width 100 -i $(PACK)/i18n/pack.pot -o $(PACK)/i18n/$(LANGUAGE_TAG).po -l $$(echo $(LANGUAGE_TAG) | tr - _)

# The summary on screen, the full report in out/ (a home of its own: your saved answers and runs
# play no part).
demo: $(VENV)/.run-deps $(MO_FILES)
	@mkdir -p out
	$(BIN)/wa-audit --home out/demo-home report --answers $(EXAMPLE) -o out/demo-report.html --summary
	@echo "Open out/demo-report.html in a browser for the full report. Install the command: pipx install ."

lint: $(VENV)/.test-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.test-deps $(MO_FILES)
	$(BIN)/mypy

check-rules: $(VENV)/.test-deps
	$(BIN)/wa-audit rules check

# The tests run on every core (pytest-xdist; WORKERS=0 for no worker processes); worksteal hands a worker
# that runs dry the waiting tests of a busy one, so the long tests do not finish last in a row.
WORKERS ?= auto
PYTEST := $(BIN)/pytest -q -n $(WORKERS) --dist worksteal

pytest: $(VENV)/.test-deps $(MO_FILES)
	$(PYTEST)

test: lint typecheck check-rules pytest

check: $(VENV)/.test-deps $(MO_FILES)
	$(PYTEST) -m "not slow"

# Accessibility checkers (axe-core in Debian's chromium, the Nu HTML checker on Java), pinned in
# tests/render/a11y/package-lock.json and installed from npm into $(A11Y_TOOLS) (ignored by git),
# never into the checkout's tests. With them installed, `make test` runs tests/render/test_a11y.py
# too; `make a11y` runs just those. CI (.ci/run) installs them and fails if they are missing.
A11Y_TOOLS ?= .a11y-tools
A11Y_LOCK := tests/render/a11y/package.json tests/render/a11y/package-lock.json

$(A11Y_TOOLS)/.installed: $(A11Y_LOCK)
	mkdir -p $(A11Y_TOOLS)
	cp $(A11Y_LOCK) $(A11Y_TOOLS)/
	cd $(A11Y_TOOLS) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

a11y-tools: $(A11Y_TOOLS)/.installed

a11y: $(VENV)/.test-deps $(A11Y_TOOLS)/.installed
	WA_AUDIT_A11Y_TOOLS=$(abspath $(A11Y_TOOLS)) $(BIN)/pytest -q tests/render/test_a11y.py

bench: $(VENV)/.test-deps
	$(BIN)/python benches/run.py

# Rewrites the golden renders, then shows what changed: nothing is accepted until a person has read
# the diff (git diff tests/render/golden) and committed it.
golden: $(VENV)/.test-deps
	$(BIN)/pytest -q tests/render --update-golden
	@echo
	@echo "Golden files rewritten. Changed (nothing listed: no change):"
	@git status --short -- tests/render/golden 2>/dev/null || true
	@git diff --stat -- tests/render/golden 2>/dev/null || true
	@echo "Review before committing: git diff tests/render/golden  (undo: git checkout -- tests/render/golden)"

$(VENV)/.mutate-deps: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,mutation]'
	touch $@ $(VENV)/.test-deps $(VENV)/.run-deps

# Mutation testing (mutmut, slow, not in CI): each mutant of the engine, conditions, answers, advice
# and renderers runs against the fast tests (-m "not slow"). Results are kept in mutants/ and a rerun
# resumes. Scope it with MUTANTS, e.g. make mutate MUTANTS='audit.evaluate.advice*'; `mutmut results` and
# `mutmut show NAME` list and show the survivors. docs/DEVELOPMENT.md "Mutation testing" has the last numbers.
MUTANTS ?=
mutate: $(VENV)/.mutate-deps
	$(BIN)/mutmut run --max-children 2 $(MUTANTS)
	$(BIN)/mutmut results

# A repeatable random sample of a scope's mutants (SHARE of each module's, SEED), for scopes too
# big to run whole on a small machine: make mutate-sample SAMPLE='audit.render.*' SHARE=0.1
SAMPLE ?= audit.render.*
SHARE ?= 0.1
SEED ?= 20261202
mutate-sample: $(VENV)/.mutate-deps
	@test -d mutants || $(BIN)/mutmut run --max-children 2 'audit.render.json*'
	$(BIN)/mutmut run --max-children 2 $$($(BIN)/python tests/mutation/sample.py '$(SAMPLE)' --share $(SHARE) --seed $(SEED))
	$(BIN)/mutmut results

clean:
	rm -rf $(VENV) out dist build .mypy_cache .ruff_cache .pytest_cache mutants $(A11Y_TOOLS)
