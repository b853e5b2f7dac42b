"""Themes, stylesheet and icons are plain files filled from theme variables."""

from __future__ import annotations

import pytest

# The Qt-free run (PySide6 blocked) skips these instead of failing to import them.
pytest.importorskip("PySide6")

from desktop.resources import resource_path
from desktop.ui import theme


def test_stylesheets_have_every_variable_filled(qapp) -> None:  # type: ignore[no-untyped-def]
    for t in theme.THEMES.values():
        qss = theme.stylesheet(t)
        assert "${" not in qss
        assert t.base in qss


def test_every_icon_renders_in_both_themes(qapp) -> None:  # type: ignore[no-untyped-def]
    names = sorted(p.stem for p in resource_path("icons").glob("*.svg"))
    assert {"import", "paste", "undo", "redo", "person", "organisation", "place"} <= set(names)
    for t in theme.THEMES.values():
        for name in names:
            icon = theme.icon(name, t)
            image = icon.pixmap(32, 32).toImage()
            assert not icon.isNull()
            # Something was drawn: at least one pixel is not transparent.
            assert any(
                image.pixelColor(x, y).alpha() > 0 for x in range(0, 32, 2) for y in range(0, 32, 2)
            ), name


def test_mention_colours_differ_by_type_and_theme() -> None:
    for t in theme.THEMES.values():
        assert len({strong for strong, _fill in t.mention.values()}) == 4
    assert theme.LIGHT.mention["PER"] != theme.DARK.mention["PER"]
