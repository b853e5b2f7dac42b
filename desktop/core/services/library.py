"""Read-only views of the whole library: counts and article lists."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, func, select

from desktop.core import models as m
from desktop.core.errors import NotFoundError
from desktop.core.store import Store


@dataclass(frozen=True)
class LibraryInfo:
    path: str
    schema_version: str
    articles: int
    entities: int
    aliases: int
    mentions: int
    dossiers: int


@dataclass(frozen=True)
class ArticleSummary:
    id: int
    title: str
    publication: str
    date: str | None
    source: str
    sha256: str


@dataclass(frozen=True)
class ArticleDetail:
    id: int
    title: str
    publication: str
    author: str
    date: str | None
    url: str
    source: str
    format: str
    sha256: str
    imported_at: str
    body: str


def _count(session, model, *where) -> int:  # type: ignore[no-untyped-def]
    stmt = select(func.count()).select_from(model)
    for clause in where:
        stmt = stmt.where(clause)
    return int(session.exec(stmt).one())


def library_info(store: Store) -> LibraryInfo:
    with store.session() as session:
        return LibraryInfo(
            path=str(store.path),
            schema_version=store.schema_version(),
            articles=_count(session, m.Article),
            # Merged-away records are kept for undo but are not entities any more.
            entities=_count(session, m.Entity, col(m.Entity.merged_into_id).is_(None)),
            aliases=_count(session, m.Alias),
            mentions=_count(session, m.Mention),
            dossiers=_count(session, m.Dossier),
        )


def _source(article: m.Article) -> str:
    return article.url or article.source_path


def list_articles(store: Store) -> list[ArticleSummary]:
    """Every article, newest publication date first (undated last)."""
    with store.session() as session:
        rows = session.exec(
            select(m.Article).order_by(
                col(m.Article.published).is_(None),
                col(m.Article.published).desc(),
                col(m.Article.id),
            )
        ).all()
        return [
            ArticleSummary(
                id=a.id or 0,
                title=a.title,
                publication=a.publication,
                date=a.published.isoformat() if a.published else None,
                source=_source(a),
                sha256=a.sha256,
            )
            for a in rows
        ]


def get_article(store: Store, article_id: int) -> ArticleDetail:
    with store.session() as session:
        a = session.get(m.Article, article_id)
        if a is None:
            raise NotFoundError(f"no article with id {article_id}")
        return ArticleDetail(
            id=a.id or 0,
            title=a.title,
            publication=a.publication,
            author=a.author,
            date=a.published.isoformat() if a.published else None,
            url=a.url,
            source=_source(a),
            format=a.format,
            sha256=a.sha256,
            imported_at=a.imported_at.isoformat(timespec="seconds"),
            body=a.body,
        )


def search_articles(store: Store, query: str, limit: int = 200) -> list[int]:
    """Article ids matching a full-text query, best match first.

    The query is taken as words to find (all of them), not as FTS5 syntax, so a
    stray quote or hyphen in what the user typed cannot cause an error.
    """
    words = [w for w in query.replace('"', " ").split() if w]
    if not words:
        return []
    match = " ".join(f'"{w}"' for w in words)
    with store.session() as session:
        rows = session.connection().exec_driver_sql(
            "SELECT rowid FROM article_fts WHERE article_fts MATCH ? ORDER BY rank LIMIT ?",
            (match, limit),
        )
        return [int(r[0]) for r in rows]
