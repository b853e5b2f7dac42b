"""Storing articles: hashing, de-duplication, provenance."""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import select

from desktop.core import models as m
from desktop.core.errors import DossierDeskError
from desktop.core.ingest import RawArticle
from desktop.core.ingest.text import read_text
from desktop.core.store import Store

READERS = {".txt": "txt", ".md": "md"}


@dataclass
class ImportReport:
    imported: list[int] = field(default_factory=list)
    duplicates: list[dict[str, object]] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)


def store_article(store: Store, raw: RawArticle) -> tuple[int, bool]:
    """Save ``raw``; returns (article id, created). Same bytes -> the old id."""
    digest = hashlib.sha256(raw.original).hexdigest()
    with store.session() as session:
        existing = session.exec(select(m.Article).where(m.Article.sha256 == digest)).first()
        if existing is not None:
            return existing.id or 0, False
        article = m.Article(
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
        session.add(article)
        session.flush()
        return article.id or 0, True


def _files(paths: Iterable[Path]) -> Iterable[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file())
        else:
            yield path


ProgressCallback = Callable[[int, int, str], None]


def import_paths(
    store: Store,
    paths: Iterable[Path],
    *,
    progress: ProgressCallback | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> ImportReport:
    """Import files and folders (recursively).

    ``progress(done, total, path)`` is called after each file; ``should_cancel``
    is polled between files. Files already imported stay imported on cancel.
    """
    report = ImportReport()
    files = list(_files(paths))
    for done, path in enumerate(files, 1):
        if should_cancel is not None and should_cancel():
            break
        if progress is not None:
            progress(done, len(files), str(path))
        fmt = READERS.get(path.suffix.lower())
        if fmt is None:
            report.failed.append({"path": str(path), "error": f"{path}: unsupported file type"})
            continue
        try:
            raw = read_text(path.read_bytes(), str(path), fmt)
        except OSError as exc:
            report.failed.append({"path": str(path), "error": f"{path}: {exc.strerror}"})
            continue
        except DossierDeskError as exc:
            report.failed.append({"path": str(path), "error": str(exc)})
            continue
        article_id, created = store_article(store, raw)
        if created:
            report.imported.append(article_id)
        else:
            report.duplicates.append({"path": str(path), "id": article_id})
    return report


def import_text(
    store: Store, text: str, *, title: str = "", source: str = "clipboard"
) -> tuple[int, bool]:
    """Store pasted text as an article; returns (article id, created).

    Minimal version for the window's "Paste as article"; the ingest work
    replaces it with one that also strips page furniture.
    """
    raw = read_text(text.encode("utf-8"), source, "paste")
    if title.strip():
        raw.title = title.strip()
        stripped = text.strip()
        # The dialog's title usually repeats the first line: keep it out of the body.
        first, _, rest = stripped.partition("\n")
        raw.body = rest.strip() if first.strip() == raw.title and rest.strip() else stripped
    return store_article(store, raw)
