"""A relayout of the big lists (the window resized, a busy bar shown) asks
the Python model about the rows on screen, not about a thousand rows: each
call into the model costs microseconds, and Qt's default measuring of
"resize to contents" columns made every relayout a 100 ms stall at 10,000
articles."""

from __future__ import annotations

from desktop.core.services.browse import ArticleRow
from desktop.ui.panes import LibraryPane
from desktop.ui.tasks import TaskRunner

from .conftest import Library

ROWS = 5_000


def test_resizing_the_library_list_reads_only_the_rows_on_screen(
    qtbot, library: Library, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    pane = LibraryPane(library.store, TaskRunner(synchronous=True))
    qtbot.addWidget(pane)
    pane.resize(700, 500)
    pane.show()
    pane.model.set_articles(
        ArticleRow(i, f"Report {i}", "Daily Ledger", f"20{10 + i % 15}-01-02", i % 97, i % 5)
        for i in range(1, ROWS + 1)
    )
    qtbot.wait(50)
    rows_read: set[int] = set()
    real = pane.model.data

    def counting(index, role=0):  # type: ignore[no-untyped-def]
        rows_read.add(index.row())
        return real(index, role)

    monkeypatch.setattr(pane.model, "data", counting)
    pane.resize(900, 600)
    qtbot.wait(50)
    visible = pane.table.viewport().height() // pane.table.verticalHeader().defaultSectionSize()
    assert rows_read, "the relayout did not repaint the list"
    assert len(rows_read) <= 3 * visible + 10, (len(rows_read), visible)
