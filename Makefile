# Ringkas: `make run` starts the bot, `make test` runs every check.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# The storage tests also run on this PostgreSQL when it answers (skipped with a reason if not).
RINGKAS_TEST_POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/test
export RINGKAS_TEST_POSTGRES_URL

.PHONY: run test lint typecheck bench clean translations

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "need Python 3.11 (python3.11 or python3 on PATH)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/ringkas run

test: $(STAMP)
	$(BIN)/ruff check bot summarizer tests benchmarks
	$(BIN)/ruff format --check bot summarizer tests benchmarks
	$(BIN)/mypy
	$(BIN)/pytest -q

# After changing a reader-facing string: refresh the template and the English catalog, translate
# the new entries in bot/locale/en/LC_MESSAGES/ringkas.po, then run this again to compile the .mo.
translations: $(STAMP)
	$(BIN)/pybabel extract -F bot/locale/babel.cfg -k N_ -k ChoiceError --no-location \
		--sort-output --omit-header -o bot/locale/ringkas.pot bot
	$(BIN)/pybabel update -i bot/locale/ringkas.pot -d bot/locale -D ringkas -l en -w 100 --ignore-obsolete
	$(BIN)/pybabel compile -d bot/locale -D ringkas --statistics

bench: $(STAMP)
	$(BIN)/python benchmarks/summarizer_bench.py

clean:
	rm -rf $(VENV) build *.egg-info .mypy_cache .ruff_cache .pytest_cache
