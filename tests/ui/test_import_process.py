"""Imports from the window run in a worker process: their Python work
(reading, extraction, linking against the whole library) never holds the
window's GIL."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.services import browse, pipeline
from desktop.core.store import Store
from desktop.ui.tasks import run_in_process

ARTICLE = (
    "Srinagar police said on Monday that Naji Zaheer, a spokesman for the Frontier "
    "Relief Trust, was questioned about funds sent to Muzaffarabad.\n"
)


def test_run_in_process_returns_the_result_and_raises_the_error() -> None:
    assert run_in_process(sorted, [3, 1, 2]) == [1, 2, 3]
    with pytest.raises(ValueError, match="invalid literal"):
        run_in_process(int, "not a number")


def test_window_import_runs_in_a_worker_process(  # type: ignore[no-untyped-def]
    make_window, store: Store, tmp_path: Path, qtbot, monkeypatch
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(2):
        (folder / f"a{n}.txt").write_text(f"Report {n}\n\n{ARTICLE}", encoding="utf-8")

    def not_here(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the import ran in the window's process")

    # Replaced in this process only: the worker process imports the real one.
    monkeypatch.setattr(pipeline, "import_and_extract", not_here)
    window = make_window(store, synchronous=False)
    assert window.importer.in_process
    progress: list[tuple[int, int]] = []
    window.importer._progress.advanced.connect(lambda d, t, _m: progress.append((d, t)))
    with qtbot.waitSignal(window.importer.finished, timeout=180_000) as finished:
        assert window.import_paths([folder])
    report, cancelled = finished.args
    assert not cancelled
    assert len(report.imported) == 2
    assert progress
    assert progress[-1][0] == progress[-1][1]
    qtbot.waitUntil(lambda: window.library.model.total() == 2, timeout=30_000)
    names = {e.name for e in browse.library_entities(store)}
    assert "Naji Zaheer" in names
    window.importer.summary.close()
    window.runner.wait()


def test_window_paste_runs_in_a_worker_process(  # type: ignore[no-untyped-def]
    make_window, store: Store, qtbot, monkeypatch
) -> None:
    def not_here(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the paste ran in the window's process")

    monkeypatch.setattr(pipeline, "paste_and_extract", not_here)
    window = make_window(store, synchronous=False)
    failed: list[str] = []
    window.importer.failed.connect(failed.append)
    dialog = window.importer.paste_as_article("Trust spokesman questioned\n" + ARTICLE)
    with qtbot.waitSignal(window.importer.pasted, timeout=180_000) as pasted:
        dialog.accept()
    assert failed == []
    article_id, created = pasted.args
    assert created
    # The headline stays the body's first line.
    body = browse.open_article(store, article_id).article.body
    assert body.startswith("Trust spokesman questioned\nSrinagar")
    assert "Naji Zaheer" in {e.name for e in browse.article_entities(store, article_id)}
    window.runner.wait()
