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

from sqlmodel import col, select

from desktop.core import models as m
from desktop.core.errors import DatabaseError
from desktop.core.services import ingest
from desktop.core.store import Store, attach_store

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
    on_event: ingest.EventCallback | None = None,
) -> ImportOutcome:
    """Import files and folders, then find and link the entities of the new
    articles. A cancel stops either phase; what is done stays done.

    Running it again after an interruption (a cancel, a crash, a kill) finishes
    the job: the files stored before are duplicates, and those of them still
    without mentions (stopped between the two phases) are extracted now.
    ``on_event`` gets the import's events (see ``ingest.import_paths``) and
    ``{"event": "extracted", "article_id", "mentions"}`` after each article's
    extraction is committed.
    """

    def import_progress(done: int, total: int, path: str) -> None:
        if progress is not None:
            progress(done, total, f"Importing {done} of {total}: {Path(path).name}")

    report = ingest.import_paths(
        store, paths, progress=import_progress, should_cancel=should_cancel, on_event=on_event
    )
    if not extract or (should_cancel is not None and should_cancel()):
        return ImportOutcome(report, None)
    seen = [int(str(d["id"])) for d in report.duplicates]
    # In id order, which is import order: the articles are then linked in the
    # order an uninterrupted run would have linked them, with the same result.
    pending = sorted({*report.imported, *_without_mentions(store, seen)})
    if not pending:
        return ImportOutcome(report, None)
    try:
        extracted = extract_new(store, pending, progress, should_cancel, processes, on_event)
    except DatabaseError as exc:
        # A full disk in the middle: the imported articles are there and the
        # report says so (a second run extracts the rest, see above).
        report.failed.append(
            {
                "path": str(store.path),
                "error": f"{exc}; finding entities stopped, "
                "run the import again once this is solved to finish it",
            }
        )
        return ImportOutcome(report, None)
    if extracted.capped:
        report.notes.append(extracted.capped_message())
    return ImportOutcome(report, extracted)


def import_into(
    db: Path,
    passphrase: str | None,
    paths: list[Path],
    *,
    progress: Progress | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> ingest.ImportReport:
    """:func:`import_and_extract` for a worker process the window starts: the
    database is the one the window has open (see ``store.attach_store``)."""
    store = attach_store(db, passphrase)
    try:
        return import_and_extract(
            store, paths, progress=progress, should_cancel=should_cancel
        ).report
    finally:
        store.close()


def paste_into(
    db: Path, passphrase: str | None, text: str, title: str, source: str
) -> tuple[int, bool]:
    """:func:`paste_and_extract` for a worker process the window starts."""
    store = attach_store(db, passphrase)
    try:
        return paste_and_extract(store, text, title=title, source=source)
    finally:
        store.close()


def _without_mentions(store: Store, article_ids: list[int]) -> list[int]:
    """Those of ``article_ids`` (in order, once each) that have no mention at all."""
    if not article_ids:
        return []
    with store.session() as session:
        with_mentions = set(
            session.exec(
                select(m.Mention.article_id)
                .where(col(m.Mention.article_id).in_(article_ids))
                .distinct()
            ).all()
        )
    return [a for a in dict.fromkeys(article_ids) if a not in with_mentions]


def extract_new(
    store: Store,
    article_ids: list[int],
    progress: Progress | None = None,
    should_cancel: Callable[[], bool] | None = None,
    processes: int | None = None,
    on_event: ingest.EventCallback | None = None,
) -> extraction.ExtractReport:
    from desktop.core.services import extraction

    total = len(article_ids)

    def extract_progress(done: int, _total: int, _title: str) -> None:
        if progress is not None:
            progress(done, total, f"Finding entities in {done} of {total} articles")

    def extracted(article_id: int, mentions: int) -> None:
        if on_event is not None:
            on_event({"event": "extracted", "article_id": article_id, "mentions": mentions})

    if progress is not None:
        progress(0, total, f"Finding entities in {total} articles")
    report = extraction.extract_articles(
        store,
        article_ids,
        progress=extract_progress,
        should_cancel=should_cancel,
        processes=default_processes(total) if processes is None else processes,
        on_article=extracted,
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
    # Pasted before, but the extraction never finished (a crash): do it now.
    if created or _without_mentions(store, [article_id]):
        extraction.extract_articles(store, [article_id])
    return article_id, created
