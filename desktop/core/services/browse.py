"""Read-only queries behind the window's views, plus the small edits the profile
pane makes (description and notes).

Everything here returns plain dataclasses. The queries are written for a large
library (10,000 articles, 100,000 entities): one grouped SQL statement per
view instead of a query per row, and text around mentions cut out by SQLite
(``substr``) rather than loading whole article bodies.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from sqlalchemy import bindparam
from sqlalchemy import text as sa_text
from sqlmodel import Session

from desktop.core import models as m
from desktop.core.errors import NotFoundError, StaleEditError
from desktop.core.services.library import (
    ArticleDetail,
    MentionInfo,
    article_mentions,
    get_article,
)
from desktop.core.store import Store

# Mentions the user turned down are kept (so the window can show them) but
# never count as evidence for an entity.
_LIVE = "m.status != 'rejected'"
# Portable to both backends (SQLite would take SUM(m.status = 'suggested')).
_SUGGESTED = "SUM(CASE WHEN m.status = 'suggested' THEN 1 ELSE 0 END)"
# Alias names are joined with a separator no name contains, so a filter string
# never matches across two names.
_SEP = "\x1f"
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class ArticleRow:
    """One line of the library table."""

    id: int
    title: str
    publication: str
    date: str | None
    entities: int
    unconfirmed: int


def article_rows(store: Store) -> list[ArticleRow]:
    """Every article with its number of distinct linked entities and of mentions
    still waiting for a decision, in import order (the window sorts)."""
    sql = f"""
        SELECT a.id, a.title, a.publication, a.published,
               COALESCE(c.entities, 0), COALESCE(c.unconfirmed, 0)
        FROM article a
        LEFT JOIN (
            SELECT m.article_id,
                   COUNT(DISTINCT m.entity_id) AS entities,
                   {_SUGGESTED} AS unconfirmed
            FROM mention m WHERE {_LIVE} GROUP BY m.article_id
        ) c ON c.article_id = a.id
        ORDER BY a.id
    """
    with store.session() as s:
        rows = s.connection().execute(sa_text(sql)).all()
    return [
        ArticleRow(int(r[0]), r[1], r[2], str(r[3]) if r[3] else None, int(r[4]), int(r[5]))
        for r in rows
    ]


def articles_mentioning(store: Store, entity_id: int) -> set[int]:
    """Ids of the articles where the entity is mentioned (not rejected)."""
    with store.session() as s:
        rows = s.connection().execute(
            sa_text(
                f"SELECT DISTINCT m.article_id FROM mention m WHERE m.entity_id = :e AND {_LIVE}"
            ),
            {"e": entity_id},
        )
        return {int(r[0]) for r in rows}


@dataclass(frozen=True)
class ArticleView:
    """What the article pane shows: the article and its mentions in text order."""

    article: ArticleDetail
    mentions: list[MentionInfo]


def open_article(store: Store, article_id: int) -> ArticleView:
    return ArticleView(get_article(store, article_id), article_mentions(store, article_id))


@dataclass(frozen=True)
class SidebarEntity:
    """One entity in the sidebar: counts for the current scope (an article or the
    whole library) and the lower-cased names it can be found by."""

    id: int
    name: str
    type: str
    mentions: int
    unconfirmed: int
    search_text: str = field(repr=False, default="")
    # Filled by find_entities only (the sidebar does not show them).
    aliases: tuple[str, ...] = ()


def _sidebar(
    store: Store, s: Session, where: str, params: dict[str, object]
) -> list[SidebarEntity]:
    sql = f"""
        SELECT e.id, e.name, e.type, c.n, c.unconfirmed,
               (SELECT {store.backend.string_agg("al.name", ":sep")} FROM alias al
                WHERE al.entity_id = e.id)
        FROM entity e
        JOIN (
            SELECT m.entity_id, COUNT(*) AS n, {_SUGGESTED} AS unconfirmed
            FROM mention m WHERE m.entity_id IS NOT NULL AND {_LIVE} {where}
            GROUP BY m.entity_id
        ) c ON c.entity_id = e.id
        WHERE e.merged_into_id IS NULL
        ORDER BY c.n DESC, e.name
    """
    rows = s.connection().execute(sa_text(sql), {**params, "sep": _SEP}).all()
    return [
        SidebarEntity(
            int(r[0]),
            r[1],
            r[2],
            int(r[3]),
            int(r[4] or 0),
            (r[1] + "\x1f" + (r[5] or "")).casefold(),
        )
        for r in rows
    ]


def article_entities(store: Store, article_id: int) -> list[SidebarEntity]:
    """The entities linked in one article, most mentioned first."""
    with store.session() as s:
        return _sidebar(store, s, "AND m.article_id = :a", {"a": article_id})


def library_entities(store: Store) -> list[SidebarEntity]:
    """Every live entity of the library, with its counts over all articles.

    Entities with no mention at all are listed too (count 0): a user may have
    created them by hand, or their mentions were unlinked.
    """
    sql = f"""
        SELECT e.id, e.name, e.type, COALESCE(c.n, 0), COALESCE(c.unconfirmed, 0), al.names
        FROM entity e
        LEFT JOIN (
            SELECT m.entity_id, COUNT(*) AS n, {_SUGGESTED} AS unconfirmed
            FROM mention m WHERE m.entity_id IS NOT NULL AND {_LIVE}
            GROUP BY m.entity_id
        ) c ON c.entity_id = e.id
        LEFT JOIN (
            SELECT entity_id, {store.backend.string_agg("name", ":sep")} AS names
            FROM alias GROUP BY entity_id
        ) al ON al.entity_id = e.id
        WHERE e.merged_into_id IS NULL
        ORDER BY 4 DESC, e.name
    """
    with store.session() as s:
        rows = s.connection().execute(sa_text(sql), {"sep": _SEP}).all()
    return [
        SidebarEntity(
            int(r[0]), r[1], r[2], int(r[3]), int(r[4]), (r[1] + "\x1f" + (r[5] or "")).casefold()
        )
        for r in rows
    ]


def search_article_ids(store: Store, query: str) -> set[int]:
    """Every article matching all the words of ``query`` (full-text index),
    unranked: the library table sorts by its own columns, so ranking ten
    thousand hits would be wasted work. Quotes in the query are not syntax."""
    words = [w for w in query.replace('"', " ").split() if w]
    if not words:
        return set()
    with store.session() as s:
        return set(store.backend.search_articles(s.connection(), words, None))


def filter_entities(entities: list[SidebarEntity], text: str) -> list[SidebarEntity]:
    """The entities whose name or an alias contains every word of ``text``
    (case-insensitive); the order is kept."""
    words = text.casefold().split()
    if not words:
        return entities
    if len(words) == 1:
        w = words[0]
        return [e for e in entities if w in e.search_text]
    return [e for e in entities if all(w in e.search_text for w in words)]


def find_entities(store: Store, text: str, *, limit: int = 50) -> list[SidebarEntity]:
    """Type-ahead search over entity names and aliases (for "link to entity"):
    every word of ``text`` must occur in the name or an alias. Names that start
    with the text come first, then the most mentioned.

    At most 400 candidates are ranked, so a one- or two-letter query in a huge
    library answers quickly with a sample; each further letter narrows it.
    SQLite's LIKE folds case for ASCII letters only."""
    words = text.casefold().split()
    if not words:
        return []
    like = "%" + words[0].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    like_ci = store.backend.like_ci
    with store.session() as s:
        conn = s.connection()
        ids = [
            int(r[0])
            for r in conn.execute(
                sa_text(
                    "SELECT e.id FROM entity e WHERE e.merged_into_id IS NULL AND e.id IN ("
                    f"  SELECT * FROM (SELECT entity_id FROM alias WHERE name {like_ci} :like"
                    "                 ESCAPE '\\' LIMIT 400) al"
                    f"  UNION SELECT * FROM (SELECT id FROM entity WHERE name {like_ci} :like"
                    "                       ESCAPE '\\' LIMIT 400) en)"
                ),
                {"like": like},
            )
        ]
        if not ids:
            return []
        query = sa_text(
            f"""
            SELECT e.id, e.name, e.type, COALESCE(c.n, 0), COALESCE(c.unconfirmed, 0),
                   (SELECT {store.backend.string_agg("al.name", ":sep")} FROM alias al
                    WHERE al.entity_id = e.id)
            FROM entity e
            LEFT JOIN (
                SELECT m.entity_id, COUNT(*) AS n, {_SUGGESTED} AS unconfirmed
                FROM mention m WHERE m.entity_id IN :ids AND {_LIVE}
                GROUP BY m.entity_id
            ) c ON c.entity_id = e.id
            WHERE e.id IN :ids
            """
        ).bindparams(bindparam("ids", expanding=True))
        rows = conn.execute(query, {"ids": ids, "sep": _SEP}).all()
    found = [
        SidebarEntity(
            int(r[0]),
            r[1],
            r[2],
            int(r[3]),
            int(r[4]),
            (r[1] + "\x1f" + (r[5] or "")).casefold(),
            tuple(a for a in (r[5] or "").split("\x1f") if a and a != r[1]),
        )
        for r in rows
    ]
    found = filter_entities(found, text)
    first = words[0]
    found.sort(key=lambda e: (not e.name.casefold().startswith(first), -e.mentions, e.name))
    return found[:limit]


@dataclass(frozen=True)
class AliasRow:
    id: int
    name: str
    kind: str
    origin: str
    confirmed: bool


@dataclass(frozen=True)
class KwicRow:
    """A mention in context: ``left`` + ``text`` + ``right`` as in the article."""

    mention_id: int
    article_id: int
    article_title: str
    date: str | None
    start: int
    end: int
    left: str
    text: str
    right: str
    status: str


@dataclass(frozen=True)
class CoMention:
    entity_id: int
    name: str
    type: str
    articles: int


@dataclass(frozen=True)
class RelationRow:
    id: int
    subject_id: int
    subject: str
    predicate: str
    object_id: int
    object: str
    note: str
    # The cited mention, as "“text” in article title"; empty when none.
    evidence: str = ""
    evidence_mention_id: int | None = None


@dataclass(frozen=True)
class EntityProfile:
    id: int
    name: str
    type: str
    description: str
    notes: str
    aliases: list[AliasRow]
    mentions: list[KwicRow]
    co_mentions: list[CoMention]
    relations: list[RelationRow]
    # True when more mentions exist than ``mentions`` holds.
    mentions_truncated: bool = False
    # What an edit made from this view passes back (a stale one is refused),
    # and who changed the entity last.
    version: int = 0
    updated_by: str = ""


def _context(text: str) -> str:
    # Line breaks become spaces; the space next to the mention is kept.
    return _SPACES.sub(" ", text)


def entity_profile(
    store: Store, entity_id: int, *, context: int = 60, mention_limit: int = 2000
) -> EntityProfile:
    """Everything the profile pane shows about one entity.

    A merged-away id resolves to the entity it was merged into, so an old
    reference (a link in a note, a stale view) still shows something true.
    """
    with store.session() as s:
        entity = s.get(m.Entity, entity_id)
        seen = set()
        while entity is not None and entity.merged_into_id is not None:
            if entity.id in seen:  # a cycle would be a resolver bug; stop rather than hang
                break
            seen.add(entity.id)
            entity = s.get(m.Entity, entity.merged_into_id)
        if entity is None:
            raise NotFoundError(f"no entity with id {entity_id}")
        eid = entity.id or 0
        conn = s.connection()
        aliases = [
            AliasRow(int(r[0]), r[1], r[2], r[3], bool(r[4]))
            for r in conn.execute(
                sa_text(
                    "SELECT id, name, kind, origin, confirmed FROM alias "
                    "WHERE entity_id = :e ORDER BY kind != 'name', name"
                ),
                {"e": eid},
            )
        ]
        # substr counts characters on both backends, as Python does, so the
        # offsets agree. CASE rather than SQLite's two-argument max/min.
        kwic_sql = f"""
            SELECT m.id, a.id, a.title, a.published, m.start, m."end",
                   substr(a.body,
                          CASE WHEN m.start - :c + 1 > 1 THEN m.start - :c + 1 ELSE 1 END,
                          CASE WHEN m.start < :c THEN m.start ELSE :c END),
                   m.text,
                   substr(a.body, m."end" + 1, :c),
                   m.status
            FROM mention m JOIN article a ON a.id = m.article_id
            WHERE m.entity_id = :e AND {_LIVE}
            ORDER BY a.published IS NULL, a.published DESC, a.id, m.start
            LIMIT :n
        """
        params = {"c": context, "e": eid, "n": mention_limit + 1}
        rows = conn.execute(sa_text(kwic_sql), params).all()
        mentions = [
            KwicRow(
                int(r[0]),
                int(r[1]),
                r[2],
                str(r[3]) if r[3] else None,
                int(r[4]),
                int(r[5]),
                _context(r[6] or ""),
                r[7],
                _context(r[8] or ""),
                r[9],
            )
            for r in rows[:mention_limit]
        ]
        co_sql = f"""
            SELECT e.id, e.name, e.type, COUNT(DISTINCT o.article_id) AS n
            FROM (SELECT DISTINCT m.article_id FROM mention m
                  WHERE m.entity_id = :e AND {_LIVE}) mine
            JOIN mention o ON o.article_id = mine.article_id
            JOIN entity e ON e.id = o.entity_id
            WHERE o.entity_id != :e AND o.status != 'rejected' AND e.merged_into_id IS NULL
            GROUP BY e.id ORDER BY n DESC, e.name LIMIT 100
        """
        co = [
            CoMention(int(r[0]), r[1], r[2], int(r[3]))
            for r in conn.execute(sa_text(co_sql), {"e": eid})
        ]
        rel_sql = """
            SELECT r.id, r.subject_id, s.name, r.predicate, r.object_id, o.name, r.note,
                   r.evidence_mention_id, m.text, a.title
            FROM relation r JOIN entity s ON s.id = r.subject_id
            JOIN entity o ON o.id = r.object_id
            LEFT JOIN mention m ON m.id = r.evidence_mention_id
            LEFT JOIN article a ON a.id = m.article_id
            WHERE r.subject_id = :e OR r.object_id = :e ORDER BY r.id
        """
        relations = [
            RelationRow(
                int(r[0]),
                int(r[1]),
                r[2],
                r[3],
                int(r[4]),
                r[5],
                r[6],
                f"“{r[8]}” in {r[9] or '(untitled)'}" if r[8] is not None else "",
                int(r[7]) if r[7] is not None else None,
            )
            for r in conn.execute(sa_text(rel_sql), {"e": eid})
        ]
        return EntityProfile(
            id=eid,
            name=entity.name,
            type=entity.type,
            description=entity.description,
            notes=entity.notes,
            aliases=aliases,
            mentions=mentions,
            co_mentions=co,
            relations=relations,
            mentions_truncated=len(rows) > mention_limit,
            version=entity.version,
            updated_by=entity.updated_by,
        )


@dataclass(frozen=True)
class EntityText:
    """An entity's free text before and after an edit, so the window can undo it."""

    entity_id: int
    description: str
    notes: str


def update_entity_text(
    store: Store,
    entity_id: int,
    *,
    description: str | None = None,
    notes: str | None = None,
    expected_version: int | None = None,
) -> EntityText:
    """Set the description and/or notes of an entity; returns the values it had
    before, which is what an undo needs. Identity is not touched, so this does
    not go through the resolver. With ``expected_version`` (the profile's), an
    edit of a stale view is refused naming who changed the entity."""
    with store.session() as s:
        entity = s.get(m.Entity, entity_id)
        if entity is None:
            raise NotFoundError(f"no entity with id {entity_id}")
        if expected_version is not None and entity.version != expected_version:
            who = f" by {entity.updated_by}" if entity.updated_by else ""
            raise StaleEditError(
                f"{entity.name} was changed{who} since you opened it; reload it to see the "
                "change, then edit again"
            )
        before = EntityText(entity_id, entity.description, entity.notes)
        if description is not None:
            entity.description = description
        if notes is not None:
            entity.notes = notes
        entity.updated_at = dt.datetime.now(dt.UTC)
        s.add(entity)
        return before


@dataclass(frozen=True)
class Counts:
    """The status bar's numbers."""

    articles: int
    entities: int
    mentions: int
    unconfirmed: int


def counts(store: Store) -> Counts:
    with store.session() as s:
        conn = s.connection()

        def one(sql: str) -> int:
            return int(conn.execute(sa_text(sql)).scalar() or 0)

        return Counts(
            articles=one("SELECT COUNT(*) FROM article"),
            entities=one("SELECT COUNT(*) FROM entity WHERE merged_into_id IS NULL"),
            mentions=one("SELECT COUNT(*) FROM mention WHERE status != 'rejected'"),
            unconfirmed=one("SELECT COUNT(*) FROM mention WHERE status = 'suggested'"),
        )
