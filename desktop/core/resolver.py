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
from sqlmodel import Session, SQLModel, col, select

from desktop.core import models as m
from desktop.core.errors import DossierDeskError, NotFoundError
from desktop.core.logs import private
from desktop.core.names import alias_key

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
    out: dict[str, Any] = {}
    for column in obj.__table__.columns:  # type: ignore[attr-defined]
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
    name = name.strip()
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
            f"judgement {jid}: {names.get(root_id(session, a), a)} is different from "
            f"{names.get(root_id(session, b), b)}"
            for jid, a, b in conflicts
        )
        raise MergeConflictError(
            f"these entities were judged different ({desc}); revoke the judgement or "
            "merge with force",
            conflicts,
        )
    target, sources = entities[0], entities[1:]
    assert target.id is not None
    canonical = (name or target.name).strip()
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
                f"(judgement {conflicts[0][0]}); revoke it or force the merge",
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
    new_name = (name or aliases[0].name).strip()
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


def rename(session: Session, entity_id: int, name: str) -> Change:
    e = _live(session, entity_id)
    name = name.strip()
    if not name:
        raise ResolveError("a name cannot be empty")
    rec = _Recorder(session)
    rec.touch(e)
    old = e.name
    assert e.id is not None
    _ensure_alias(rec, e.id, old, m.AliasKind.ALIAS, "user")
    _ensure_alias(rec, e.id, name, m.AliasKind.NAME, "user")
    e.name = name
    e.updated_at = m.utcnow()
    return rec.finish("rename", f"rename of {old} to {name}")


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
    if not name.strip():
        raise ResolveError("an alias cannot be empty")
    assert e.id is not None
    rec = _Recorder(session)
    if any(a.name == name.strip() for a in _aliases(session, e.id)):
        raise ResolveError(f"{e.name} already has the alias {name.strip()!r}")
    _ensure_alias(rec, e.id, name, kind, "user")
    return rec.finish("alias_add", f"alias {name.strip()} added to {e.name}")


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


def _apply(session: Session, rows: list[dict[str, Any]], side: str) -> Change:
    """Write one side ("before" or "after") of recorded rows, after checking that
    the other side is what the database holds now."""
    other = "after" if side == "before" else "before"
    # Check everything first so that a refused undo changes nothing.
    for row in rows:
        model = _TABLES[row["table"]]
        obj = session.get(model, row["id"])
        current = None if obj is None else _dump(obj)
        if current != row[other]:
            raise UndoError(
                f"{row['table']} {row['id']} was changed by a later operation; undo that one first"
            )
    entity_ids: set[int] = set()
    article_ids: set[int] = set()
    # Inserts of parents before children, deletions of children before parents.
    order = list(_TABLES)
    for row in sorted(rows, key=lambda r: order.index(r["table"])):
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
    for row in sorted(rows, key=lambda r: -order.index(r["table"])):
        if row[side] is not None:
            continue
        obj = session.get(_TABLES[row["table"]], row["id"])
        if obj is not None:
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


def undo(session: Session, history_id: int | None = None) -> Change:
    """Reverse one recorded change (default: the latest one not yet undone)."""
    if history_id is None:
        h = session.exec(
            select(m.History)
            .where(col(m.History.undone_at).is_(None))
            .order_by(col(m.History.id).desc())
        ).first()
        if h is None:
            raise UndoError("nothing to undo")
    else:
        h = session.get(m.History, history_id)
        if h is None:
            raise NotFoundError(f"no history entry with id {history_id}")
    if h.undone_at is not None:
        raise UndoError(f"{h.label!r} is already undone")
    rows = json.loads(h.payload).get("rows", [])
    done = _apply(session, rows, "before")
    h.undone_at = m.utcnow()
    session.add(h)
    session.flush()
    assert h.id is not None
    return Change(h.id, f"undo {h.label}", done.entity_ids, done.article_ids)


def redo(session: Session, history_id: int | None = None) -> Change:
    """Re-apply an undone change (default: the most recently undone one)."""
    if history_id is None:
        h = session.exec(
            select(m.History)
            .where(col(m.History.undone_at).is_not(None))
            .order_by(col(m.History.undone_at).desc(), col(m.History.id).desc())
        ).first()
        if h is None:
            raise UndoError("nothing to redo")
    else:
        h = session.get(m.History, history_id)
        if h is None:
            raise NotFoundError(f"no history entry with id {history_id}")
    if h.undone_at is None:
        raise UndoError(f"{h.label!r} is not undone")
    rows = json.loads(h.payload).get("rows", [])
    done = _apply(session, rows, "after")
    h.undone_at = None
    session.add(h)
    session.flush()
    assert h.id is not None
    return Change(h.id, f"redo {h.label}", done.entity_ids, done.article_ids)
