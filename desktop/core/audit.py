"""Who did what: every session of a Store names its researcher, and each row a
flush inserts or changes gets that name in its "by" column.

The name is the database role on a team library (what the server itself
authenticated) and the operating-system user for a file. Stamping happens in
one ``before_flush`` hook rather than in each service, so no code path that
writes a history entry, judgement, link or dossier change can forget it.

The columns stamped here are bookkeeping, not identity: the resolver leaves
them out of the before/after rows that undo compares and restores
(:data:`AUDIT_COLUMNS`), so an undo by one researcher is not refused because
another's name is on the row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event, inspect
from sqlmodel import Session

from desktop.core import models as m

ACTOR_KEY = "dossier_desk_actor"
AUDIT_COLUMNS = frozenset(
    {
        "version",
        "updated_by",
        "imported_by",
        "decided_by",
        "decided_at",
        "actor",
        "revoked_by",
        "created_by",
        "undone_by",
    }
)


def set_actor(session: Session, actor: Callable[[], str] | str) -> None:
    """Name who is editing through ``session``; a callable is asked once, at
    the first flush that needs it."""
    session.info[ACTOR_KEY] = actor


def _changed(obj: Any, *names: str) -> bool:
    state = inspect(obj)
    return any(state.attrs[n].history.has_changes() for n in names)


@event.listens_for(Session, "before_flush")
def _stamp(session: Session, _context: object, _instances: object) -> None:
    source = session.info.get(ACTOR_KEY)
    if source is None:
        return
    name: str | None = None

    def who() -> str:
        nonlocal name
        if name is None:
            name = source() if callable(source) else str(source)
            session.info[ACTOR_KEY] = name
        return name

    now = m.utcnow()
    for obj in session.new:
        if isinstance(obj, m.History | m.Judgement):
            obj.actor = obj.actor or who()
        elif isinstance(obj, m.Mention):
            obj.decided_by, obj.decided_at = who(), now
        elif isinstance(obj, m.Entity | m.Dossier):
            obj.updated_by = who()
        elif isinstance(obj, m.DossierItem):
            obj.created_by = who()
        elif isinstance(obj, m.Article):
            obj.imported_by = obj.imported_by or who()
    for obj in session.dirty:
        if isinstance(obj, m.Mention):
            if _changed(obj, "status", "entity_id"):
                obj.decided_by, obj.decided_at = who(), now
        elif isinstance(obj, m.Judgement):
            if _changed(obj, "revoked_at"):
                obj.revoked_by = who() if obj.revoked_at is not None else None
        elif isinstance(obj, m.History):
            if _changed(obj, "undone_at"):
                obj.undone_by = who() if obj.undone_at is not None else None
        elif isinstance(obj, m.Entity | m.Dossier) and session.is_modified(obj):
            obj.updated_by = who()
