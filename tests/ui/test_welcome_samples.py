"""An empty database opened with --db: the welcome page offers the samples."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6.QtWidgets")  # the core-only run blocks Qt
from PySide6.QtCore import Qt

from desktop.core.services import library
from desktop.resources import samples_dir

pytestmark = [pytest.mark.gui, pytest.mark.slow]


def test_welcome_page_loads_the_samples(make_window, store, qtbot):  # type: ignore[no-untyped-def]
    window = make_window(store)
    window.show()
    assert window.center.currentWidget() is window.welcome
    button = window.welcome.samples_button
    assert button.isVisible()
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    expected = len(list(samples_dir().iterdir()))
    qtbot.waitUntil(lambda: library.library_info(store).articles == expected, timeout=60_000)
    # The first sample opens, as after any import from the welcome page.
    qtbot.waitUntil(lambda: window.center.currentWidget() is not window.welcome, timeout=10_000)
    window.importer.summary.close()
