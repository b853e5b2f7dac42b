"""Shared fixtures and the strict test settings.

- Qt runs offscreen, whatever the caller's environment says.
- Each test gets its own database on tmp_path; nothing touches the user's data.
- Tests that use ``qtbot`` are marked ``gui`` automatically, so
  ``pytest -m "not gui"`` runs the core alone (as CI does with Qt blocked).
- A test that leaves a top-level widget open fails (napari's leak guard).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ["QT_QPA_PLATFORM"] = "offscreen"

if os.environ.get("DOSSIER_DESK_BLOCK_QT"):
    # `make test` runs the core tests a second time like this, to prove that the
    # core and the CLI work with PySide6 absent (as on a headless server).
    import importlib.abc
    import sys

    class _BlockQt(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):  # type: ignore[no-untyped-def]
            if name == "PySide6" or name.startswith("PySide6."):
                raise ModuleNotFoundError(f"No module named {name!r} (blocked for this run)")
            return

    sys.meta_path.insert(0, _BlockQt())
# A test must never write the real user data folder or find a user's database.
os.environ.pop("DOSSIER_DESK_DB", None)

from desktop.core.store import Store, open_store

REPO = Path(__file__).resolve().parent.parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if {"qtbot", "qapp", "qtmodeltester"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Point every user folder (data, config, QSettings) at a temporary one."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "library.sqlite"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    s = open_store(db_path)
    yield s
    s.close()


@pytest.fixture
def samples_store(store: Store) -> Store:
    """A database holding the sample articles shipped in resources/samples."""
    from desktop.core.services.ingest import import_paths
    from desktop.resources import samples_dir

    report = import_paths(store, [samples_dir()])
    assert report.imported, report.failed
    return store


@pytest.fixture(autouse=True)
def _no_leaked_widgets(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if request.node.get_closest_marker("gui") is None:
        return
    from PySide6.QtWidgets import QApplication

    leaked = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    for w in leaked:
        w.close()
    assert not leaked, f"test left top-level widgets open: {leaked}"
