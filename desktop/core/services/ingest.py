"""Importing articles: reading, de-duplication, provenance, batch reports.

Provenance: each article keeps its original bytes (zlib-compressed), their
SHA-256, where they came from (file path, ``message.eml#attachment.pdf``, or
"clipboard") and the import time. The same bytes imported again are a
duplicate: the existing article's id is reported and nothing is written. The
check is one lookup in the unique ``article.sha256`` index, so its cost does not
grow with the library.

Batch import goes file by file, one transaction per file: a bad file, a file
that vanished, a cancel or a crash half-way leaves every article imported so
far complete and nothing half-written.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from desktop.core import models as m
from desktop.core.errors import DossierDeskError, ServerError
from desktop.core.ingest import MAX_FILE_BYTES, RawArticle, TooLargeError
from desktop.core.ingest.readers import FORMATS, load_file, read_bytes, read_pasted
from desktop.core.logs import file_facts, private
from desktop.core.store import Store

# Files a folder import passes over silently: operating-system clutter, not
# something the user meant to import. A file named explicitly is always tried.
_IGNORED_NAMES = {"thumbs.db", "desktop.ini", ".ds_store"}

ProgressCallback = Callable[[int, int, str], None]
# Called after each file's transaction with what became of it, one dict per
# article or failure: {"event": "imported" | "duplicate", "path", "article_id"}
# or {"event": "failed", "path", "error"}.
EventCallback = Callable[[dict[str, object]], None]

log = logging.getLogger(__name__)


@dataclass
class ImportReport:
    imported: list[int] = field(default_factory=list)
    # Where each imported article came from (a file, or ``message.eml#part``).
    sources: dict[int, str] = field(default_factory=dict)
    duplicates: list[dict[str, object]] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)
    # True when should_cancel() stopped the batch; the files before stay imported.
    cancelled: bool = False
    # What the user must know beyond the counts (names cut at the cap).
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for people: "Imported 3 articles, 1 duplicate, 2 failed." """

        def count(n: int, word: str) -> str:
            return f"{n} {word}{'s' * (n != 1)}"

        text = (
            f"Imported {count(len(self.imported), 'article')}, "
            f"{count(len(self.duplicates), 'duplicate')}, {len(self.failed)} failed"
        )
        return text + (" (cancelled)." if self.cancelled else ".")

    def to_json(self) -> dict[str, object]:
        """The ``import --json`` shape."""
        return {"imported": self.imported, "duplicates": self.duplicates, "failed": self.failed}


def _article_row(raw: RawArticle, digest: str) -> m.Article:
    return m.Article(
        title=raw.title,
        publication=raw.publication,
        author=raw.author,
        published=raw.published,
        url=raw.url,
        source_path=raw.source_path,
        format=raw.format,
        language=raw.language,
        body=raw.body,
        original=zlib.compress(raw.original, 6),
        original_size=len(raw.original),
        sha256=digest,
        extra=json.dumps(raw.extra, ensure_ascii=False, default=str),
    )


def _existing_id(session: Session, digest: str) -> int | None:
    return session.exec(select(m.Article.id).where(m.Article.sha256 == digest)).first()


def _known_id(store: Store, data: bytes) -> int | None:
    with store.session() as session:
        return _existing_id(session, hashlib.sha256(data).hexdigest())


def _store_one(session: Session, raw: RawArticle) -> tuple[int, bool]:
    digest = hashlib.sha256(raw.original).hexdigest()
    existing = _existing_id(session, digest)
    if existing is not None:
        return existing, False
    article = _article_row(raw, digest)
    session.add(article)
    session.flush()
    return article.id or 0, True


def _store_all(store: Store, raw: RawArticle) -> list[tuple[str, int, bool]]:
    """Store ``raw`` and its attachments in one transaction:
    [(source, id, created)], the message first unless it has no body."""
    for attempt in (1, 2):
        out: list[tuple[str, int, bool]] = []
        try:
            with store.session() as session:
                if raw.body.strip():
                    out.append((raw.source_path, *_store_one(session, raw)))
                for att in raw.attachments:
                    if att.body.strip():
                        out.append((att.source_path, *_store_one(session, att)))
        except IntegrityError:
            # Another writer stored the same bytes between our lookup and our
            # insert (the transaction was rolled back); the retry finds them.
            if attempt == 2:
                raise
            continue
        return out
    raise AssertionError("unreachable")


def store_article(store: Store, raw: RawArticle) -> tuple[int, bool]:
    """Save ``raw`` (and any readable attachments it carries, as articles of
    their own); returns (article id, created) of ``raw``, or of its first
    attachment when ``raw`` itself has no body. Same bytes -> the old id."""
    results = _store_all(store, raw)
    if not results:
        raise DossierDeskError(f"{raw.source_path or 'article'}: nothing to store (empty body)")
    return results[0][1], results[0][2]


def import_text(
    store: Store, text: str, *, title: str = "", source: str = "clipboard"
) -> tuple[int, bool]:
    """Store pasted text as an article; returns (article id, created).

    Page furniture around the pasted article is dropped from the body (the
    original keeps it). Pasting the same text again returns the existing id.
    """
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_FILE_BYTES:
        raise TooLargeError(
            f"{source}: the pasted text is too large ({size / 1048576:.1f} MB; "
            f"the limit is {MAX_FILE_BYTES / 1048576:.1f} MB)"
        )
    article_id, created = store_article(store, read_pasted(text, title=title, source=source))
    log.info(
        "paste: %d chars -> article #%d (%s)",
        len(text),
        article_id,
        "new" if created else "duplicate",
    )
    return article_id, created


@dataclass(frozen=True)
class PastePreview:
    """What :func:`import_text` would store, for the "Paste as article" dialog
    to show (and let the user correct the title) before saving."""

    title: str
    author: str
    date: str | None
    body: str
    furniture_lines_dropped: int


def preview_text(text: str, *, title: str = "") -> PastePreview:
    """Clean pasted text without storing it. Raises IngestError if it is empty."""
    raw = read_pasted(text, title=title)
    dropped = raw.extra.get("furniture_lines_dropped", 0)
    return PastePreview(
        title=raw.title,
        author=raw.author,
        date=raw.published.isoformat() if raw.published else None,
        body=raw.body,
        furniture_lines_dropped=dropped if isinstance(dropped, int) else 0,
    )


def _walk(folder: Path) -> Iterator[Path]:
    """Files under ``folder``, sorted, skipping hidden ones and OS clutter.
    Symbolic links to folders are not followed (no loops)."""
    for root, dirs, files in os.walk(folder, onerror=None, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or name.casefold() in _IGNORED_NAMES:
                continue
            yield Path(root, name)


def collect_files(paths: Iterable[Path | str]) -> list[Path]:
    """Every file named in ``paths``, folders expanded recursively, in order,
    each once. Missing paths are kept so that the import reports them."""
    out: list[Path] = []
    seen: set[str] = set()
    for p in paths:
        path = Path(p)
        found = _walk(path) if path.is_dir() else [path]
        for f in found:
            key = os.path.normcase(os.path.abspath(f))
            if key not in seen:
                seen.add(key)
                out.append(f)
    return out


def import_paths(
    store: Store,
    paths: Iterable[Path | str],
    *,
    progress: ProgressCallback | None = None,
    should_cancel: Callable[[], bool] | None = None,
    on_event: EventCallback | None = None,
) -> ImportReport:
    """Import files and folders (recursively).

    ``progress(done, total, path)`` is called after each file, and
    ``on_event`` once per article or failure of that file, after its commit;
    ``should_cancel`` is polled before each file. Files already imported stay
    imported on cancel or crash, and importing the same files again adds
    nothing twice (they are duplicates by their SHA-256).
    In a folder, files whose type we cannot read are reported as failed with
    the list of supported types, except hidden files and OS clutter
    (Thumbs.db, desktop.ini), which are passed over.
    """
    t0 = time.perf_counter()
    report = ImportReport()
    paths = [Path(p) for p in paths]
    missing = {p for p in paths if not p.exists() and not p.is_symlink()}
    files = collect_files(paths)
    # File names can identify a source or a case: the log gets extensions.
    kinds = Counter(f.suffix.lower() or "(none)" for f in files)
    log.info("import: %d files (%s)", len(files), ", ".join(f"{k} x {n}" for k, n in kinds.items()))
    for done, path in enumerate(files, 1):
        if should_cancel is not None and should_cancel():
            report.cancelled = True
            break
        marks = (len(report.imported), len(report.duplicates), len(report.failed))
        if path in missing:
            log.info("import: file %d (%s) is missing", done, file_facts(path))
            report.failed.append({"path": str(path), "error": f"{path}: no such file or folder"})
        else:
            try:
                _import_file(store, path, report)
            except ServerError:
                # A team library's server went away: every further file would
                # fail the same way. What was committed stays; a re-run of the
                # same import skips it and finishes the rest.
                raise
            except DossierDeskError as exc:
                log.info("import: file %d (%s) failed: %s", done, file_facts(path), private(exc))
                report.failed.append({"path": str(path), "error": str(exc)})
        if on_event is not None:
            _emit(on_event, report, *marks)
        if progress is not None:
            progress(done, len(files), str(path))
    log.info(
        "import: %d imported, %d duplicates, %d failed%s in %.2f s",
        len(report.imported),
        len(report.duplicates),
        len(report.failed),
        " (cancelled)" if report.cancelled else "",
        time.perf_counter() - t0,
    )
    return report


def _emit(
    on_event: EventCallback, report: ImportReport, n_imp: int, n_dup: int, n_fail: int
) -> None:
    """Tell ``on_event`` what the last file added to ``report``."""
    for article_id in report.imported[n_imp:]:
        path = report.sources.get(article_id, "")
        on_event({"event": "imported", "path": path, "article_id": article_id})
    for dup in report.duplicates[n_dup:]:
        on_event({"event": "duplicate", "path": dup["path"], "article_id": dup["id"]})
    for fail in report.failed[n_fail:]:
        on_event({"event": "failed", "path": fail["path"], "error": fail["error"]})


def _import_file(store: Store, path: Path, report: ImportReport) -> None:
    data, fmt = load_file(path)
    # Bytes already in the library are a duplicate, known without parsing the
    # file again: re-importing a folder stays fast.
    known = _known_id(store, data)
    if known is not None:
        report.duplicates.append({"path": str(path), "id": known})
        return
    raw = read_bytes(data, str(path), fmt)
    for source, article_id, created in _store_all(store, raw):
        if created:
            report.imported.append(article_id)
            report.sources[article_id] = source
        else:
            report.duplicates.append({"path": source, "id": article_id})
    errors = raw.extra.get("attachment_errors")
    for error in errors if isinstance(errors, list) else []:
        report.failed.append({"path": str(path), "error": str(error)})


def supported_extensions() -> list[str]:
    """File name endings the import reads, for file dialogs."""
    return sorted(FORMATS)
