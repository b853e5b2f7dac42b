"""The only code that changes entity identity.

Every operation here works inside the caller's session, records each row it
inserts or updates (its full column values before and after) in one History
row, and returns a :class:`Change`. Undo writes the "before" values back (and
removes rows the operation inserted); redo writes the "after" values. Because
the payload holds whole rows, undo restores exactly the previous state, and it
refuses to run when a later change touched the same rows (undo that first).

Identity rules:
- a merged-away entity keeps its row with ``merged_into_id`` set; judgements keep
  pointing at the entities they were made on, and apply to their clusters (the
  entity a chain of ``merged_into_id`` ends at);
- a ``different`` judgement between two clusters blocks suggestions and merges
  between them until revoked; merging across it needs ``force=True``;
- nothing a user confirmed is deleted: mentions, notes and judgements are only
  ever updated, aliases only move (``remove_alias`` deletes one alias on purpose,
  and ``remove_relation`` one relation; their History payloads keep the row).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Date, DateTime
from sqlalchemy import func as sa_func
from sqlmodel import Session, SQLModel, col, select

from desktop.core import models as m
from desktop.core.audit import AUDIT_COLUMNS
from desktop.core.errors import DossierDeskError, NotFoundError
from desktop.core.logs import private
from desktop.core.names import alias_key
from desktop.core.safe_text import clean_name

log = logging.getLogger(__name__)


class ResolveError(DossierDeskError):
    """An identity operation that cannot be done as asked."""


class MergeConflictError(ResolveError):
    """The merge would join clusters that a ``different`` judgement separates."""

    def __init__(self, message: str, conflicts: list[tuple[int, int, int]]) -> None:
        super().__init__(message)
        # (judgement id, entity a, entity b)
        self.conflicts = conflicts


class UndoError(ResolveError):
    """The change cannot be undone or redone in the current state."""


@dataclass(frozen=True)
class Change:
    """What an operation did, for undo stacks and view refreshes."""

    history_id: int
    label: str
    entity_ids: tuple[int, ...] = ()
    article_ids: tuple[int, ...] = ()
    # Set on merges forced across a `different` judgement, so the window can say so.
    conflicts: tuple[tuple[int, int, int], ...] = ()


_TABLES: dict[str, type[SQLModel]] = {
    "entity": m.Entity,
    "alias": m.Alias,
    "mention": m.Mention,
    "judgement": m.Judgement,
    "not_entity": m.NotEntity,
    "relation": m.Relation,
    "dossier_item": m.DossierItem,
}


def _table_name(obj: SQLModel) -> str:
    return obj.__table__.name  # type: ignore[attr-defined]


def _dump(obj: SQLModel) -> dict[str, Any]:
    # Who-did-what columns and versions are bookkeeping (core.audit): undo
    # neither compares nor restores them.
    out: dict[str, Any] = {}
    for column in obj.__table__.columns:  # type: ignore[attr-defined]
        if column.key in AUDIT_COLUMNS:
            continue
        value = getattr(obj, column.key)
        if isinstance(value, dt.datetime | dt.date):
            value = value.isoformat()
        out[column.key] = value
    return out


def _is_type(coltype: Any, base: type) -> bool:
    # SQLModel wraps datetimes in a TypeDecorator (UTCDateTime) whose impl is DateTime.
    return isinstance(coltype, base) or isinstance(getattr(coltype, "impl", None), base)


def _load_into(obj: SQLModel, values: dict[str, Any]) -> None:
    for column in obj.__table__.columns:  # type: ignore[attr-defined]
        if column.key in AUDIT_COLUMNS:
            continue
        value = values.get(column.key)
        if isinstance(value, str) and _is_type(column.type, DateTime):
            value = dt.datetime.fromisoformat(value)
        elif isinstance(value, str) and _is_type(column.type, Date):
            value = dt.date.fromisoformat(value)
        setattr(obj, column.key, value)


@dataclass
class _Recorder:
    """Collects the before/after state of the rows one operation touches."""

    session: Session
    before: dict[tuple[str, int], dict[str, Any] | None] = field(default_factory=dict)
    objs: dict[tuple[str, int], SQLModel] = field(default_factory=dict)
    entity_ids: set[int] = field(default_factory=set)
    article_ids: set[int] = field(default_factory=set)

    def touch(self, obj: SQLModel) -> SQLModel:
        """Call before modifying ``obj``."""
        key = (_table_name(obj), obj.id)  # type: ignore[attr-defined]
        if key not in self.before:
            self.before[key] = _dump(obj)
            self.objs[key] = obj
        self._note(obj)
        return obj

    def add(self, obj: SQLModel) -> SQLModel:
        self.session.add(obj)
        self.session.flush()
        key = (_table_name(obj), obj.id)  # type: ignore[attr-defined]
        self.before[key] = None
        self.objs[key] = obj
        self._note(obj)
        return obj

    def delete(self, obj: SQLModel) -> None:
        self.touch(obj)
        self.session.delete(obj)

    def _note(self, obj: SQLModel) -> None:
        if isinstance(obj, m.Entity) and obj.id is not None:
            self.entity_ids.add(obj.id)
        elif isinstance(obj, m.Alias):
            self.entity_ids.add(obj.entity_id)
        elif isinstance(obj, m.Mention):
            self.article_ids.add(obj.article_id)
            if obj.entity_id is not None:
                self.entity_ids.add(obj.entity_id)

    def finish(self, action: str, label: str) -> Change:
        self.session.flush()
        rows = []
        for (table, row_id), before in self.before.items():
            obj = self.objs[(table, row_id)]
            deleted = obj in self.session.deleted or (self.session.get(type(obj), row_id) is None)
            after = None if deleted else _dump(obj)
            if after is not None:
                self._note(obj)
            if before == after:
                continue
            rows.append({"table": table, "id": row_id, "before": before, "after": after})
        history = m.History(
            action=action,
            label=label,
            payload=json.dumps({"rows": rows}, ensure_ascii=False, sort_keys=True),
        )
        self.session.add(history)
        self.session.flush()
        assert history.id is not None
        # The label names entities ("Merge X into Y"): private in the log.
        log.info(
            "%s: history #%d, %d rows, entities %s (%s)",
            action,
            history.id,
            len(rows),
            sorted(self.entity_ids)[:20],
            private(label),
        )
        return Change(
            history.id,
            label,
            tuple(sorted(self.entity_ids)),
            tuple(sorted(self.article_ids)),
        )


# ------------------------------------------------------------------ helpers


def _entity(session: Session, entity_id: int) -> m.Entity:
    e = session.get(m.Entity, entity_id)
    if e is None:
        raise NotFoundError(f"no entity with id {entity_id}")
    return e


def root_id(session: Session, entity_id: int) -> int:
    """The live entity that ``entity_id`` was (perhaps transitively) merged into."""
    seen = set()
    e = _entity(session, entity_id)
    while e.merged_into_id is not None:
        if e.id in seen:  # a cycle would be a bug; stop rather than loop forever
            break
        seen.add(e.id)
        e = _entity(session, e.merged_into_id)
    assert e.id is not None
    return e.id


def _live(session: Session, entity_id: int) -> m.Entity:
    e = _entity(session, entity_id)
    if e.merged_into_id is not None:
        target = root_id(session, entity_id)
        raise ResolveError(
            f"entity {entity_id} ({e.name}) was merged into {target}; use {target} instead"
        )
    return e


def _judged_by(session: Session, judgement_id: int) -> str:
    """ " by alice on 2026-12-06 10:42 UTC", for messages about a judgement."""
    j = session.get(m.Judgement, judgement_id)
    if j is None:
        return ""
    who = f" by {j.actor}" if j.actor else ""
    return f"{who} on {j.created_at.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC"


def active_judgements(session: Session) -> list[m.Judgement]:
    return list(
        session.exec(select(m.Judgement).where(col(m.Judgement.revoked_at).is_(None))).all()
    )


def settled_pairs(session: Session) -> set[tuple[int, int]]:
    """Pairs of live entities (small id first) that an active judgement decided."""
    roots: dict[int, int] = {}

    def r(x: int) -> int:
        if x not in roots:
            roots[x] = root_id(session, x)
        return roots[x]

    out = set()
    for j in active_judgements(session):
        if j.b_id is None:
            continue
        a, b = r(j.a_id), r(j.b_id)
        if a != b:
            out.add((min(a, b), max(a, b)))
    return out


def different_conflicts(session: Session, entity_ids: Iterable[int]) -> list[tuple[int, int, int]]:
    """Active ``different`` judgements separating any two of these clusters."""
    roots = {root_id(session, e) for e in entity_ids}
    out = []
    for j in active_judgements(session):
        if j.verdict != m.Verdict.DIFFERENT or j.b_id is None:
            continue
        ra, rb = root_id(session, j.a_id), root_id(session, j.b_id)
        if ra != rb and ra in roots and rb in roots:
            assert j.id is not None
            out.append((j.id, j.a_id, j.b_id))
    return out


def _aliases(session: Session, entity_id: int) -> list[m.Alias]:
    return list(
        session.exec(
            select(m.Alias).where(m.Alias.entity_id == entity_id).order_by(col(m.Alias.id))
        ).all()
    )


def _ensure_alias(
    rec: _Recorder, entity_id: int, name: str, kind: str, origin: str
) -> m.Alias | None:
    name = clean_name(name)
    if not name:
        return None
    for a in _aliases(rec.session, entity_id):
        if a.name == name:
            return a
    alias = m.Alias(
        entity_id=entity_id,
        name=name,
        key=alias_key(name),
        kind=kind,
        origin=origin,
        confirmed=True,
    )
    rec.add(alias)
    return alias


# --------------------------------------------------------------- operations


def merge(
    session: Session,
    entity_ids: list[int],
    name: str | None = None,
    *,
    force: bool = False,
) -> Change:
    """Merge entities into the first one; ``name`` becomes the canonical name
    (default: the first entity's). Every name becomes an alias of the survivor;
    aliases, mentions, relations, dossier items and notes move to it."""
    ids = list(dict.fromkeys(entity_ids))
    if len(ids) < 2:
        raise ResolveError("a merge needs at least two different entities")
    entities = [_live(session, i) for i in ids]
    conflicts = different_conflicts(session, ids)
    if conflicts and not force:
        names = {e.id: e.name for e in entities}
        desc = "; ".join(
            f"judgement {jid}{_judged_by(session, jid)}: {names.get(root_id(session, a), a)} "
            f"is different from {names.get(root_id(session, b), b)}"
            for jid, a, b in conflicts
        )
        raise MergeConflictError(
            f"these entities were judged different ({desc}); revoke the judgement or "
            "merge with force",
            conflicts,
        )
    target, sources = entities[0], entities[1:]
    assert target.id is not None
    canonical = clean_name(name or target.name)
    if not canonical:
        raise ResolveError("the canonical name cannot be empty")
    rec = _Recorder(session)
    rec.touch(target)
    old_target_name = target.name
    now = m.utcnow()
    for src in sources:
        assert src.id is not None
        rec.touch(src)
        target_names = {a.name for a in _aliases(session, target.id)}
        for alias in _aliases(session, src.id):
            # An alias the survivor already has stays on the merged-away row:
            # nothing is deleted, and undo has nothing to recreate.
            if alias.name in target_names:
                continue
            rec.touch(alias)
            alias.entity_id = target.id
            if alias.kind == m.AliasKind.NAME:
                # The survivor has one canonical name; the others are aliases.
                alias.kind = m.AliasKind.ALIAS
            target_names.add(alias.name)
        for mention in session.exec(select(m.Mention).where(m.Mention.entity_id == src.id)):
            rec.touch(mention)
            mention.entity_id = target.id
        for rel in session.exec(
            select(m.Relation).where(
                (m.Relation.subject_id == src.id) | (m.Relation.object_id == src.id)
            )
        ):
            rec.touch(rel)
            if rel.subject_id == src.id:
                rel.subject_id = target.id
            if rel.object_id == src.id:
                rel.object_id = target.id
        for item in session.exec(select(m.DossierItem).where(m.DossierItem.entity_id == src.id)):
            rec.touch(item)
            item.entity_id = target.id
        if src.notes.strip():
            target.notes = (
                f"{target.notes.rstrip()}\n\n[from {src.name}]\n{src.notes.strip()}"
                if target.notes.strip()
                else src.notes
            )
        if not target.description.strip() and src.description.strip():
            target.description = src.description
        props = json.loads(target.properties or "{}")
        for k, v in json.loads(src.properties or "{}").items():
            props.setdefault(k, v)
        target.properties = json.dumps(props, ensure_ascii=False, sort_keys=True)
        src.merged_into_id = target.id
        src.updated_at = now
        _ensure_alias(rec, target.id, src.name, m.AliasKind.ALIAS, "merge")
    for n in (old_target_name, canonical):
        _ensure_alias(rec, target.id, n, m.AliasKind.ALIAS, "merge")
    target.name = canonical
    target.updated_at = now
    label = f"merge of {', '.join(s.name for s in sources)} into {canonical}"
    change = rec.finish("merge", label)
    if conflicts:
        change = Change(
            change.history_id,
            change.label,
            change.entity_ids,
            change.article_ids,
            tuple(conflicts),
        )
    return change


def judge(
    session: Session,
    a_id: int,
    b_id: int,
    verdict: str,
    note: str = "",
    *,
    force: bool = False,
) -> Change:
    """Record a verdict on two entities; ``same`` also merges b into a."""
    try:
        verdict = m.Verdict(verdict)
    except ValueError:
        raise ResolveError(f"unknown verdict {verdict!r}; use same, different or unsure") from None
    a, b = _entity(session, a_id), _entity(session, b_id)
    if a_id == b_id:
        raise ResolveError("an entity cannot be judged against itself")
    ra, rb = root_id(session, a_id), root_id(session, b_id)
    if verdict == m.Verdict.DIFFERENT and ra == rb:
        raise ResolveError(
            f"{a.name} and {b.name} are already merged; split them before judging them different"
        )
    rec = _Recorder(session)
    if verdict == m.Verdict.SAME and ra != rb:
        conflicts = different_conflicts(session, [ra, rb])
        if conflicts and not force:
            raise MergeConflictError(
                f"{a.name} and {b.name} were judged different "
                f"(judgement {conflicts[0][0]}{_judged_by(session, conflicts[0][0])}); "
                "revoke it or force the merge",
                conflicts,
            )
    j = m.Judgement(a_id=a_id, b_id=b_id, verdict=verdict, note=note)
    rec.add(j)
    rec.entity_ids.update({ra, rb})
    if verdict == m.Verdict.SAME and ra != rb:
        inner = merge(session, [ra, rb], force=True)
        # One user action, one history entry: fold the merge into the judgement.
        _absorb(session, rec, inner.history_id)
    return rec.finish("judge", f"judgement: {a.name} {verdict} {b.name}")


def merge_cluster(
    session: Session,
    entity_ids: list[int],
    name: str | None = None,
    *,
    apart: Iterable[int] = (),
    force: bool = False,
) -> Change:
    """Decide a reviewed cluster in one step: merge ``entity_ids`` into the
    first (``name`` canonical), recording a ``same`` judgement for each merged
    record, and a ``different`` judgement between the merged record and each of
    ``apart`` (the names the user left out). The judgements teach the scorer;
    undo takes back the merge and revokes them, all at once."""
    ids = list(dict.fromkeys(entity_ids))
    left_out = [x for x in dict.fromkeys(apart) if x not in ids]
    if not ids or (len(ids) < 2 and not left_out):
        raise ResolveError("a cluster merge needs two names to merge or one to keep apart")
    target = _live(session, ids[0])
    assert target.id is not None
    rec = _Recorder(session)
    conflicts: tuple[tuple[int, int, int], ...] = ()
    if len(ids) >= 2:
        inner = merge(session, ids, name, force=force)
        conflicts = inner.conflicts
        _absorb(session, rec, inner.history_id)
        for other in ids[1:]:
            rec.add(m.Judgement(a_id=target.id, b_id=other, verdict=m.Verdict.SAME))
    for other in left_out:
        if root_id(session, other) == target.id:
            continue
        rec.add(m.Judgement(a_id=target.id, b_id=other, verdict=m.Verdict.DIFFERENT))
    merged = [_entity(session, x).name for x in ids[1:]]
    kept = [_entity(session, x).name for x in left_out]
    label = (
        f"merge of {', '.join(merged)} into {target.name}" if merged else f"review of {target.name}"
    )
    if kept:
        label += f" ({', '.join(kept)} judged different)"
    change = rec.finish("merge", label)
    if conflicts:
        change = Change(
            change.history_id, change.label, change.entity_ids, change.article_ids, conflicts
        )
    return change


def _absorb(session: Session, rec: _Recorder, history_id: int) -> None:
    """Fold the rows recorded by an inner operation into ``rec`` and drop the
    inner History row, so a compound action is undone in one step."""
    h = session.get(m.History, history_id)
    assert h is not None
    for row in json.loads(h.payload)["rows"]:
        key = (row["table"], row["id"])
        if key not in rec.before:
            rec.before[key] = row["before"]
            obj = session.get(_TABLES[row["table"]], row["id"])
            assert obj is not None
            rec.objs[key] = obj
            rec._note(obj)
    session.delete(h)
    session.flush()


def revoke_judgement(session: Session, judgement_id: int) -> Change:
    j = session.get(m.Judgement, judgement_id)
    if j is None:
        raise NotFoundError(f"no judgement with id {judgement_id}")
    if j.revoked_at is not None:
        raise ResolveError(f"judgement {judgement_id} is already revoked")
    rec = _Recorder(session)
    rec.touch(j)
    j.revoked_at = m.utcnow()
    rec.entity_ids.update(x for x in (j.a_id, j.b_id) if x is not None)
    return rec.finish("revoke", f"revoke judgement {judgement_id} ({j.verdict})")


def split(
    session: Session,
    entity_id: int,
    alias_names: list[str],
    name: str | None = None,
) -> Change:
    """Move aliases (and the mentions whose text has their key) to a new entity."""
    src = _live(session, entity_id)
    assert src.id is not None
    wanted = {alias_key(n): n for n in alias_names if n.strip()}
    if not wanted:
        raise ResolveError("name at least one alias to split off")
    aliases = [a for a in _aliases(session, src.id) if alias_key(a.name) in wanted]
    found = {alias_key(a.name) for a in aliases}
    missing = [n for k, n in wanted.items() if k not in found]
    if missing:
        raise ResolveError(f"{src.name} (entity {src.id}) has no alias {', '.join(missing)}")
    if alias_key(src.name) in wanted:
        raise ResolveError(
            f"{src.name!r} is the canonical name of entity {src.id}; rename it before "
            "splitting that name off"
        )
    rec = _Recorder(session)
    new_name = clean_name(name or aliases[0].name)
    new = m.Entity(name=new_name, type=src.type)
    rec.add(new)
    assert new.id is not None
    keys = {alias_key(a.name) for a in aliases}
    for a in aliases:
        rec.touch(a)
        a.entity_id = new.id
    for mention in session.exec(select(m.Mention).where(m.Mention.entity_id == src.id)):
        if alias_key(mention.text) in keys:
            rec.touch(mention)
            mention.entity_id = new.id
    rec.touch(src)
    src.updated_at = m.utcnow()
    return rec.finish("split", f"split of {new_name} from {src.name}")


def rename(session: Session, entity_id: int, name: str, *, keep_old: bool = True) -> Change:
    """Rename an entity. The old name stays as an alias unless ``keep_old`` is
    false: a rename that corrects a wrong name ("Inviting Hamas" -> "Hamas")
    drops it, so that it is neither shown nor matched again."""
    e = _live(session, entity_id)
    name = clean_name(name)
    if not name:
        raise ResolveError("a name cannot be empty")
    rec = _Recorder(session)
    rec.touch(e)
    old = e.name
    assert e.id is not None
    if keep_old:
        _ensure_alias(rec, e.id, old, m.AliasKind.ALIAS, "user")
    else:
        for alias in _aliases(session, e.id):
            if alias.name == old and old != name:
                rec.delete(alias)
    _ensure_alias(rec, e.id, name, m.AliasKind.NAME, "user")
    e.name = name
    e.updated_at = m.utcnow()
    label = f"rename of {old} to {name}" + ("" if keep_old else f" (dropping {old})")
    return rec.finish("rename", label)


def delete_entity(session: Session, entity_id: int, *, not_an_entity: bool = False) -> Change:
    """Remove an entity the extractor made up. Its mentions are unlinked (left
    to review) or, with ``not_an_entity``, rejected and its names remembered as
    "not an entity" so that no article links them again. Its aliases,
    relations and judgements go with it; dossiers keep a "no longer exists"
    note. One undo step brings everything back."""
    e = _live(session, entity_id)
    assert e.id is not None
    rec = _Recorder(session)
    names = [a.name for a in _aliases(session, e.id)] or [e.name]
    for mention in session.exec(select(m.Mention).where(m.Mention.entity_id == e.id)).all():
        rec.touch(mention)
        mention.entity_id = None
        if not_an_entity:
            mention.status = m.MentionStatus.REJECTED
            mention.reason = "marked not an entity"
        else:
            mention.status = m.MentionStatus.SUGGESTED
            mention.reason = f"{e.name} was deleted"
    if not_an_entity:
        seen: set[str] = set()
        for name in [e.name, *names]:
            key = alias_key(name)
            if not key or key in seen:
                continue
            seen.add(key)
            if session.exec(select(m.NotEntity).where(m.NotEntity.key == key)).first() is None:
                rec.add(m.NotEntity(key=key, text=name))
    for item in session.exec(select(m.DossierItem).where(m.DossierItem.entity_id == e.id)).all():
        rec.touch(item)
        item.entity_id = None
    for relation in session.exec(
        select(m.Relation).where((m.Relation.subject_id == e.id) | (m.Relation.object_id == e.id))
    ).all():
        rec.delete(relation)
    for judgement in session.exec(
        select(m.Judgement).where((m.Judgement.a_id == e.id) | (m.Judgement.b_id == e.id))
    ).all():
        rec.delete(judgement)
    # Records merged into this one go too (their names were moved here).
    for child in session.exec(select(m.Entity).where(m.Entity.merged_into_id == e.id)).all():
        for alias in _aliases(session, child.id or 0):
            rec.delete(alias)
        rec.delete(child)
    for alias in _aliases(session, e.id):
        rec.delete(alias)
    session.flush()
    rec.delete(e)
    rec.entity_ids.add(e.id)
    if not_an_entity:
        return rec.finish("not_entity", f"{e.name} marked as not an entity")
    return rec.finish("delete_entity", f"deletion of {e.name}")


def set_type(session: Session, entity_id: int, type: str) -> Change:
    try:
        t = m.EntityType(type.upper())
    except ValueError:
        raise ResolveError(f"unknown type {type!r}; use PER, ORG, LOC or MISC") from None
    e = _live(session, entity_id)
    rec = _Recorder(session)
    rec.touch(e)
    e.type = t
    e.updated_at = m.utcnow()
    return rec.finish("retype", f"type of {e.name} set to {t}")


def add_alias(session: Session, entity_id: int, name: str, kind: str = m.AliasKind.ALIAS) -> Change:
    e = _live(session, entity_id)
    try:
        kind = m.AliasKind(kind)
    except ValueError:
        raise ResolveError(
            f"unknown alias kind {kind!r}; use name, alias, previousName or weakAlias"
        ) from None
    name = clean_name(name)
    if not name:
        raise ResolveError("an alias cannot be empty")
    assert e.id is not None
    rec = _Recorder(session)
    if any(a.name == name for a in _aliases(session, e.id)):
        raise ResolveError(f"{e.name} already has the alias {name!r}")
    _ensure_alias(rec, e.id, name, kind, "user")
    return rec.finish("alias_add", f"alias {name} added to {e.name}")


def remove_alias(session: Session, entity_id: int, name: str) -> Change:
    e = _live(session, entity_id)
    assert e.id is not None
    match = [a for a in _aliases(session, e.id) if a.name == name]
    if not match:
        raise ResolveError(f"{e.name} (entity {e.id}) has no alias {name!r}")
    rec = _Recorder(session)
    rec.delete(match[0])
    rec.entity_ids.add(e.id)
    return rec.finish("alias_remove", f"alias {name} removed from {e.name}")


def add_relation(
    session: Session,
    subject_id: int,
    predicate: str,
    object_id: int,
    *,
    evidence_mention_id: int | None = None,
    note: str = "",
) -> Change:
    """Record that ``subject`` stands in ``predicate`` to ``object`` ("Masood
    Azhar" "founder of" "Jaish-e-Mohammed"), optionally citing the mention
    that says so."""
    subject, obj = _live(session, subject_id), _live(session, object_id)
    predicate = " ".join(predicate.split())
    if not predicate:
        raise ResolveError("a relation needs a predicate, for example 'member of'")
    if subject.id == obj.id:
        raise ResolveError(f"a relation needs two different entities; both are {subject.name}")
    if evidence_mention_id is not None:
        _mention(session, evidence_mention_id)
    duplicate = session.exec(
        select(m.Relation)
        .where(m.Relation.subject_id == subject.id)
        .where(m.Relation.object_id == obj.id)
        .where(m.Relation.predicate == predicate)
    ).first()
    if duplicate is not None:
        raise ResolveError(
            f"{subject.name} is already recorded as {predicate} {obj.name} "
            f"(relation {duplicate.id})"
        )
    assert subject.id is not None
    assert obj.id is not None
    rec = _Recorder(session)
    relation = m.Relation(
        subject_id=subject.id,
        predicate=predicate,
        object_id=obj.id,
        evidence_mention_id=evidence_mention_id,
        note=note.strip(),
    )
    rec.add(relation)
    rec.entity_ids.update({subject.id, obj.id})
    return rec.finish("relation_add", f"relation {subject.name} {predicate} {obj.name}")


def remove_relation(session: Session, relation_id: int) -> Change:
    relation = session.get(m.Relation, relation_id)
    if relation is None:
        raise NotFoundError(f"no relation with id {relation_id}")
    subject = _entity(session, relation.subject_id)
    obj = _entity(session, relation.object_id)
    rec = _Recorder(session)
    rec.delete(relation)
    rec.entity_ids.update({relation.subject_id, relation.object_id})
    return rec.finish(
        "relation_remove", f"removal of relation {subject.name} {relation.predicate} {obj.name}"
    )


def _mention(session: Session, mention_id: int) -> m.Mention:
    x = session.get(m.Mention, mention_id)
    if x is None:
        raise NotFoundError(f"no mention with id {mention_id}")
    return x


def link_mention(session: Session, mention_id: int, entity_id: int) -> Change:
    mention = _mention(session, mention_id)
    e = _live(session, entity_id)
    rec = _Recorder(session)
    rec.touch(mention)
    mention.entity_id = e.id
    mention.status = m.MentionStatus.CONFIRMED
    mention.reason = "linked by the user"
    return rec.finish("link", f"link of {mention.text!r} to {e.name}")


def confirm_mention(session: Session, mention_id: int, entity_id: int) -> Change:
    """Confirm a suggested link, and keep the mention's spelling as an alias of
    the entity when it has none with that key (Jaish-e-Muhammad confirmed on
    Jaish-e-Mohammed): the dossier then lists it, and later articles link it
    directly. One history entry: undo takes back both."""
    mention = _mention(session, mention_id)
    e = _live(session, entity_id)
    assert e.id is not None
    rec = _Recorder(session)
    rec.touch(mention)
    mention.entity_id = e.id
    mention.status = m.MentionStatus.CONFIRMED
    mention.reason = "confirmed by the user"
    key = alias_key(mention.text)
    known = {alias_key(e.name)} | {a.key for a in _aliases(session, e.id)}
    added = ""
    if key and key not in known:
        _ensure_alias(rec, e.id, mention.text, m.AliasKind.ALIAS, "user")
        added = f"; alias {mention.text.strip()} added"
    return rec.finish("link", f"link of {mention.text!r} to {e.name}{added}")


def unlink_mention(session: Session, mention_id: int) -> Change:
    mention = _mention(session, mention_id)
    rec = _Recorder(session)
    rec.touch(mention)
    mention.entity_id = None
    mention.status = m.MentionStatus.SUGGESTED
    mention.reason = "unlinked by the user"
    return rec.finish("unlink", f"unlink of {mention.text!r}")


def mark_not_entity(session: Session, mention_id: int) -> Change:
    """Reject the mention and remember its text as "not an entity" everywhere."""
    mention = _mention(session, mention_id)
    rec = _Recorder(session)
    rec.touch(mention)
    key = alias_key(mention.text)
    existing = session.exec(select(m.NotEntity).where(m.NotEntity.key == key)).first()
    if existing is None:
        rec.add(m.NotEntity(key=key, text=mention.text))
    mention.entity_id = None
    mention.status = m.MentionStatus.REJECTED
    mention.reason = "marked not an entity"
    return rec.finish("not_entity", f"{mention.text!r} marked as not an entity")


def mark_mention(
    session: Session,
    article_id: int,
    start: int,
    end: int,
    type: str,
    entity_id: int | None = None,
) -> Change:
    """Make a confirmed manual mention of ``body[start:end]``, linked to
    ``entity_id``, else to the live entity that has an alias with the same key
    (one of this type first), else to a new entity named after the text.

    Unconfirmed mentions overlapping the span are rejected (the user redrew
    the extractor's span); a confirmed one blocks the marking."""
    try:
        t = m.EntityType(type.upper())
    except ValueError:
        raise ResolveError(f"unknown type {type!r}; use PER, ORG, LOC or MISC") from None
    article = session.get(m.Article, article_id)
    if article is None:
        raise NotFoundError(f"no article with id {article_id}")
    body = article.body
    if not (0 <= start < end <= len(body)):
        raise ResolveError(
            f"article {article_id}: span {start}-{end} is outside the text (0-{len(body)})"
        )
    # A selection often catches a space or a full stop at either side.
    while start < end and (body[start].isspace() or body[start] in _EDGE_PUNCT):
        start += 1
    while end > start and (body[end - 1].isspace() or body[end - 1] in _EDGE_PUNCT):
        end -= 1
    text = body[start:end]
    if not text:
        raise ResolveError(f"article {article_id}: the selection holds no name")
    if "\n" in text:
        raise ResolveError(f"article {article_id}: a name cannot span several lines")
    overlapping = session.exec(
        select(m.Mention)
        .where(m.Mention.article_id == article_id)
        .where(m.Mention.start < end)
        .where(m.Mention.end > start)
        .where(m.Mention.status != m.MentionStatus.REJECTED)
    ).all()
    for other in overlapping:
        if other.status == m.MentionStatus.CONFIRMED and (other.start, other.end) != (start, end):
            raise ResolveError(
                f"article {article_id}: {text!r} overlaps the confirmed mention "
                f"{other.text!r}; unlink it first"
            )
    rec = _Recorder(session)
    if entity_id is not None:
        entity = _live(session, entity_id)
    else:
        key = alias_key(text)
        found: list[m.Entity] = []
        for alias in session.exec(select(m.Alias).where(m.Alias.key == key)).all():
            e = _entity(session, root_id(session, alias.entity_id))
            if e not in found:
                found.append(e)
        found.sort(key=lambda e: (e.type != t, e.id))
        if found:
            entity = found[0]
        else:
            entity = m.Entity(name=text, type=t)
            rec.add(entity)
            assert entity.id is not None
            _ensure_alias(rec, entity.id, text, m.AliasKind.NAME, "user")
    assert entity.id is not None
    same_span = next((x for x in overlapping if (x.start, x.end) == (start, end)), None)
    if same_span is None:
        # A span once marked "not an entity" is the same mention, now confirmed.
        same_span = session.exec(
            select(m.Mention)
            .where(m.Mention.article_id == article_id)
            .where(m.Mention.start == start)
            .where(m.Mention.end == end)
        ).first()
    for other in overlapping:
        if other is same_span:
            continue
        rec.touch(other)
        other.status = m.MentionStatus.REJECTED
        other.reason = f"replaced by the marked name {text!r}"
    mention = same_span
    if mention is None:
        mention = m.Mention(article_id=article_id, start=start, end=end, text=text)
        rec.add(mention)
    else:
        rec.touch(mention)
    mention.type = t
    mention.entity_id = entity.id
    mention.method = m.MentionMethod.MANUAL
    mention.confidence = 1.0
    mention.status = m.MentionStatus.CONFIRMED
    mention.reason = "marked by the user"
    rec.entity_ids.add(entity.id)
    return rec.finish("mark", f"marking of {text} as {_TYPE_WORDS[t]}")


_EDGE_PUNCT = set(".,;:!?\"'()[]“”‘’«»")
_TYPE_WORDS = {
    m.EntityType.PER: "a person",
    m.EntityType.ORG: "an organisation",
    m.EntityType.LOC: "a place",
    m.EntityType.MISC: "an entity",
}


# -------------------------------------------------------------- undo / redo


def record_created(
    session: Session,
    rows: Iterable[tuple[str, int]],
    action: str,
    label: str,
    *,
    into: int | None = None,
) -> Change | None:
    """Write one History entry for rows that other code inserted (re-linking
    after a merge adds mentions, and sometimes records), so that undoing it
    deletes exactly them. None when nothing was created.

    ``into`` names an entry written earlier by this function: the rows are
    added to it (and its label replaced), so work committed in several
    transactions stays one undoable change that always matches the database.
    """
    rec = _Recorder(session)
    for table, row_id in rows:
        obj = session.get(_TABLES[table], row_id)
        if obj is None:
            continue
        rec.before[(table, row_id)] = None
        rec.objs[(table, row_id)] = obj
        rec._note(obj)
    if into is None:
        return rec.finish(action, label) if rec.before else None
    history = session.get(m.History, into)
    if history is None:
        raise NotFoundError(f"no history entry with id {into}")
    payload = json.loads(history.payload)
    known = {(r["table"], r["id"]) for r in payload.get("rows", [])}
    for (table, row_id), obj in rec.objs.items():
        if (table, row_id) not in known:
            payload.setdefault("rows", []).append(
                {"table": table, "id": row_id, "before": None, "after": _dump(obj)}
            )
    history.payload = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    history.label = label
    session.add(history)
    session.flush()
    for row in payload.get("rows", []):
        values = row["after"] or {}
        if row["table"] == "entity":
            rec.entity_ids.add(row["id"])
        elif row["table"] in ("alias", "mention") and values.get("entity_id") is not None:
            rec.entity_ids.add(values["entity_id"])
        if row["table"] == "mention":
            rec.article_ids.add(values["article_id"])
    return Change(into, label, tuple(sorted(rec.entity_ids)), tuple(sorted(rec.article_ids)))


def _changed_since(session: Session, table: str, row_id: int, since: int) -> str:
    """ " (merge of X into Y, by bob)": the latest change after history entry
    ``since`` that touched the row, for a refused undo's message."""
    later = session.exec(
        select(m.History)
        .where(col(m.History.id) > since, col(m.History.undone_at).is_(None))
        .order_by(col(m.History.id).desc())
        .limit(500)
    ).all()
    for h in later:
        for row in json.loads(h.payload).get("rows", []):
            if row["table"] == table and row["id"] == row_id:
                who = f", by {h.actor}" if h.actor else ""
                return f" ({h.label}{who})"
    return ""


# Where an entity can be referenced from: (model, columns).
_ENTITY_REFERENCES: tuple[tuple[type[SQLModel], tuple[str, ...]], ...] = (
    (m.Mention, ("entity_id",)),
    (m.Alias, ("entity_id",)),
    (m.Relation, ("subject_id", "object_id")),
    (m.Judgement, ("a_id", "b_id")),
    (m.DossierItem, ("entity_id",)),
    (m.Entity, ("merged_into_id",)),
)


def _refuse_if_used(session: Session, entity: m.Entity, own: set[tuple[str, int]]) -> None:
    """An undo that would remove an entity others have since linked mentions
    to (or judged, or put in a dossier) is refused: removing it would take
    their work with it."""
    for model, columns in _ENTITY_REFERENCES:
        for column in columns:
            users = session.exec(
                select(model).where(getattr(model, column) == entity.id)  # type: ignore[attr-defined]
            ).all()
            others = [u for u in users if (_table_name(u), u.id) not in own]  # type: ignore[attr-defined]
            if others:
                raise UndoError(
                    f"{entity.name} (entity {entity.id}) has been used since "
                    f"({len(others)} {_table_name(others[0])} row(s) point at it); "
                    "undoing would remove it, so the undo is refused"
                )


def _apply(
    session: Session, rows: list[dict[str, Any]], side: str, since: int | None = None
) -> Change:
    """Write one side ("before" or "after") of recorded rows, after checking that
    the other side is what the database holds now."""
    other = "after" if side == "before" else "before"
    # Check everything first so that a refused undo changes nothing.
    for row in rows:
        model = _TABLES[row["table"]]
        obj = session.get(model, row["id"])
        current = None if obj is None or _soft_deleted(obj, row[other]) else _dump(obj)
        if current != row[other]:
            what = _changed_since(session, row["table"], row["id"], since) if since else ""
            raise UndoError(
                f"{row['table']} {row['id']} was changed by a later operation{what}; "
                "undo that one first"
            )
        if row[side] is None and row["table"] == "entity" and obj is not None:
            _refuse_if_used(session, obj, {(r["table"], r["id"]) for r in rows})
    entity_ids: set[int] = set()
    article_ids: set[int] = set()
    # Inserts of parents before children, deletions of children before parents;
    # within the entity table a record merged into another is the child.
    order = list(_TABLES)

    def merged(row: dict[str, Any]) -> bool:
        values = row["before"] or row["after"] or {}
        return bool(values.get("merged_into_id"))

    for row in sorted(rows, key=lambda r: (order.index(r["table"]), merged(r))):
        if row[side] is None:
            continue
        model = _TABLES[row["table"]]
        obj = session.get(model, row["id"])
        if obj is None:
            obj = model()
            _load_into(obj, row[side])
            session.add(obj)
        else:
            _load_into(obj, row[side])
        session.flush()
    # Entities this step removes: their judgements go with them (the history
    # entry keeps what they said); a judgement between surviving entities is
    # revoked instead, so the record of who judged what stays.
    going = {r["id"] for r in rows if r["table"] == "entity" and r[side] is None}
    for row in sorted(rows, key=lambda r: (-order.index(r["table"]), not merged(r))):
        if row[side] is not None:
            continue
        obj = session.get(_TABLES[row["table"]], row["id"])
        if isinstance(obj, m.Judgement) and not ({obj.a_id, obj.b_id} & going):
            # Judgements are append-only: "removing" one revokes it, so the
            # record of who judged what stays.
            obj.revoked_at = obj.revoked_at or m.utcnow()
            session.add(obj)
            session.flush()
        elif obj is not None:
            session.delete(obj)
            session.flush()
    for row in rows:
        for values in (row["before"], row["after"]):
            if not values:
                continue
            if row["table"] == "entity":
                entity_ids.add(values["id"])
            elif row["table"] == "alias":
                entity_ids.add(values["entity_id"])
            elif row["table"] == "mention":
                article_ids.add(values["article_id"])
                if values["entity_id"] is not None:
                    entity_ids.add(values["entity_id"])
            elif row["table"] == "relation":
                entity_ids.update((values["subject_id"], values["object_id"]))
    return Change(0, "", tuple(sorted(entity_ids)), tuple(sorted(article_ids)))


_MACHINE_STATUSES = (m.MentionStatus.LINKED, m.MentionStatus.SUGGESTED)


def _links_made_through_the_merge(
    session: Session, rows: list[dict[str, Any]], since: dt.datetime
) -> list[dict[str, Any]]:
    """Rows for what the machine linked to a merge's survivor *after* the merge
    through a name that came from a merged-away entity: an article imported
    later that names B's alias was linked to A only because B was merged into
    A. Undoing the merge moves those mentions, their short forms and the
    spellings the linker learnt from them to B, where linking from scratch
    would put them; the user's own links and confirmed mentions stay.

    Returned as recorded rows ("after" = now, "before" = on B) for ``_apply``."""
    sources: dict[int, int] = {}  # merged-away entity -> survivor
    for r in rows:
        if r["table"] != "entity" or not r["before"] or not r["after"]:
            continue
        if r["before"]["merged_into_id"] is None and r["after"]["merged_into_id"] is not None:
            sources[r["id"]] = r["after"]["merged_into_id"]
    if not sources:
        return []
    recorded = {(r["table"], r["id"]): r for r in rows}
    survivors = set(sources.values())
    # The names each entity had before the merge, by matching key, and the
    # spellings the linker learnt for a survivor since.
    keys_of: dict[int, set[str]] = {e: set() for e in {*sources, *survivors}}
    learnt_since: dict[int, dict[str, m.Alias]] = {e: {} for e in survivors}
    for entity_id in keys_of:
        keys_of[entity_id].add(alias_key(_entity(session, entity_id).name))
        for a in _aliases(session, entity_id):
            row = recorded.get(("alias", a.id or 0))
            if row is None:
                if entity_id in survivors and a.origin == "extract" and a.created_at >= since:
                    learnt_since[entity_id][a.key] = a
                else:
                    keys_of[entity_id].add(a.key)
            elif row["before"] is not None:
                keys_of[row["before"]["entity_id"]].add(a.key)

    def owner(key: str, survivor: int) -> int | None:
        """The merged-away entity whose name ``key`` was, if the survivor's was not."""
        if not key or key in keys_of[survivor]:
            return None
        owners = [src for src, tgt in sources.items() if tgt == survivor and key in keys_of[src]]
        return owners[0] if len(owners) == 1 else None

    extra: list[dict[str, Any]] = []
    for survivor in survivors:
        by_article: dict[int, list[m.Mention]] = {}
        for x in session.exec(select(m.Mention).where(m.Mention.entity_id == survivor)):
            if (
                ("mention", x.id or 0) not in recorded
                and x.method != m.MentionMethod.MANUAL
                and x.status in _MACHINE_STATUSES
            ):
                by_article.setdefault(x.article_id, []).append(x)
        moved_keys: dict[str, int] = {}
        for mentions in by_article.values():
            named: dict[int, int | None] = {}
            followers = []
            for x in mentions:
                key = alias_key(x.text)
                if x.method == "coref" or key in learnt_since[survivor]:
                    followers.append(x)
                else:
                    named[x.id or 0] = owner(key, survivor)
            heads = set(named.values())
            for x in mentions:
                to = named.get(x.id or 0)
                if x in followers and len(heads) == 1:
                    # Linked with its full name in one cluster; it follows it.
                    to = next(iter(heads))
                if to is None:
                    continue
                extra.append(_moved_row("mention", x, to))
                moved_keys[alias_key(x.text)] = to
        for key, alias in learnt_since[survivor].items():
            to = moved_keys.get(key)
            if to is None or alias.name in {b.name for b in _aliases(session, to)}:
                continue
            extra.append(_moved_row("alias", alias, to))
    return extra


def _moved_row(table: str, obj: m.Mention | m.Alias, to: int) -> dict[str, Any]:
    """A recorded row for ``obj`` as it is now ("after") and on entity ``to``
    ("before"), so that undo moves it there and redo back."""
    after = _dump(obj)
    return {"table": table, "id": obj.id, "before": {**after, "entity_id": to}, "after": after}


def _soft_deleted(obj: SQLModel, expected: dict[str, Any] | None) -> bool:
    """A revoked judgement counts as absent where a recorded state says the
    row did not exist (undo revokes judgements instead of deleting them)."""
    return expected is None and isinstance(obj, m.Judgement) and obj.revoked_at is not None


def _pick(
    session: Session, history_id: int | None, *, undone: bool, actor: str | None
) -> m.History:
    """The entry to undo (``undone=False``) or redo: ``history_id``, or the
    latest one of ``actor``'s (entries from before who-did-what was recorded
    count as anyone's). Someone else's change is theirs to undo."""
    if history_id is None:
        query = select(m.History)
        if undone:
            # By the order of the undos, never by their wall-clock time.
            query = query.where(col(m.History.undone_at).is_not(None)).order_by(
                col(m.History.undo_seq).desc(), col(m.History.id).desc()
            )
        else:
            query = query.where(col(m.History.undone_at).is_(None)).order_by(
                col(m.History.id).desc()
            )
        if actor is not None:
            query = query.where(col(m.History.actor).in_([actor, ""]))
        h = session.exec(query).first()
        if h is None:
            raise UndoError("nothing to redo" if undone else "nothing to undo")
    else:
        h = session.get(m.History, history_id)
        if h is None:
            raise NotFoundError(f"no history entry with id {history_id}")
    if actor is not None and h.actor and h.actor != actor:
        raise UndoError(
            f"{h.label!r} was made by {h.actor}; only they can {'redo' if undone else 'undo'} it"
        )
    return h


def history_entities(
    session: Session, history_id: int | None, *, undone: bool, actor: str | None = None
) -> list[int]:
    """The entities an undo (or redo) of that entry would touch, for locking."""
    try:
        h = _pick(session, history_id, undone=undone, actor=actor)
    except (UndoError, NotFoundError):
        return []  # the operation itself reports it
    out: set[int] = set()
    for row in json.loads(h.payload).get("rows", []):
        for values in (row["before"], row["after"]):
            if not values:
                continue
            if row["table"] == "entity":
                out.add(values["id"])
            for key in ("entity_id", "a_id", "b_id", "subject_id", "object_id"):
                if values.get(key) is not None:
                    out.add(values[key])
    return sorted(out)


def undo(session: Session, history_id: int | None = None, *, actor: str | None = None) -> Change:
    """Reverse one recorded change (default: the latest one not yet undone,
    of ``actor``'s when given)."""
    h = _pick(session, history_id, undone=False, actor=actor)
    if h.undone_at is not None:
        raise UndoError(f"{h.label!r} is already undone")
    payload = json.loads(h.payload)
    rows = payload.get("rows", [])
    if h.action == "merge":
        later = _links_made_through_the_merge(session, rows, h.at)
        if later:
            # Kept with the merge, so that redo puts them back on the survivor.
            rows = rows + later
            payload["rows"] = rows
            h.payload = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    done = _apply(session, rows, "before", since=h.id)
    h.undone_at = m.utcnow()
    latest = session.exec(select(sa_func.max(m.History.undo_seq))).one()
    h.undo_seq = (latest or 0) + 1
    session.add(h)
    session.flush()
    assert h.id is not None
    return Change(h.id, f"undo {h.label}", done.entity_ids, done.article_ids)


def redo(session: Session, history_id: int | None = None, *, actor: str | None = None) -> Change:
    """Re-apply an undone change (default: the most recently undone one)."""
    h = _pick(session, history_id, undone=True, actor=actor)
    if h.undone_at is None:
        raise UndoError(f"{h.label!r} is not undone")
    rows = json.loads(h.payload).get("rows", [])
    done = _apply(session, rows, "after", since=h.id)
    h.undone_at = None
    h.undo_seq = None
    session.add(h)
    session.flush()
    assert h.id is not None
    return Change(h.id, f"redo {h.label}", done.entity_ids, done.article_ids)
