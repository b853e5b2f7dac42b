"""Help > About: version, database, schema version and the components' licences."""

from __future__ import annotations

import importlib.metadata as md
from pathlib import Path

from PySide6.QtWidgets import QApplication

from desktop import __version__
from desktop.core.store import Store, head_revision
from desktop.licences import PACKAGES, components, licence_name, licence_text
from desktop.ui.about import NO_LICENCE_FILE, OWN_LICENCE, AboutDialog


def _open_about(window):  # type: ignore[no-untyped-def]
    window.act_about.trigger()
    dialog = window.about_dialog
    assert isinstance(dialog, AboutDialog)
    assert dialog.isVisible()
    return dialog


def _row(dialog: AboutDialog, name: str) -> list[str]:
    table = dialog.table
    for row in range(table.rowCount()):
        if table.item(row, 0).text() == name:
            return [table.item(row, col).text() for col in range(table.columnCount())]
    raise AssertionError(f"{name} not in the licence table")


def test_about_shows_version_database_and_schema(make_window, store: Store) -> None:  # type: ignore[no-untyped-def]
    window = make_window(store)
    dialog = _open_about(window)
    assert dialog.facts["Version"] == __version__
    assert dialog.facts["Database"] == str(store.path)
    assert dialog.facts["Schema version"] == head_revision() == store.schema_version()
    assert "dossier-desk" in dialog.facts["Data folder"]
    assert dialog.windowTitle() == "About Dossier Desk"
    dialog.close()


def test_about_lists_bundled_licences_from_metadata(make_window, store: Store) -> None:  # type: ignore[no-untyped-def]
    window = make_window(store)
    dialog = _open_about(window)
    qt = _row(dialog, "Qt 6 and Qt for Python")
    assert qt[1] == md.version("PySide6-Essentials")
    assert "LGPL-3.0" in qt[2]
    assert _row(dialog, "spaCy")[2] == "MIT"
    model = _row(dialog, "en_core_web_sm model")
    assert model[1:3] == ["3.8.0", "MIT"]
    assert _row(dialog, "Trafilatura")[2] == "Apache-2.0"
    assert _row(dialog, "pycountry")[2] == "LGPL-2.1-only"
    assert _row(dialog, "Noto Naskh Arabic")[2] == "OFL-1.1"
    # Every component is listed, Python and the font included.
    assert dialog.table.rowCount() == len(PACKAGES) + 2

    # Selecting a component shows its licence text from its metadata folder.
    row = [c.name for c in dialog.components].index("spaCy")
    dialog.table.selectRow(row)
    assert "Permission is hereby granted" in dialog.licence_view.toPlainText()
    # Qt for Python ships no licence file: the box says which licence applies.
    dialog.table.selectRow([c.name for c in dialog.components].index("Qt 6 and Qt for Python"))
    assert dialog.licence_view.toPlainText() == NO_LICENCE_FILE.format(licence=qt[2])
    dialog.table.selectRow(0)
    assert dialog.licence_view.toPlainText() == OWN_LICENCE.format(licence="GPL-3.0-or-later")
    dialog.close()


def test_about_screenshot(make_window, store: Store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(store)
    dialog = _open_about(window)
    dialog.table.selectRow(3)
    QApplication.processEvents()
    shot = tmp_path / "about.png"
    assert dialog.grab().save(str(shot))
    assert shot.stat().st_size > 10_000
    dialog.close()


def test_licence_names_prefer_the_most_precise_metadata() -> None:
    class Meta(dict):  # the two methods PackageMetadata offers that we use
        def get_all(self, key: str) -> list[str] | None:
            value = self.get(key)
            return value if isinstance(value, list) else None

    assert licence_name(Meta({"License-Expression": "MIT", "License": "BSD"}), "X") == "MIT"
    assert licence_name(Meta({"License": "BSD-3-Clause"}), "X") == "BSD-3-Clause"
    # A pasted licence text, a bare "BSD" or "The BSD 2-Clause License" say less
    # than a precise classifier or the fallback.
    pasted = "Copyright (c) 2005, Someone.\nAll rights reserved."
    mit = "License :: OSI Approved :: MIT License"
    assert licence_name(Meta({"License": pasted, "Classifier": [mit]}), "X") == "MIT"
    bsd = "License :: OSI Approved :: BSD License"
    assert licence_name(Meta({"License": "BSD", "Classifier": [bsd]}), "BSD-3-Clause") == (
        "BSD-3-Clause"
    )
    assert licence_name(Meta({"License": "The BSD 2-Clause License"}), "BSD-2-Clause") == (
        "BSD-2-Clause"
    )
    assert licence_name(Meta({}), "OFL-1.1") == "OFL-1.1"


def test_every_listed_package_has_metadata_and_licence_text() -> None:
    listed = {c.name: c for c in components()}
    for dist, name, _purpose, _fallback in PACKAGES:
        md.distribution(dist)  # raises if a listed package is not installed
        component = listed[name]
        assert component.version != "?"
        # The packages that carry no licence file in their metadata today.
        if dist not in {"dossier-desk", "PySide6-Essentials", "shiboken6"}:
            assert licence_text(component).strip(), f"{name}: no licence text found"
    assert "SIL OPEN FONT LICENSE" in licence_text(listed["Noto Naskh Arabic"]).upper()
