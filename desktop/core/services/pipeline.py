"""Import followed by entity extraction: what "add articles" means to a user.

The CLI's ``import``, the window's import and paste, and the first-run samples
all go through here, so a new article always arrives with its mentions found
and linked. Progress is reported as ``progress(done, total, message)`` with a
message ready to show, across both phases.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.core.services import ingest
from desktop.core.store import Store

if TYPE_CHECKING:
    # Imported where used: extraction pulls in spaCy, which the window should
    # not pay for at start-up.
    from desktop.core.services import extraction

Progress = Callable[[int, int, str], None]

log = logging.getLogger(__name__)


@dataclass
class ImportOutcome:
    report: ingest.ImportReport
    extraction: extraction.ExtractReport | None


def default_processes(count: int) -> int:
    """Worker processes for extracting ``count`` articles: two on a multi-core
    machine once a run is large enough to pay for starting them."""
    from desktop.core.services import extraction

    return 2 if (os.cpu_count() or 1) > 1 and count > extraction.BATCH else 1


def import_and_extract(
    store: Store,
    paths: Iterable[Path],
    *,
    progress: Progress | None = None,
    should_cancel: Callable[[], bool] | None = None,
    extract: bool = True,
    processes: int | None = None,
) -> ImportOutcome:
    """Import files and folders, then find and link the entities of the new
    articles. A cancel stops either phase; what is done stays done."""

    def import_progress(done: int, total: int, path: str) -> None:
        if progress is not None:
            progress(done, total, f"Importing {done} of {total}: {Path(path).name}")

    report = ingest.import_paths(
        store, paths, progress=import_progress, should_cancel=should_cancel
    )
    if not extract or not report.imported or (should_cancel is not None and should_cancel()):
        return ImportOutcome(report, None)
    return ImportOutcome(
        report, extract_new(store, report.imported, progress, should_cancel, processes)
    )


def extract_new(
    store: Store,
    article_ids: list[int],
    progress: Progress | None = None,
    should_cancel: Callable[[], bool] | None = None,
    processes: int | None = None,
) -> extraction.ExtractReport:
    from desktop.core.services import extraction

    total = len(article_ids)

    def extract_progress(done: int, _total: int, _title: str) -> None:
        if progress is not None:
            progress(done, total, f"Finding entities in {done} of {total} articles")

    if progress is not None:
        progress(0, total, f"Finding entities in {total} articles")
    report = extraction.extract_articles(
        store,
        article_ids,
        progress=extract_progress,
        should_cancel=should_cancel,
        processes=default_processes(total) if processes is None else processes,
    )
    log.info(
        "extract: %d articles, %d mentions, %d linked, %d suggested, %d new entities%s",
        report.articles,
        report.mentions,
        report.linked,
        report.suggested,
        report.new_entities,
        " (degraded)" if report.degraded else "",
    )
    return report


def paste_and_extract(
    store: Store, text: str, *, title: str = "", source: str = "clipboard"
) -> tuple[int, bool]:
    """Store pasted text as an article and link its entities; (id, created)."""
    from desktop.core.services import extraction

    article_id, created = ingest.import_text(store, text, title=title, source=source)
    if created:
        extraction.extract_articles(store, [article_id])
    return article_id, created
