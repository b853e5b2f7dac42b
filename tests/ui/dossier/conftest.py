"""The sample dossier library, built with the models (see tests/fixtures)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from desktop.core.store import Store


def load_library_module() -> ModuleType:
    if "dossier_library" in sys.modules:
        return sys.modules["dossier_library"]
    path = Path(__file__).resolve().parents[2] / "fixtures" / "dossier_library.py"
    spec = importlib.util.spec_from_file_location("dossier_library", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["dossier_library"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def library(store: Store):  # type: ignore[no-untyped-def]
    return load_library_module().build(store)
