"""The tables of the knowledge base.

The schema itself is owned by the Alembic migrations in
``desktop/core/migrations``; these classes must describe exactly what the
migrations create (``tests/core/test_store.py`` compares the two).

Conventions:
- times are timezone-aware UTC ``datetime`` values (SQLModel's UTCDateTime
  stores them as UTC and refuses naive ones, which catches local-time bugs);
- enumerations are stored as short strings so the file stays readable with any
  SQLite client, and the allowed values are listed here as ``StrEnum``s;
- nothing that a user confirmed is ever deleted by identity operations: a merged
  entity keeps its row with ``merged_into_id`` set, and History keeps what is
  needed to undo each change.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Column, Index, Integer, LargeBinary, UniqueConstraint, event
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Field, SQLModel

from desktop.core.safe_text import clean_name


def utcnow() -> dt.datetime:
    """The current time in UTC, the form every table stores."""
    return dt.datetime.now(dt.UTC)


class EntityType(StrEnum):
    PER = "PER"
    ORG = "ORG"
    LOC = "LOC"
    MISC = "MISC"


class AliasKind(StrEnum):
    """FollowTheMoney's name properties; ``weakAlias`` is shown and linked but is
    weak evidence for matching (acronyms, a surname alone)."""

    NAME = "name"
    ALIAS = "alias"
    PREVIOUS_NAME = "previousName"
    WEAK_ALIAS = "weakAlias"


class MentionMethod(StrEnum):
    RULE = "rule"
    NER = "ner"
    GAZETTEER = "gazetteer"
    ABBREVIATION = "abbreviation"
    COREF = "coref"
    MANUAL = "manual"


class MentionStatus(StrEnum):
    # Linked by the machine on an exact alias match (or to a new entity): shown
    # as linked, replaced when the article is extracted again.
    LINKED = "linked"
    SUGGESTED = "suggested"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


class Verdict(StrEnum):
    SAME = "same"
    DIFFERENT = "different"
    UNSURE = "unsure"


class DossierItemKind(StrEnum):
    ENTITY = "entity"
    ARTICLE = "article"
    EXCERPT = "excerpt"
    NOTE = "note"
    HEADING = "heading"


class Article(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    title: str = ""
    publication: str = ""
    author: str = ""
    published: dt.date | None = None
    url: str = ""
    # Where the file came from (path on disk at import time, "clipboard", ...).
    source_path: str = ""
    # Reader that produced the body: txt, md, html, pdf, docx, eml, paste.
    format: str = ""
    language: str = ""
    body: str = ""
    # zlib-compressed bytes of the original, kept for provenance.
    original: bytes = Field(default=b"", sa_column=Column(LargeBinary, nullable=False))
    original_size: int = 0
    sha256: str = Field(index=True, unique=True, max_length=64)
    imported_at: dt.datetime = Field(default_factory=utcnow)
    # Who imported it (database role on a server, OS user for a file); see core.audit.
    imported_by: str = ""
    # Reader metadata that has no column of its own, as JSON.
    extra: str = "{}"


# Bumped by SQLAlchemy on every UPDATE of an entity, which then also checks it
# (UPDATE ... WHERE version = the one read): of two concurrent edits the second
# fails instead of silently overwriting the first.
_entity_version = Column("version", Integer, nullable=False)


class Entity(SQLModel, table=True):
    __mapper_args__ = {"version_id_col": _entity_version}

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True)
    type: str = Field(default=EntityType.MISC, max_length=8)
    description: str = ""
    notes: str = ""
    # Set when this record was merged into another; the row stays so that a merge
    # can be undone and old references keep resolving.
    merged_into_id: int | None = Field(default=None, foreign_key="entity.id", index=True)
    # FollowTheMoney-style extra properties (nationality, birthDate...) as JSON.
    properties: str = "{}"
    created_at: dt.datetime = Field(default_factory=utcnow)
    updated_at: dt.datetime = Field(default_factory=utcnow)
    updated_by: str = ""
    version: int = Field(default=1, sa_column=_entity_version)


class Alias(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("entity_id", "name", name="uq_alias_entity_name"),)

    id: int | None = Field(default=None, primary_key=True)
    entity_id: int = Field(foreign_key="entity.id", index=True)
    name: str
    # Normalised matching key (desktop.core.names); indexed for exact lookup.
    key: str = Field(default="", index=True)
    kind: str = Field(default=AliasKind.ALIAS, max_length=16)
    # Who asserted it: user, extract, import (reference list), merge.
    origin: str = Field(default="user", max_length=16)
    confirmed: bool = False
    created_at: dt.datetime = Field(default_factory=utcnow)


class Mention(SQLModel, table=True):
    __table_args__ = (Index("ix_mention_article_span", "article_id", "start", "end"),)

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", index=True, ondelete="CASCADE")
    start: int
    end: int
    text: str
    type: str = Field(default=EntityType.MISC, max_length=8)
    entity_id: int | None = Field(default=None, foreign_key="entity.id", index=True)
    method: str = Field(default=MentionMethod.RULE, max_length=16)
    confidence: float = 1.0
    status: str = Field(default=MentionStatus.SUGGESTED, max_length=16)
    # Honorific or rank stripped from the name ("Maulana", "Gen.").
    title: str = ""
    # Why the linker chose (or suggested) the entity, for the window's tooltip.
    reason: str = ""
    created_at: dt.datetime = Field(default_factory=utcnow)
    # Who last linked, confirmed or rejected it, and when.
    decided_by: str = ""
    decided_at: dt.datetime | None = None


class Judgement(SQLModel, table=True):
    """A user's verdict on two entities, or on an entity and a mention."""

    id: int | None = Field(default=None, primary_key=True)
    a_id: int = Field(foreign_key="entity.id", index=True)
    b_id: int | None = Field(default=None, foreign_key="entity.id", index=True)
    mention_id: int | None = Field(default=None, foreign_key="mention.id", ondelete="SET NULL")
    verdict: str = Field(max_length=16)
    note: str = ""
    created_at: dt.datetime = Field(default_factory=utcnow)
    actor: str = ""
    # A revoked judgement stays for the audit trail but no longer applies:
    # judgements are append-only (an undone judgement is revoked, not deleted).
    revoked_at: dt.datetime | None = None
    revoked_by: str | None = None


class NotEntity(SQLModel, table=True):
    """Surface forms the user marked "not an entity"; applied to every article."""

    __tablename__ = "not_entity"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(index=True, unique=True)
    text: str
    created_at: dt.datetime = Field(default_factory=utcnow)


class Relation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    subject_id: int = Field(foreign_key="entity.id", index=True)
    predicate: str
    object_id: int = Field(foreign_key="entity.id", index=True)
    evidence_mention_id: int | None = Field(
        default=None, foreign_key="mention.id", ondelete="SET NULL"
    )
    note: str = ""
    created_at: dt.datetime = Field(default_factory=utcnow)


class Dossier(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    title: str
    subtitle: str = ""
    author: str = ""
    # Handling marking printed in every page header, e.g. "CONFIDENTIAL".
    marking: str = ""
    created_at: dt.datetime = Field(default_factory=utcnow)
    updated_at: dt.datetime = Field(default_factory=utcnow)
    updated_by: str = ""


class DossierItem(SQLModel, table=True):
    __tablename__ = "dossier_item"

    id: int | None = Field(default=None, primary_key=True)
    dossier_id: int = Field(foreign_key="dossier.id", index=True, ondelete="CASCADE")
    position: int = 0
    kind: str = Field(max_length=16)
    entity_id: int | None = Field(default=None, foreign_key="entity.id", ondelete="SET NULL")
    # Articles may be deleted later; the item keeps its text and says so.
    article_id: int | None = Field(default=None, foreign_key="article.id", ondelete="SET NULL")
    start: int | None = None
    end: int | None = None
    # Excerpt text, note text or heading text.
    text: str = ""
    created_at: dt.datetime = Field(default_factory=utcnow)
    created_by: str = ""


class History(SQLModel, table=True):
    """One change to entity identity, with what is needed to reverse it."""

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(default_factory=utcnow)
    # merge, split, rename, link, unlink, judge, retype, alias_add, alias_remove...
    action: str = Field(max_length=32)
    # Human label, used in the Edit menu: "merge of JeM into Jaish-e-Mohammed".
    label: str = ""
    # JSON: the rows before and after, enough for resolver.undo to restore them.
    payload: str = "{}"
    undone_at: dt.datetime | None = None
    # Orders undos (redo takes the highest); a clock can go back, this cannot.
    undo_seq: int | None = None
    # Who made the change (database role on a server, OS user for a file) and
    # who undid it.
    actor: str = ""
    undone_by: str | None = None


_CLEANED = {"Entity": ("name",), "Alias": ("name",), "Article": ("title",), "Dossier": ("title",)}


def _clean_before_flush(session: OrmSession, _context: object, _instances: object) -> None:
    """Every name and title is cleaned of control characters however it
    arrives (import, import-entities, rename, merge, split, aliases; see
    core.safe_text): the last step before the database, so no path skips it.
    The entry points clean too, so that what they report matches."""
    for obj in (*session.new, *session.dirty):
        for attr in _CLEANED.get(type(obj).__name__, ()):
            value = getattr(obj, attr, None)
            if isinstance(value, str):
                cleaned = clean_name(value)
                if cleaned != value:
                    setattr(obj, attr, cleaned)


event.listen(OrmSession, "before_flush", _clean_before_flush)
