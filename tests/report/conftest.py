"""The sample dossier library, built with the models (see tests/fixtures)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _qt_app(request: pytest.FixtureRequest) -> None:
    """For the Qt tests: pytest-qt's QApplication, made before the renderer
    would create a bare QGuiApplication (which the widget tests of the same run
    could not use). Rendering with no application at all is tested in a
    subprocess."""
    if request.node.get_closest_marker("gui") is not None:
        request.getfixturevalue("qapp")


@pytest.fixture
def library(dossier_library):  # type: ignore[no-untyped-def]
    return dossier_library


_BIDI_CONTROLS = dict.fromkeys(
    map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)


def normalise(text: str) -> str:
    """Text as a reader would search it: presentation forms folded (NFKC),
    bidi controls dropped, white space collapsed."""
    import unicodedata

    text = unicodedata.normalize("NFKC", text).translate(_BIDI_CONTROLS)
    return " ".join(text.split())


def pdf_pages(path: Path) -> list[str]:
    """The text of each page, as poppler's pdftotext extracts it (it orders
    right-to-left runs logically); pypdf when poppler is missing."""
    import shutil
    import subprocess

    if shutil.which("pdftotext"):
        out = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(path), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        pages = out.split("\f")
        if pages and not pages[-1].strip():
            pages = pages[:-1]
        return [normalise(p) for p in pages]
    import pypdf

    return [normalise(p.extract_text() or "") for p in pypdf.PdfReader(path).pages]


def squeeze(text: str) -> str:
    """For comparing running text across line breaks: pdftotext moves spaces
    around right-to-left runs and joins words hyphenated at a line end."""
    import re

    return re.sub(r"[\s\-]", "", normalise(text))
