from __future__ import annotations

from pathlib import Path

from desktop.core.services import library
from desktop.resources import samples_dir
from desktop.ui.application import open_library


def test_first_run_of_the_default_database_loads_the_samples_once(tmp_path):
    store, loaded = open_library(None)
    try:
        assert loaded
        count = library.library_info(store).articles
        assert count == len(list(samples_dir().iterdir()))
        assert "dossier-desk" in store.path.parts
    finally:
        store.close()
    store, loaded = open_library(None)
    try:
        assert not loaded
        assert library.library_info(store).articles == count
    finally:
        store.close()


def test_an_explicit_database_gets_no_samples(db_path: Path):
    store, loaded = open_library(db_path)
    try:
        assert not loaded
        assert library.library_info(store).articles == 0
    finally:
        store.close()
