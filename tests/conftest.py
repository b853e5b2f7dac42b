"""Shared fixtures and the strict test settings.

- Qt runs offscreen, whatever the caller's environment says.
- Each test gets its own database on tmp_path and its own home folder; nothing
  touches the user's data.
- Tests that use ``qtbot`` are marked ``gui`` automatically; those and every test
  under tests/ui and tests/report are marked ``qt``. ``make test`` runs the tests
  not marked ``qt`` with PySide6 blocked (proving the core and the CLI need no
  Qt), then the ``qt`` ones.
- A GUI test that leaves a visible top-level widget behind fails (napari's guard).
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

os.environ["QT_QPA_PLATFORM"] = "offscreen"
# A test must never find a user's database through the environment.
os.environ.pop("DOSSIER_DESK_DB", None)

if os.environ.get("DOSSIER_DESK_BLOCK_QT"):
    # Installed before anything imports our code; `make test` also unloads
    # pytest-qt for this run (-p no:pytestqt), so no Qt is loaded at all.
    import importlib.abc

    class _BlockQt(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):  # type: ignore[no-untyped-def]
            if name.partition(".")[0] in ("PySide6", "shiboken6"):
                raise ModuleNotFoundError(f"No module named {name!r} (blocked for this run)")
            return None

    sys.meta_path.insert(0, _BlockQt())

from desktop.core.store import Store, open_store

REPO = Path(__file__).resolve().parent.parent
_QT_DIRS = ("ui", "report")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if {"qtbot", "qapp", "qtmodeltester"} & fixtures:
            item.add_marker(pytest.mark.gui)
        parts = item.path.relative_to(REPO / "tests").parts
        if item.get_closest_marker("gui") or parts[0] in _QT_DIRS:
            item.add_marker(pytest.mark.qt)


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


def load_fixture_module(name: str) -> ModuleType:
    """A module of tests/fixtures by name (the tests are not a package, so the
    fixtures are loaded by path; once per run)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, REPO / "tests" / "fixtures" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def pg_server() -> Iterator[object]:
    """A PostgreSQL server of our own for the whole run (tests/fixtures/pgserver.py),
    on 127.0.0.1 and a free port, its passwords in a pgpass file named by
    ``PGPASSFILE``. Skips the test when the server binaries are not installed."""
    pgserver = load_fixture_module("pgserver")
    bindir = pgserver.find_binaries()
    if bindir is None:
        if os.environ.get("DOSSIER_DESK_REQUIRE_PG"):
            pytest.fail(pgserver.MISSING.replace("are skipped", "cannot run"))
        pytest.skip(pgserver.MISSING)
    saved = os.environ.get("PGPASSFILE")
    with pgserver.running_server(bindir) as server:
        os.environ["PGPASSFILE"] = str(server.pgpass)
        server.add_team()
        # A migrated library that each test's database is copied from (fast).
        server.create_database("dd_template")
        open_store(server.url("dd_template"), migrate=True).close()
        try:
            yield server
        finally:
            if saved is None:
                os.environ.pop("PGPASSFILE", None)
            else:
                os.environ["PGPASSFILE"] = saved


_pg_databases = iter(range(1, 1_000_000))


@pytest.fixture
def pg_url(pg_server) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The address of a fresh, migrated team library on the test server,
    dropped after the test."""
    name = f"t{next(_pg_databases)}"
    pg_server.create_database(name, template="dd_template")
    yield pg_server.url(name)
    pg_server.drop_database(name)


@pytest.fixture
def pg_as(pg_url: str):  # type: ignore[no-untyped-def]
    """``pg_as("alice")``: the same team library's address for another role
    (alice, bob, dave, erin are editors, carol a reader)."""
    return lambda role: pg_url.replace("dd_super@", f"{role}@", 1)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "library.sqlite"


BACKENDS = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests marked ``both_backends`` run once on a file and once on a team
    library on the test suite's PostgreSQL server, through the same ``store``."""
    if "db_backend" in metafunc.fixturenames and metafunc.definition.get_closest_marker(
        "both_backends"
    ):
        metafunc.parametrize("db_backend", BACKENDS, indirect=True)


@pytest.fixture
def db_backend(request: pytest.FixtureRequest) -> str:
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture
def store(db_backend: str, request: pytest.FixtureRequest) -> Iterator[Store]:
    if db_backend == "postgresql":
        s = open_store(request.getfixturevalue("pg_url"))
    else:
        s = open_store(request.getfixturevalue("db_path"))
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


@pytest.fixture
def dossier_library(store: Store):  # type: ignore[no-untyped-def]
    """A small realistic library built with the models: entities with Urdu and
    Arabic aliases and markup characters, dated articles, mentions, relations
    (tests/fixtures/dossier_library.py)."""
    return load_fixture_module("dossier_library").build(store)


@pytest.fixture
def no_network() -> Iterator[list[str]]:
    """The network blocked for the test: every attempt is refused (an
    AssertionError) and recorded in the yielded list (tests/fixtures/offline.py)."""
    with load_fixture_module("offline").blocked() as attempts:
        yield attempts


@pytest.fixture
def hostile_library(store: Store):  # type: ignore[no-untyped-def]
    """Entities, aliases, notes, an article and a dossier full of markup and
    tricky characters (tests/fixtures/hostile_library.py)."""
    return load_fixture_module("hostile_library").build(store)
