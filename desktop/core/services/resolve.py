"""Duplicate suggestions, judgements, merge/split/undo, reference lists.

Each function opens one session (one transaction) and returns plain data. The
identity changes themselves live in :mod:`desktop.core.resolver`; this module
adds the reading side (suggestions, entity profiles, history) and the import
and export of reference lists (CSV and FollowTheMoney JSON lines).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TextIO, TypeVar

from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, col, select

from desktop.core import live, matching, resolver
from desktop.core import models as m
from desktop.core.csv_cells import from_cell, join_list, split_list, to_cell
from desktop.core.errors import (
    ConcurrentChangeError,
    DatabaseError,
    DossierDeskError,
    NotFoundError,
    StaleEditError,
)
from desktop.core.files import atomic_writer
from desktop.core.matching import Candidate, CandidateIndex, EntityRecord, Suggestion
from desktop.core.names import alias_key, looks_like_acronym
from desktop.core.resolver import Change, MergeConflictError, ResolveError
from desktop.core.safe_text import clean_name
from desktop.core.store import Store

__all__ = [
    "Candidate",
    "Change",
    "MergeConflictError",
    "ResolveError",
    "Suggestion",
]


class ReferenceListError(DossierDeskError):
    """A reference list file that cannot be read; the message names file and line."""


# ------------------------------------------------------------ suggestions


def _entity_records(session: Session) -> list[EntityRecord]:
    live = session.exec(select(m.Entity).where(col(m.Entity.merged_into_id).is_(None))).all()
    names: dict[int, list[str]] = defaultdict(list)
    weak: dict[int, set[str]] = defaultdict(set)
    for e in live:
        assert e.id is not None
        names[e.id].append(e.name)
    live_ids = set(names)
    for a in session.exec(select(m.Alias)).all():
        if a.entity_id in live_ids and a.name not in names[a.entity_id]:
            names[a.entity_id].append(a.name)
        if a.kind == m.AliasKind.WEAK_ALIAS:
            weak[a.entity_id].add(a.name)
    articles: dict[int, set[int]] = defaultdict(set)
    by_article: dict[int, set[int]] = defaultdict(set)
    for eid, aid in session.exec(
        select(m.Mention.entity_id, m.Mention.article_id)
        .where(col(m.Mention.entity_id).is_not(None))
        .where(m.Mention.status != m.MentionStatus.REJECTED)
    ).all():
        if eid in live_ids:
            articles[eid].add(aid)
            by_article[aid].add(eid)
    neighbours: dict[int, set[int]] = defaultdict(set)
    for members in by_article.values():
        # Very crowded articles (digests) say little about who appears with whom.
        if len(members) > 200:
            continue
        for e in members:
            neighbours[e].update(members)
    return [
        EntityRecord(
            id=e.id or 0,
            name=e.name,
            type=e.type,
            names=tuple(names[e.id or 0]),
            weak=frozenset(weak[e.id or 0]),
            articles=frozenset(articles[e.id or 0]),
            neighbours=frozenset(neighbours[e.id or 0] - {e.id}),
        )
        for e in live
    ]


def judged_examples(session: Session) -> list[matching.Example]:
    """Every active same/different judgement between two entities, as the two
    names the user compared (the records' own names, merged or not) and the
    verdict: what the scorer learns from."""
    out: list[matching.Example] = []
    for j in resolver.active_judgements(session):
        if j.b_id is None or j.verdict not in (m.Verdict.SAME, m.Verdict.DIFFERENT):
            continue
        a, b = session.get(m.Entity, j.a_id), session.get(m.Entity, j.b_id)
        if a is None or b is None:
            continue
        out.append((a.name, a.type, b.name, b.type, int(j.verdict == m.Verdict.SAME)))
    return out


def suggest(
    store: Store,
    limit: int | None = 50,
    min_score: int = matching.DEFAULT_MIN_SCORE,
    informative: bool = False,
) -> list[Suggestion]:
    """Suggested duplicate pairs, best first; judged pairs never come back, and
    what they taught re-ranks the rest. ``informative``: the pairs the scorer is
    least sure of first (scores nearest 50), the ones whose judgement teaches
    most."""
    with store.session() as s:
        records = _entity_records(s)
        settled = resolver.settled_pairs(s)
        examples = judged_examples(s)
    if not informative:
        return matching.suggest_pairs(
            records, settled, min_score=min_score, limit=limit, examples=examples
        )
    rows = matching.suggest_pairs(records, settled, min_score=min_score, examples=examples)
    rows = matching.informative_order(rows)
    return rows if limit is None else rows[:limit]


def candidate_index(store: Store) -> CandidateIndex:
    """An index of every live entity's names for
    :func:`desktop.core.matching.candidates_for_name` (build once per run)."""
    with store.session() as s:
        return CandidateIndex(_entity_records(s))


# ------------------------------------------------------------- profiles


@dataclass(frozen=True)
class Snippet:
    article_id: int
    article_title: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class EntityProfile:
    """Everything the review queue shows about one side of a pair."""

    id: int
    name: str
    type: str
    aliases: list[str]
    articles: list[tuple[int, str]]
    snippets: list[Snippet]
    co_mentioned: list[tuple[int, str, int]]  # (entity id, name, shared articles)
    merged_into_id: int | None


def entity_profile(store: Store, entity_id: int, max_snippets: int = 5) -> EntityProfile:
    with store.session() as s:
        e = s.get(m.Entity, entity_id)
        if e is None:
            raise NotFoundError(f"no entity with id {entity_id}")
        aliases = [
            a.name
            for a in s.exec(
                select(m.Alias).where(m.Alias.entity_id == entity_id).order_by(col(m.Alias.id))
            ).all()
            if a.name != e.name
        ]
        mentions = s.exec(
            select(m.Mention)
            .where(m.Mention.entity_id == entity_id)
            .where(m.Mention.status != m.MentionStatus.REJECTED)
            .order_by(col(m.Mention.article_id), col(m.Mention.start))
        ).all()
        art_ids = sorted({x.article_id for x in mentions})
        titles = {
            a.id: a.title or "(untitled)"
            for a in s.exec(select(m.Article).where(col(m.Article.id).in_(art_ids))).all()
        }
        snippets = []
        seen_articles: set[int] = set()
        for x in mentions:
            if len(snippets) >= max_snippets or x.article_id in seen_articles:
                continue
            seen_articles.add(x.article_id)
            art = s.get(m.Article, x.article_id)
            body = art.body if art else ""
            lo, hi = max(0, x.start - 80), min(len(body), x.end + 80)
            text = body[lo:hi].replace("\n", " ")
            snippets.append(
                Snippet(
                    x.article_id,
                    titles.get(x.article_id, ""),
                    ("…" if lo else "") + text + ("…" if hi < len(body) else ""),
                    x.start - lo + (1 if lo else 0),
                    x.end - lo + (1 if lo else 0),
                )
            )
        co: dict[int, int] = defaultdict(int)
        if art_ids:
            for eid, _aid in set(
                s.exec(
                    select(m.Mention.entity_id, m.Mention.article_id)
                    .where(col(m.Mention.article_id).in_(art_ids))
                    .where(col(m.Mention.entity_id).is_not(None))
                    .where(m.Mention.entity_id != entity_id)
                ).all()
            ):
                co[eid] += 1
        co_names = {
            x.id: x.name
            for x in s.exec(select(m.Entity).where(col(m.Entity.id).in_(list(co)))).all()
        }
        co_list = sorted(
            ((eid, co_names.get(eid, "?"), n) for eid, n in co.items()),
            key=lambda t: (-t[2], t[1]),
        )[:10]
        return EntityProfile(
            id=entity_id,
            name=e.name,
            type=e.type,
            aliases=aliases,
            articles=[(a, titles.get(a, "")) for a in art_ids],
            snippets=snippets,
            co_mentioned=co_list,
            merged_into_id=e.merged_into_id,
        )


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    at: str
    action: str
    label: str
    undone: bool
    # Who made the change and who undid it (role on a server, OS user for a file).
    actor: str = ""
    undone_by: str | None = None


def history(store: Store, limit: int = 100) -> list[HistoryEntry]:
    with store.session() as s:
        rows = s.exec(select(m.History).order_by(col(m.History.id).desc()).limit(limit)).all()
        return [
            HistoryEntry(
                h.id or 0,
                h.at.isoformat(timespec="seconds"),
                h.action,
                h.label,
                h.undone_at is not None,
                h.actor,
                h.undone_by,
            )
            for h in rows
        ]


@dataclass(frozen=True)
class JudgementInfo:
    """One judgement with who made it and, if revoked, who revoked it."""

    id: int
    a_id: int
    a_name: str
    b_id: int | None
    b_name: str | None
    verdict: str
    note: str
    actor: str
    at: str
    revoked_by: str | None
    revoked_at: str | None


def judgements(store: Store, entity_id: int | None = None) -> list[JudgementInfo]:
    """Judgements newest first, revoked ones included (they are the audit
    trail); with ``entity_id``, those on that entity's cluster."""
    with store.session() as s:
        rows = list(s.exec(select(m.Judgement).order_by(col(m.Judgement.id).desc())).all())
        if entity_id is not None:
            root = resolver.root_id(s, entity_id)
            rows = [
                j
                for j in rows
                if root
                in {resolver.root_id(s, j.a_id)}
                | ({resolver.root_id(s, j.b_id)} if j.b_id is not None else set())
            ]
        names = {
            e.id: e.name
            for e in s.exec(
                select(m.Entity).where(
                    col(m.Entity.id).in_({j.a_id for j in rows} | {j.b_id for j in rows if j.b_id})
                )
            ).all()
        }
        return [
            JudgementInfo(
                j.id or 0,
                j.a_id,
                names.get(j.a_id, "?"),
                j.b_id,
                names.get(j.b_id) if j.b_id is not None else None,
                j.verdict,
                j.note,
                j.actor,
                j.created_at.isoformat(timespec="seconds"),
                j.revoked_by,
                j.revoked_at.isoformat(timespec="seconds") if j.revoked_at else None,
            )
            for j in rows
        ]


@dataclass(frozen=True)
class Conflict:
    judgement_id: int
    a: int
    b: int
    a_name: str
    b_name: str
    # Who judged them different.
    actor: str = ""


def merge_conflicts(store: Store, entity_ids: list[int]) -> list[Conflict]:
    """The `different` judgements a merge of these entities would override."""
    with store.session() as s:
        out = []
        for jid, a, b in resolver.different_conflicts(s, entity_ids):
            ea, eb = s.get(m.Entity, a), s.get(m.Entity, b)
            j = s.get(m.Judgement, jid)
            out.append(
                Conflict(
                    jid, a, b, ea.name if ea else "", eb.name if eb else "", j.actor if j else ""
                )
            )
        return out


# ------------------------------------------------------- identity changes

T = TypeVar("T")
# Attempts for an identity change that lost a race with another researcher's
# (a deadlock, or an entity updated under it); each waits a little longer.
ATTEMPTS = 6


def _identity(
    store: Store, clusters: Callable[[Session], Iterable[int | None]], op: Callable[[Session], T]
) -> T:
    """Run an identity change in one transaction holding the backend's lock on
    every entity cluster it touches (``clusters`` names entities; their roots
    are locked), re-reading after the locks so it works on what others
    committed. A lost race (deadlock, serialization failure, an entity whose
    version moved under us) runs again, a bounded number of times."""
    for attempt in range(ATTEMPTS):
        try:
            with store.session() as s:
                locked: set[int] = set()
                while True:
                    want = _roots(s, clusters(s))
                    if want <= locked:
                        break
                    if not store.backend.lock_identities(s, want - locked):
                        break
                    locked |= want
                    # Rows read before the lock may be stale: read them again.
                    s.expire_all()
                return op(s)
        except (ConcurrentChangeError, StaleDataError) as exc:
            if attempt == ATTEMPTS - 1:
                raise DatabaseError(
                    f"{store.location}: others kept changing the same entities; nothing of "
                    "yours was saved, try again"
                ) from exc
            time.sleep(random.uniform(0.02, 0.05) * 2**attempt)
    raise AssertionError("unreachable")


def _roots(s: Session, entity_ids: Iterable[int | None]) -> set[int]:
    """The clusters of these entities; one that does not exist (yet: a redo
    recreates it) has none to lock."""
    out = set()
    for e in entity_ids:
        if e is None:
            continue
        try:
            out.add(resolver.root_id(s, e))
        except NotFoundError:
            continue
    return out


def _mention_entity(s: Session, mention_id: int) -> int | None:
    mention = s.get(m.Mention, mention_id)
    return mention.entity_id if mention is not None else None


def _judgement_entities(s: Session, judgement_id: int) -> list[int | None]:
    j = s.get(m.Judgement, judgement_id)
    return [j.a_id, j.b_id] if j is not None else []


def merge(
    store: Store, entity_ids: list[int], name: str | None = None, *, force: bool = False
) -> Change:
    return _identity(
        store, lambda s: entity_ids, lambda s: resolver.merge(s, entity_ids, name, force=force)
    )


def judge(
    store: Store, a: int, b: int, verdict: str, note: str = "", *, force: bool = False
) -> Change:
    return _identity(
        store, lambda s: (a, b), lambda s: resolver.judge(s, a, b, verdict, note, force=force)
    )


def revoke_judgement(store: Store, judgement_id: int) -> Change:
    return _identity(
        store,
        lambda s: _judgement_entities(s, judgement_id),
        lambda s: resolver.revoke_judgement(s, judgement_id),
    )


def split(store: Store, entity_id: int, aliases: list[str], name: str | None = None) -> Change:
    return _identity(
        store, lambda s: (entity_id,), lambda s: resolver.split(s, entity_id, aliases, name)
    )


def _check_version(s: Session, entity_id: int, expected: int | None) -> None:
    """Refuse an edit made on a stale view of the entity, naming who changed it."""
    if expected is None:
        return
    e = s.get(m.Entity, entity_id)
    if e is None:
        raise NotFoundError(f"no entity with id {entity_id}")
    if e.version != expected:
        who = f" by {e.updated_by}" if e.updated_by else ""
        raise StaleEditError(
            f"{e.name} was changed{who} at {e.updated_at:%H:%M:%S} UTC since you opened it; "
            "reload it to see the change, then edit again"
        )


def rename(
    store: Store,
    entity_id: int,
    name: str,
    *,
    expected_version: int | None = None,
    keep_old: bool = True,
) -> Change:
    """``expected_version`` is the entity's ``version`` as the caller showed it:
    a rename made on a stale view is refused (StaleEditError) instead of
    overwriting someone else's change."""

    def op(s: Session) -> Change:
        _check_version(s, entity_id, expected_version)
        return resolver.rename(s, entity_id, name, keep_old=keep_old)

    return _identity(store, lambda s: (entity_id,), op)


def delete_entity(store: Store, entity_id: int, *, not_an_entity: bool = False) -> Change:
    return _identity(
        store,
        lambda s: (entity_id,),
        lambda s: resolver.delete_entity(s, entity_id, not_an_entity=not_an_entity),
    )


def set_type(store: Store, entity_id: int, type: str) -> Change:
    return _identity(store, lambda s: (entity_id,), lambda s: resolver.set_type(s, entity_id, type))


def add_alias(store: Store, entity_id: int, name: str, kind: str = m.AliasKind.ALIAS) -> Change:
    return _identity(
        store, lambda s: (entity_id,), lambda s: resolver.add_alias(s, entity_id, name, kind)
    )


def remove_alias(store: Store, entity_id: int, name: str) -> Change:
    return _identity(
        store, lambda s: (entity_id,), lambda s: resolver.remove_alias(s, entity_id, name)
    )


# Offered in the relation dialog; any other predicate may be typed.
COMMON_PREDICATES = (
    "member of",
    "leader of",
    "founder of",
    "spokesman for",
    "deputy of",
    "commander of",
    "located in",
    "based in",
    "allied with",
    "rival of",
    "funded by",
    "affiliated with",
    "relative of",
)


def add_relation(
    store: Store,
    subject_id: int,
    predicate: str,
    object_id: int,
    *,
    evidence_mention_id: int | None = None,
    note: str = "",
) -> Change:
    with store.session() as s:
        return resolver.add_relation(
            s, subject_id, predicate, object_id, evidence_mention_id=evidence_mention_id, note=note
        )


def remove_relation(store: Store, relation_id: int) -> Change:
    with store.session() as s:
        return resolver.remove_relation(s, relation_id)


def link_mention(store: Store, mention_id: int, entity_id: int) -> Change:
    return _identity(
        store,
        lambda s: (entity_id, _mention_entity(s, mention_id)),
        lambda s: resolver.link_mention(s, mention_id, entity_id),
    )


def unlink_mention(store: Store, mention_id: int) -> Change:
    return _identity(
        store,
        lambda s: (_mention_entity(s, mention_id),),
        lambda s: resolver.unlink_mention(s, mention_id),
    )


def mark_not_entity(store: Store, mention_id: int) -> Change:
    return _identity(
        store,
        lambda s: (_mention_entity(s, mention_id),),
        lambda s: resolver.mark_not_entity(s, mention_id),
    )


def mark_mention(
    store: Store, article_id: int, start: int, end: int, type: str, entity_id: int | None = None
) -> Change:
    with store.session() as s:
        return resolver.mark_mention(s, article_id, start, end, type, entity_id)


def confirm_mention(store: Store, mention_id: int) -> Change:
    """Confirm a suggested link: link the mention to the entity it points at,
    and add its spelling as an alias when the entity has none with that key."""
    with store.session() as s:
        mention = s.get(m.Mention, mention_id)
        if mention is None:
            raise NotFoundError(f"no mention with id {mention_id}")
        if mention.entity_id is None:
            raise ResolveError(f"mention {mention.text!r} is not linked; link it to an entity")
        return resolver.confirm_mention(s, mention_id, resolver.root_id(s, mention.entity_id))


def undo(store: Store, history_id: int | None = None) -> Change:
    """Undo your own latest change (or ``history_id``, which must be yours);
    refused, naming who, when someone has changed the same records since."""
    return _history_step(store, history_id, undone=False)


def redo(store: Store, history_id: int | None = None) -> Change:
    return _history_step(store, history_id, undone=True)


def _history_step(store: Store, history_id: int | None, *, undone: bool) -> Change:
    """Undo (``undone=False``) or redo one history entry of this researcher's,
    holding the locks of every entity it touches."""
    step = resolver.redo if undone else resolver.undo

    def op(s: Session) -> Change:
        return step(s, history_id, actor=store.backend.actor(s))

    return _identity(
        store,
        lambda s: resolver.history_entities(
            s, history_id, undone=undone, actor=store.backend.actor(s)
        ),
        op,
    )


# -------------------------------------------------------- reference lists

_FTM_TYPES = {
    "Person": m.EntityType.PER,
    "Organization": m.EntityType.ORG,
    "LegalEntity": m.EntityType.ORG,
    "Company": m.EntityType.ORG,
    "PublicBody": m.EntityType.ORG,
    "Address": m.EntityType.LOC,
    "Country": m.EntityType.LOC,
}
_TYPE_TO_FTM = {
    m.EntityType.PER: "Person",
    m.EntityType.ORG: "Organization",
    m.EntityType.LOC: "Address",
    m.EntityType.MISC: "LegalEntity",
}
_NAME_PROPS = ("name", "alias", "weakAlias", "previousName")


@dataclass(frozen=True)
class ImportReport:
    path: str
    entities: int
    aliases: int
    skipped: list[str]


@dataclass(frozen=True)
class _Row:
    line: int
    name: str
    type: str
    names: list[tuple[str, str]]  # (name, alias kind)
    properties: dict[str, object]


def _parse_type(raw: str, where: str) -> str:
    t = raw.strip().upper() or m.EntityType.MISC
    aliases = {"PERSON": "PER", "ORGANIZATION": "ORG", "ORGANISATION": "ORG", "PLACE": "LOC"}
    t = aliases.get(t, t)
    if t not in m.EntityType.__members__:
        raise ReferenceListError(f"{where}: unknown type {raw!r} (use PER, ORG, LOC or MISC)")
    return t


def _read_csv(path: Path) -> list[_Row]:
    refused = live.refusal(path, "be read as a reference list")
    if refused is not None:
        raise ReferenceListError(refused)
    rows: list[_Row] = []
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            fields = [f.strip().lower() for f in (reader.fieldnames or [])]
            if "name" not in fields:
                raise ReferenceListError(
                    f"{path}: line 1: the header must have a 'name' column "
                    "(and optionally 'type' and 'aliases')"
                )
            for rec in reader:
                line = reader.line_num
                # Cells written by export_entities carry a ' before a leading
                # = + - @ (spreadsheet formulas); csv_cells removes it again.
                rec = {
                    (k or "").strip().lower(): from_cell(v) if isinstance(v, str) else (v or "")
                    for k, v in rec.items()
                }
                # Control characters never enter (see core.safe_text).
                name = clean_name(rec.get("name", ""))
                if not name:
                    raise ReferenceListError(f"{path}: line {line}: empty name")
                type_ = _parse_type(rec.get("type", ""), f"{path}: line {line}")
                names = [(name, m.AliasKind.NAME)]
                for alias in split_list(rec.get("aliases", "")):
                    alias = clean_name(alias)
                    if alias and alias != name:
                        kind = (
                            m.AliasKind.WEAK_ALIAS
                            if looks_like_acronym(alias)
                            else m.AliasKind.ALIAS
                        )
                        names.append((alias, kind))
                rows.append(_Row(line, name, type_, names, {}))
    except UnicodeDecodeError as exc:
        raise ReferenceListError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    except csv.Error as exc:
        raise ReferenceListError(f"{path}: malformed CSV ({exc})") from exc
    return rows


def _read_ftm(path: Path) -> tuple[list[_Row], list[str]]:
    refused = live.refusal(path, "be read as a reference list")
    if refused is not None:
        raise ReferenceListError(refused)
    rows: list[_Row] = []
    skipped: list[str] = []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReferenceListError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    # Lines end at "\n" only: splitlines() would also cut at U+0085 and
    # U+2028, which JSON allows raw inside strings.
    for line_no, line in enumerate(text.replace("\r\n", "\n").split("\n"), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ReferenceListError(f"{path}: line {line_no}: not JSON ({exc.msg})") from exc
        if not isinstance(obj, dict):
            raise ReferenceListError(f"{path}: line {line_no}: expected a JSON object")
        schema = obj.get("schema", "")
        if schema not in _FTM_TYPES:
            skipped.append(f"line {line_no}: schema {schema!r} is not a named entity")
            continue
        props = obj.get("properties") or {}
        if not isinstance(props, dict):
            raise ReferenceListError(f"{path}: line {line_no}: 'properties' must be an object")
        names: list[tuple[str, str]] = []
        for prop in _NAME_PROPS:
            values = props.get(prop) or []
            if isinstance(values, str):
                values = [values]
            for v in values:
                v = clean_name(v) if isinstance(v, str) else ""
                if v and v not in [n for n, _ in names]:
                    names.append((v, prop))
        if not names:
            raise ReferenceListError(f"{path}: line {line_no}: a {schema} with no name")
        extra = {k: v for k, v in props.items() if k not in _NAME_PROPS and isinstance(v, list)}
        if obj.get("id"):
            extra["ftm_id"] = obj["id"]
        first = next((n for n, k in names if k == "name"), names[0][0])
        rows.append(_Row(line_no, first, _FTM_TYPES[schema], names, extra))
    return rows, skipped


def import_entities(store: Store, path: Path | str) -> ImportReport:
    """Load a reference list (``.csv``, or FollowTheMoney ``.json``/``.jsonl``/
    ``.ftm``) as new canonical entities with their aliases, one per row/record.
    All or nothing: a bad line aborts the import and names the line."""
    path = Path(path)
    if not path.is_file():
        raise ReferenceListError(f"{path}: no such file")
    suffix = path.suffix.lower()
    skipped: list[str] = []
    if suffix == ".csv":
        rows = _read_csv(path)
    elif suffix in (".json", ".jsonl", ".ftm", ".ndjson"):
        rows, skipped = _read_ftm(path)
    else:
        raise ReferenceListError(
            f"{path}: unknown format {suffix or '(no extension)'}; use .csv or .jsonl (FtM)"
        )
    n_alias = 0
    with store.session() as s:
        for row in rows:
            e = m.Entity(
                name=row.name,
                type=row.type,
                properties=json.dumps(row.properties, ensure_ascii=False, sort_keys=True),
            )
            s.add(e)
            s.flush()
            seen: set[str] = set()
            for name, kind in row.names:
                if name in seen:
                    continue
                seen.add(name)
                s.add(
                    m.Alias(
                        entity_id=e.id or 0,
                        name=name,
                        key=alias_key(name),
                        kind=kind,
                        origin="import",
                        confirmed=True,
                    )
                )
                n_alias += 1
    return ImportReport(str(path), len(rows), n_alias, skipped)


@dataclass(frozen=True)
class ExportReport:
    path: str
    entities: int


def _json_line(record: object) -> str:
    """One JSON line; the characters other tools take for line ends (NEL,
    U+2028, U+2029) are escaped, so a name holding one cannot split a record."""
    text = json.dumps(record, ensure_ascii=False, sort_keys=True)
    for c in ("\x85", "\u2028", "\u2029"):
        text = text.replace(c, f"\\u{ord(c):04x}")
    return text + "\n"


@contextlib.contextmanager
def _text(raw: BinaryIO, newline: str | None = None) -> Iterator[TextIO]:
    """UTF-8 text over the binary file of an atomic write, flushed at the end
    (but not closed: the atomic writer still has to fsync it)."""
    fh = io.TextIOWrapper(raw, encoding="utf-8", newline=newline)
    try:
        yield fh
        fh.flush()
    finally:
        fh.detach()


def export_entities(store: Store, path: Path | str) -> ExportReport:
    """Write every live entity with its aliases, as CSV or FtM JSON lines (by
    the extension of ``path``)."""
    path = Path(path)
    refused = live.refusal(path, "be overwritten by an export")
    if refused is not None:
        raise ReferenceListError(refused)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".json", ".jsonl", ".ftm", ".ndjson"):
        raise ReferenceListError(
            f"{path}: unknown format {suffix or '(no extension)'}; use .csv or .jsonl (FtM)"
        )
    with store.session() as s:
        entities = s.exec(
            select(m.Entity)
            .where(col(m.Entity.merged_into_id).is_(None))
            .order_by(col(m.Entity.id))
        ).all()
        aliases: dict[int, list[m.Alias]] = defaultdict(list)
        for a in s.exec(select(m.Alias).order_by(col(m.Alias.id))).all():
            aliases[a.entity_id].append(a)
    try:
        if suffix == ".csv":
            with atomic_writer(path) as raw, _text(raw, newline="") as fh:
                w = csv.writer(fh)
                w.writerow(["name", "type", "aliases"])
                for e in entities:
                    names = [a.name for a in aliases[e.id or 0] if a.name != e.name]
                    w.writerow([to_cell(e.name), e.type, to_cell(join_list(names))])
        else:
            with atomic_writer(path) as raw, _text(raw) as fh:
                for e in entities:
                    props: dict[str, list[str]] = {"name": [e.name]}
                    for a in aliases[e.id or 0]:
                        kind = a.kind if a.kind in _NAME_PROPS else "alias"
                        if a.name != e.name and a.name not in props.get(kind, []):
                            props.setdefault(kind, []).append(a.name)
                    try:
                        extra = json.loads(e.properties or "{}")
                    except json.JSONDecodeError:
                        extra = {}
                    for k, v in extra.items():
                        if k != "ftm_id" and isinstance(v, list):
                            props.setdefault(k, v)
                    record = {
                        "id": extra.get("ftm_id") or f"dossier-desk-{e.id}",
                        "schema": _TYPE_TO_FTM.get(e.type, "LegalEntity"),
                        "properties": props,
                    }
                    fh.write(_json_line(record))
    except OSError as exc:
        raise ReferenceListError(f"{path}: cannot write ({exc.strerror})") from exc
    return ExportReport(str(path), len(entities))
