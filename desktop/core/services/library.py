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
            path=store.location,
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

    The query is taken as words to find (all of them), not as search syntax, so a
    stray quote or hyphen in what the user typed cannot cause an error.
    """
    words = [w for w in query.replace('"', " ").split() if w]
    if not words:
        return []
    with store.session() as session:
        return store.backend.search_articles(session.connection(), words, limit)


@dataclass(frozen=True)
class AliasInfo:
    name: str
    kind: str


@dataclass(frozen=True)
class EntitySummary:
    """The ``entities --json`` shape."""

    id: int
    name: str
    type: str
    aliases: list[AliasInfo]
    mentions: int
    articles: int


@dataclass(frozen=True)
class MentionInfo:
    """The ``mentions ARTICLE_ID --json`` shape."""

    id: int
    start: int
    end: int
    text: str
    type: str
    entity_id: int | None
    entity_name: str | None
    method: str
    status: str
    confidence: float


def list_entities(store: Store, entity_ids: list[int] | None = None) -> list[EntitySummary]:
    """Live entities (not merged away) with aliases and mention/article counts,
    most mentioned first. ``entity_ids`` restricts the list."""
    with store.session() as session:
        stmt = select(m.Entity).where(col(m.Entity.merged_into_id).is_(None))
        if entity_ids is not None:
            stmt = stmt.where(col(m.Entity.id).in_(entity_ids))
        entities = session.exec(stmt).all()
        ids = [e.id for e in entities]
        aliases: dict[int, list[AliasInfo]] = {}
        for a in session.exec(
            select(m.Alias).where(col(m.Alias.entity_id).in_(ids)).order_by(col(m.Alias.id))
        ).all():
            aliases.setdefault(a.entity_id, []).append(AliasInfo(a.name, a.kind))
        counts = {
            row[0]: (int(row[1]), int(row[2]))
            for row in session.exec(
                select(
                    m.Mention.entity_id,
                    func.count(),
                    func.count(func.distinct(m.Mention.article_id)),
                )
                .where(col(m.Mention.entity_id).in_(ids))
                .where(m.Mention.status != m.MentionStatus.REJECTED)
                .group_by(m.Mention.entity_id)
            ).all()
        }
        out = [
            EntitySummary(
                id=e.id or 0,
                name=e.name,
                type=e.type,
                aliases=aliases.get(e.id or 0, []),
                mentions=counts.get(e.id or 0, (0, 0))[0],
                articles=counts.get(e.id or 0, (0, 0))[1],
            )
            for e in entities
        ]
        out.sort(key=lambda s: (-s.mentions, s.name.casefold(), s.id))
        return out


def article_mentions(store: Store, article_id: int) -> list[MentionInfo]:
    """Every mention in one article, in text order (rejected ones included, so
    the window can show what the user turned down)."""
    # Columns, not ORM objects: the window opens articles with hundreds of
    # mentions, and building a tracked instance per mention cost most of it.
    mention = m.Mention
    with store.session() as session:
        found = session.exec(select(m.Article.id).where(m.Article.id == article_id)).first()
        if found is None:
            raise NotFoundError(f"no article with id {article_id}")
        rows = session.exec(
            select(
                mention.id,
                mention.start,
                mention.end,
                mention.text,
                mention.type,
                mention.entity_id,
                m.Entity.name,
                mention.method,
                mention.status,
                mention.confidence,
            )
            .join(m.Entity, col(mention.entity_id) == col(m.Entity.id), isouter=True)
            .where(mention.article_id == article_id)
            .order_by(col(mention.start), col(mention.end))
        ).all()
        return [
            MentionInfo(
                id=mid or 0,
                start=start,
                end=end,
                text=text,
                type=kind,
                entity_id=entity_id,
                entity_name=name,
                method=method,
                status=status,
                confidence=confidence,
            )
            for mid, start, end, text, kind, entity_id, name, method, status, confidence in rows
        ]
