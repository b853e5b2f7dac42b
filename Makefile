# Two commands on a fresh machine: `make run` and `make test`.
# Everything else here is a helper for those two or for development.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: run test lint bench screenshots clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/dossier-desk

test: $(STAMP)
	$(BIN)/ruff check desktop tests
	$(BIN)/lint-imports
	@# 1) the core and the CLI with PySide6 blocked, 2) everything that needs Qt.
	DOSSIER_DESK_BLOCK_QT=1 $(BIN)/python -m pytest -p no:pytest-qt -o strict_config=false \
		-W ignore::pytest.PytestConfigWarning \
		-m "not qt and not benchmark" \
		--ignore=tests/ui --ignore=tests/report --ignore=tests/benchmarks
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -m "qt and not benchmark"

lint: $(STAMP)
	$(BIN)/ruff check desktop tests
	$(BIN)/ruff format --check desktop tests
	$(BIN)/lint-imports

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -m benchmark tests/benchmarks -s

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m desktop.ui.screenshots packaging/screenshots

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
