"""Dossiers and their ordered items: create, rename, delete, add, remove, reorder.

Each function is one transaction and returns plain data. Positions are kept
dense (0..n-1) after every change, so the order the user sees is the order
stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete
from sqlmodel import Session, col, func, select

from desktop.core import models as m
from desktop.core.dossier import DossierInputError
from desktop.core.errors import NotFoundError
from desktop.core.store import Store


@dataclass(frozen=True)
class DossierSummary:
    """The ``dossier list --json`` shape."""

    id: int
    title: str
    subtitle: str
    author: str
    marking: str
    items: int
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class ItemSummary:
    id: int
    dossier_id: int
    position: int
    kind: str
    # What the workspace lists: entity name, article title, note/heading text...
    label: str
    entity_id: int | None
    article_id: int | None
    start: int | None
    end: int | None
    text: str
    # True when the entity or article it refers to no longer exists.
    missing: bool


def _summary(session: Session, d: m.Dossier) -> DossierSummary:
    n = session.exec(
        select(func.count()).select_from(m.DossierItem).where(m.DossierItem.dossier_id == d.id)
    ).one()
    return DossierSummary(
        id=d.id or 0,
        title=d.title,
        subtitle=d.subtitle,
        author=d.author,
        marking=d.marking,
        items=int(n),
        created_at=d.created_at.isoformat(timespec="seconds"),
        updated_at=d.updated_at.isoformat(timespec="seconds"),
    )


def _one_line(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _item_summary(session: Session, item: m.DossierItem) -> ItemSummary:
    missing = False
    if item.kind == m.DossierItemKind.ENTITY:
        entity = session.get(m.Entity, item.entity_id) if item.entity_id is not None else None
        missing = entity is None
        label = entity.name if entity else "(deleted entity)"
    elif item.kind == m.DossierItemKind.ARTICLE:
        article = session.get(m.Article, item.article_id) if item.article_id is not None else None
        missing = article is None
        title = (article.title if article else item.text) or "(untitled)"
        label = title if article else f"{title} (deleted)"
    elif item.kind == m.DossierItemKind.EXCERPT:
        missing = item.article_id is None or session.get(m.Article, item.article_id) is None
        label = f"“{_one_line(item.text, 80)}”" + (" (source deleted)" if missing else "")
    else:
        label = _one_line(item.text)
    return ItemSummary(
        id=item.id or 0,
        dossier_id=item.dossier_id,
        position=item.position,
        kind=item.kind,
        label=label,
        entity_id=item.entity_id,
        article_id=item.article_id,
        start=item.start,
        end=item.end,
        text=item.text,
        missing=missing,
    )


def _get_dossier(session: Session, dossier_id: int) -> m.Dossier:
    d = session.get(m.Dossier, dossier_id)
    if d is None:
        raise NotFoundError(f"no dossier with id {dossier_id}")
    return d


def _clean_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise DossierInputError("a dossier needs a title (the one given is empty)")
    return title


def create_dossier(
    store: Store, title: str, *, subtitle: str = "", author: str = "", marking: str = ""
) -> DossierSummary:
    title = _clean_title(title)
    with store.session() as session:
        d = m.Dossier(
            title=title, subtitle=subtitle.strip(), author=author.strip(), marking=marking.strip()
        )
        session.add(d)
        session.flush()
        return _summary(session, d)


def update_dossier(
    store: Store,
    dossier_id: int,
    *,
    title: str | None = None,
    subtitle: str | None = None,
    author: str | None = None,
    marking: str | None = None,
) -> DossierSummary:
    """Rename a dossier or change its cover fields; ``None`` leaves a field alone."""
    with store.session() as session:
        d = _get_dossier(session, dossier_id)
        if title is not None:
            d.title = _clean_title(title)
        if subtitle is not None:
            d.subtitle = subtitle.strip()
        if author is not None:
            d.author = author.strip()
        if marking is not None:
            d.marking = marking.strip()
        d.updated_at = m.utcnow()
        session.add(d)
        session.flush()
        return _summary(session, d)


def rename_dossier(store: Store, dossier_id: int, title: str) -> DossierSummary:
    return update_dossier(store, dossier_id, title=title)


def delete_dossier(store: Store, dossier_id: int) -> DossierSummary:
    """Delete a dossier and its items (never the entities or articles they cite).
    Returns what was deleted."""
    with store.session() as session:
        d = _get_dossier(session, dossier_id)
        summary = _summary(session, d)
        session.execute(delete(m.DossierItem).where(col(m.DossierItem.dossier_id) == dossier_id))
        session.delete(d)
        return summary


def list_dossiers(store: Store) -> list[DossierSummary]:
    """Every dossier, most recently changed first."""
    with store.session() as session:
        rows = session.exec(
            select(m.Dossier).order_by(col(m.Dossier.updated_at).desc(), col(m.Dossier.id).desc())
        ).all()
        return [_summary(session, d) for d in rows]


def get_dossier(store: Store, dossier_id: int) -> DossierSummary:
    with store.session() as session:
        return _summary(session, _get_dossier(session, dossier_id))


def find_dossier(store: Store, ref: str) -> DossierSummary:
    """A dossier by id (``"3"``) or by exact title (case-insensitive), for the CLI."""
    ref = ref.strip()
    with store.session() as session:
        if ref.isdigit():
            d = session.get(m.Dossier, int(ref))
            if d is not None:
                return _summary(session, d)
        matches = [
            d
            for d in session.exec(select(m.Dossier).order_by(col(m.Dossier.id))).all()
            if d.title.casefold() == ref.casefold()
        ]
        if not matches:
            raise NotFoundError(f"no dossier with id or title {ref!r}")
        if len(matches) > 1:
            ids = ", ".join(str(d.id) for d in matches)
            raise DossierInputError(f"several dossiers are titled {ref!r} (ids {ids}); use the id")
        return _summary(session, matches[0])


def list_items(store: Store, dossier_id: int) -> list[ItemSummary]:
    with store.session() as session:
        _get_dossier(session, dossier_id)
        return [_item_summary(session, i) for i in _items(session, dossier_id)]


def _items(session: Session, dossier_id: int) -> list[m.DossierItem]:
    return list(
        session.exec(
            select(m.DossierItem)
            .where(m.DossierItem.dossier_id == dossier_id)
            .order_by(col(m.DossierItem.position), col(m.DossierItem.id))
        ).all()
    )


def _insert(
    session: Session, dossier: m.Dossier, item: m.DossierItem, position: int | None
) -> ItemSummary:
    items = _items(session, dossier.id or 0)
    if position is None or position >= len(items):
        position = len(items)
    position = max(0, position)
    items.insert(position, item)
    for i, it in enumerate(items):
        it.position = i
        session.add(it)
    dossier.updated_at = m.utcnow()
    session.add(dossier)
    session.flush()
    return _item_summary(session, item)


def add_entity(
    store: Store, dossier_id: int, entity_id: int, *, position: int | None = None
) -> ItemSummary:
    with store.session() as session:
        d = _get_dossier(session, dossier_id)
        entity = session.get(m.Entity, entity_id)
        if entity is None:
            raise NotFoundError(f"no entity with id {entity_id}")
        item = m.DossierItem(dossier_id=dossier_id, kind=m.DossierItemKind.ENTITY)
        item.entity_id = entity_id
        return _insert(session, d, item, position)


def add_article(
    store: Store, dossier_id: int, article_id: int, *, position: int | None = None
) -> ItemSummary:
    with store.session() as session:
        d = _get_dossier(session, dossier_id)
        article = session.get(m.Article, article_id)
        if article is None:
            raise NotFoundError(f"no article with id {article_id}")
        # The title is kept so that the dossier can still name the article if it
        # is deleted later (article_id becomes NULL then).
        item = m.DossierItem(
            dossier_id=dossier_id,
            kind=m.DossierItemKind.ARTICLE,
            article_id=article_id,
            text=article.title,
        )
        return _insert(session, d, item, position)


def add_excerpt(
    store: Store,
    dossier_id: int,
    article_id: int,
    start: int,
    end: int,
    *,
    position: int | None = None,
) -> ItemSummary:
    """Quote ``body[start:end]`` of an article; the text is stored with the item."""
    with store.session() as session:
        d = _get_dossier(session, dossier_id)
        article = session.get(m.Article, article_id)
        if article is None:
            raise NotFoundError(f"no article with id {article_id}")
        if not (0 <= start < end <= len(article.body)):
            raise DossierInputError(
                f"excerpt {start}-{end} is outside article {article_id} "
                f"(its text has {len(article.body)} characters; start must be before end)"
            )
        text = article.body[start:end].strip()
        if not text:
            raise DossierInputError(
                f"excerpt {start}-{end} of article {article_id} contains only white space"
            )
        item = m.DossierItem(
            dossier_id=dossier_id,
            kind=m.DossierItemKind.EXCERPT,
            article_id=article_id,
            start=start,
            end=end,
            text=text,
        )
        return _insert(session, d, item, position)


def _add_text(
    store: Store, dossier_id: int, kind: str, text: str, position: int | None
) -> ItemSummary:
    text = text.strip()
    if not text:
        raise DossierInputError(f"a {kind} needs some text (the one given is empty)")
    if kind == m.DossierItemKind.HEADING:
        text = " ".join(text.split())
    with store.session() as session:
        d = _get_dossier(session, dossier_id)
        return _insert(
            session, d, m.DossierItem(dossier_id=dossier_id, kind=kind, text=text), position
        )


def add_note(
    store: Store, dossier_id: int, text: str, *, position: int | None = None
) -> ItemSummary:
    return _add_text(store, dossier_id, m.DossierItemKind.NOTE, text, position)


def add_heading(
    store: Store, dossier_id: int, text: str, *, position: int | None = None
) -> ItemSummary:
    return _add_text(store, dossier_id, m.DossierItemKind.HEADING, text, position)


def update_item_text(store: Store, item_id: int, text: str) -> ItemSummary:
    """Edit a note or a heading."""
    with store.session() as session:
        item = session.get(m.DossierItem, item_id)
        if item is None:
            raise NotFoundError(f"no dossier item with id {item_id}")
        if item.kind not in (m.DossierItemKind.NOTE, m.DossierItemKind.HEADING):
            raise DossierInputError(
                f"dossier item {item_id} is a {item.kind}; only notes "
                "and headings have editable text"
            )
        if not text.strip():
            raise DossierInputError(f"a {item.kind} needs some text (the one given is empty)")
        item.text = text.strip()
        session.add(item)
        session.flush()
        return _item_summary(session, item)


def remove_item(store: Store, item_id: int) -> ItemSummary:
    """Remove one item; returns it as it was."""
    with store.session() as session:
        item = session.get(m.DossierItem, item_id)
        if item is None:
            raise NotFoundError(f"no dossier item with id {item_id}")
        summary = _item_summary(session, item)
        dossier_id = item.dossier_id
        session.delete(item)
        session.flush()
        for i, it in enumerate(_items(session, dossier_id)):
            if it.position != i:
                it.position = i
                session.add(it)
        d = _get_dossier(session, dossier_id)
        d.updated_at = m.utcnow()
        session.add(d)
        return summary


def _reorder(session: Session, dossier_id: int, item_ids: list[int]) -> list[ItemSummary]:
    d = _get_dossier(session, dossier_id)
    items = {it.id: it for it in _items(session, dossier_id)}
    if sorted(item_ids) != sorted(items) or len(set(item_ids)) != len(item_ids):
        raise DossierInputError(
            f"the new order of dossier {dossier_id} must list each of its "
            f"{len(items)} items exactly once"
        )
    for i, item_id in enumerate(item_ids):
        items[item_id].position = i
        session.add(items[item_id])
    d.updated_at = m.utcnow()
    session.add(d)
    session.flush()
    return [_item_summary(session, items[i]) for i in item_ids]


def reorder_items(store: Store, dossier_id: int, item_ids: list[int]) -> list[ItemSummary]:
    """Put the items of a dossier in the order ``item_ids`` (all of them, once)."""
    with store.session() as session:
        return _reorder(session, dossier_id, item_ids)


def move_item(store: Store, item_id: int, position: int) -> list[ItemSummary]:
    """Move one item to ``position`` (clamped); returns the new order."""
    with store.session() as session:
        item = session.get(m.DossierItem, item_id)
        if item is None:
            raise NotFoundError(f"no dossier item with id {item_id}")
        ids = [it.id or 0 for it in _items(session, item.dossier_id)]
        ids.remove(item_id)
        ids.insert(max(0, min(position, len(ids))), item_id)
        return _reorder(session, item.dossier_id, ids)
