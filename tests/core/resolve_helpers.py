"""Builders for identity tests: entities, aliases and mentions made directly
with the models (the extraction pipeline is another helper's area)."""

from __future__ import annotations

import hashlib

from sqlalchemy import text
from sqlmodel import SQLModel

from desktop.core import models as m
from desktop.core.audit import AUDIT_COLUMNS
from desktop.core.names import alias_key
from desktop.core.store import Store


def add_article(store: Store, body: str, title: str = "") -> int:
    with store.session() as s:
        a = m.Article(
            title=title or body[:30],
            body=body,
            sha256=hashlib.sha256(body.encode()).hexdigest(),
        )
        s.add(a)
        s.flush()
        return a.id or 0


def add_entity(
    store: Store, name: str, type: str = "ORG", aliases: tuple[str, ...] = (), notes: str = ""
) -> int:
    with store.session() as s:
        e = m.Entity(name=name, type=type, notes=notes)
        s.add(e)
        s.flush()
        for n in (name, *aliases):
            s.add(m.Alias(entity_id=e.id or 0, name=n, key=alias_key(n), kind="alias"))
        return e.id or 0


def add_mention(store: Store, article_id: int, entity_id: int | None, surface: str) -> int:
    with store.session() as s:
        art = s.get(m.Article, article_id)
        assert art is not None
        start = art.body.find(surface)
        if start < 0:
            start = 0
        x = m.Mention(
            article_id=article_id,
            start=start,
            end=start + len(surface),
            text=surface,
            entity_id=entity_id,
        )
        s.add(x)
        s.flush()
        return x.id or 0


TABLES = ("entity", "alias", "mention", "judgement", "not_entity", "relation", "dossier_item")


def snapshot(store: Store) -> dict[str, list[tuple]]:
    """Every row of every identity table, for exact before/after comparisons.
    Who-did-what columns and versions (core.audit) are left out: an undo is
    itself a change by someone, and they record it."""
    out = {}
    with store.engine.connect() as conn:
        for t in TABLES:
            table = SQLModel.metadata.tables[t]
            cols = ", ".join(f'"{c.name}"' for c in table.columns if c.name not in AUDIT_COLUMNS)
            out[t] = [tuple(r) for r in conn.execute(text(f"SELECT {cols} FROM {t} ORDER BY id"))]
    return out
