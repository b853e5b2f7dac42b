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


_ARABIC = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"


def _logical_rtl(text: str) -> str:
    """PDFium gives the words of a right-to-left phrase in visual order (each
    word's letters in logical order); put the words back in reading order."""
    import re

    run = re.compile(f"[{_ARABIC}]+(?: [{_ARABIC}]+)+")
    return run.sub(lambda mt: " ".join(reversed(mt.group(0).split(" "))), text)


def pdf_pages(path: Path) -> list[str]:
    """The text of each page as PDFium extracts it (pypdfium2: no poppler
    needed on the machine running the tests)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        out = []
        for page in pdf:
            textpage = page.get_textpage()
            out.append(_logical_rtl(normalise(textpage.get_text_range())))
            textpage.close()
            page.close()
        return out
    finally:
        pdf.close()


def render_pages(path: Path, folder: Path, scale: float = 1.5) -> list[Path]:
    """Each page of ``path`` as a PNG in ``folder``, for looking at the layout."""
    import pypdfium2 as pdfium

    folder.mkdir(parents=True, exist_ok=True)
    pdf = pdfium.PdfDocument(str(path))
    files = []
    try:
        for i, page in enumerate(pdf, 1):
            target = folder / f"{path.stem}-{i:02d}.png"
            _write_png(page.render(scale=scale).to_numpy(), target)
            files.append(target)
            page.close()
    finally:
        pdf.close()
    return files


def _write_png(pixels, target: Path) -> None:  # type: ignore[no-untyped-def]
    """A PDFium bitmap (BGR or BGRA rows, as numpy) saved through Qt, so no
    imaging library is needed."""
    import numpy as np
    from PySide6.QtGui import QImage

    height, width, channels = pixels.shape
    if channels == 3:
        pixels = np.concatenate([pixels, np.full((height, width, 1), 255, np.uint8)], axis=2)
    pixels = np.ascontiguousarray(pixels)
    image = QImage(pixels.data, width, height, width * 4, QImage.Format.Format_ARGB32)
    image.copy().save(str(target), "PNG")


def squeeze(text: str) -> str:
    """For comparing running text across line breaks: text extraction moves
    spaces around right-to-left runs and joins words hyphenated at a line end."""
    import re

    return re.sub(r"[\s\-]", "", normalise(text))
