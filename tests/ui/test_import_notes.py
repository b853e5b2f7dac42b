"""The import summary tells what the counts do not: an article whose names
were cut at the 20,000-candidate cap (issue 13)."""

from __future__ import annotations

import pytest

from desktop.core.services.extraction import capped_message
from desktop.core.services.ingest import ImportReport

pytestmark = pytest.mark.qt


def test_the_summary_shows_the_cap_note(qtbot) -> None:
    from desktop.ui.importing import ImportSummaryDialog

    report = ImportReport(imported=[4], notes=[capped_message([4])])
    dialog = ImportSummaryDialog(report, False, None)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.notes.isVisible()
    assert "1 article (4) held more than 20,000 possible names" in dialog.notes.text()


def test_no_note_no_label(qtbot) -> None:
    from desktop.ui.importing import ImportSummaryDialog

    dialog = ImportSummaryDialog(ImportReport(imported=[1]), False, None)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.notes.isVisible()
