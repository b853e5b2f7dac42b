"""The sample dossier library, built with the models (see tests/fixtures)."""

from __future__ import annotations

import pytest


@pytest.fixture
def library(dossier_library):  # type: ignore[no-untyped-def]
    return dossier_library
