"""Mention -> entity: the alias index, fuzzy candidates, and new records.

For each cluster of mentions the extractor found in one article:
- a gazetteer hit, or an exact ``alias_key`` match with one live entity of a
  compatible type: linked at once (status ``linked``);
- otherwise the best fuzzy candidate above the threshold: a suggestion
  (status ``suggested``, score and reason in ``Mention.reason``);
- otherwise a new entity, whose name alias is the surface form.

Merged-away entities are never targets: ``merged_into_id`` is followed to the
live record. Fuzzy candidates come from a :class:`CandidateFinder`; the default,
:func:`matching_candidates`, scores with the duplicates module so that linking
and duplicate suggestions judge names alike.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from sqlmodel import Session, col, select

from desktop.core import models as m
from desktop.core.backend import backend_of
from desktop.core.extract import Found
from desktop.core.extract.lexicon import CONNECTOR_WORDS, SAME_PLACE_TAILS
from desktop.core.names import alias_key


@dataclass(frozen=True)
class Candidate:
    entity_id: int
    score: float  # 0..100
    reason: str


class CandidateFinder(Protocol):
    def __call__(self, name: str, type_: str, index: AliasIndex) -> list[Candidate]: ...


def compatible(a: str, b: str) -> bool:
    return a == b or m.EntityType.MISC in (a, b)


_VOWELS = re.compile(r"[aeiouy]+")


def _skeleton(token: str) -> str:
    """Consonant skeleton of a romanised word: Mohammed, Muhammad -> mhmd."""
    if len(token) <= 2:
        return token
    s = token[0] + _VOWELS.sub("", token[1:])
    return re.sub(r"(.)\1+", r"\1", s).replace("w", "").replace("h", "") or token[0]


@dataclass
class _EntityRow:
    id: int
    name: str
    type: str


class AliasIndex:
    """Plain-data view of the live entities and their alias keys, kept for one
    linking run and updated as new entities and aliases are created."""

    def __init__(self) -> None:
        self.entities: dict[int, _EntityRow] = {}
        self.merged: dict[int, int] = {}
        self.by_key: dict[str, set[int]] = defaultdict(set)
        self.by_token: dict[str, set[str]] = defaultdict(set)
        self.names_of: dict[int, set[str]] = defaultdict(set)

    @classmethod
    def load(cls, session: Session) -> AliasIndex:
        idx = cls()
        for e in session.exec(select(m.Entity)).all():
            if e.merged_into_id is not None:
                idx.merged[e.id or 0] = e.merged_into_id
            else:
                idx.entities[e.id or 0] = _EntityRow(e.id or 0, e.name, e.type)
        for entity_id, name, key in session.exec(
            select(m.Alias.entity_id, m.Alias.name, m.Alias.key)
        ).all():
            idx.add_alias(entity_id, name, key or alias_key(name))
        for e in list(idx.entities.values()):
            idx.add_alias(e.id, e.name, alias_key(e.name))
        return idx

    def live(self, entity_id: int) -> int | None:
        seen = set()
        while entity_id in self.merged and entity_id not in seen:
            seen.add(entity_id)
            entity_id = self.merged[entity_id]
        return entity_id if entity_id in self.entities else None

    def add_entity(self, entity_id: int, name: str, type_: str) -> None:
        self.entities[entity_id] = _EntityRow(entity_id, name, type_)

    def add_alias(self, entity_id: int, name: str, key: str) -> None:
        live = self.live(entity_id)
        if live is None or not key:
            return
        self.by_key[key].add(live)
        self.names_of[live].add(key)
        for tok in key.split():
            self.by_token[_skeleton(tok)].add(key)

    def exact(self, key: str) -> set[int]:
        return {e for e in self.by_key.get(key, ()) if e in self.entities}


# matching.score_names is calibrated for suggestions (70 = worth a look); a
# mention is only *linked* on a suggestion at a stricter bar.
MATCHING_THRESHOLD = 80


def matching_candidates(name: str, type_: str, index: AliasIndex) -> list[Candidate]:
    """The finder the app uses: this index's token-skeleton blocks (they follow
    the records created during the run), scored by the duplicates module's
    :func:`desktop.core.matching.score_names`, so linking and duplicate
    suggestions agree on what makes two names the same, and a distinguishing
    word ("Lashkar-e-Taiba" / "Lashkar-e-Jhangvi") is a conflict for both."""
    from desktop.core.matching import NameInfo, score_names

    key = alias_key(name)
    toks = key.split()
    if not toks:
        return []
    pool: set[str] = set()
    for tok in toks:
        if len(tok) >= 3:
            pool |= index.by_token.get(_skeleton(tok), set())
    pool.discard(key)
    info = NameInfo.of(name)
    best: dict[int, Candidate] = {}
    for other in pool:
        words = other.split()
        if _other_name_around(toks, words, type_) or _place_named_after(words, toks, type_):
            continue
        entity_ids = [
            eid for eid in index.exact(other) if compatible(index.entities[eid].type, type_)
        ]
        if not entity_ids:
            continue
        for eid in entity_ids:
            kind = type_ if type_ == index.entities[eid].type and type_ != "MISC" else ""
            scored = score_names(info, NameInfo.of(other), kind)
            if scored.conflict or scored.score < MATCHING_THRESHOLD:
                continue
            if eid not in best or best[eid].score < scored.score:
                best[eid] = Candidate(eid, float(scored.score), f"{scored.reason}: {other!r}")
    return sorted(best.values(), key=lambda c: (-c.score, c.entity_id))


def _other_name_around(short: list[str], long: list[str], type_: str) -> bool:
    """Whether ``long`` is a longer, different name built around ``short``:
    "US" / "US Senate", "Gaza" / "Gaza City", "Aung San" / "Aung San Suu Kyi".
    Not so for a person's first name or surname ("Trump" / "Donald Trump"), a
    place's generic last word ("Gaza" / "Gaza Strip"), or the head of a
    compound ("Lashkar" / "Lashkar-e-Taiba")."""
    if len(short) >= len(long):
        return False
    n = len(short)
    for i in range(len(long) - n + 1):
        if long[i : i + n] != short:
            continue
        before, after = long[:i], long[i + n :]
        if after and after[0] in CONNECTOR_WORDS:
            return False
        if type_ == "PER" and (n == 1 or not after):
            return False  # a first name, a surname, "bin Laden"
        if type_ == "ORG" and n >= 2 and not after and before[-2:] == ["of", "the"]:
            return False  # "Red Cross" / "International Committee of the Red Cross"
        return not (not before and len(after) == 1 and after[0] in SAME_PLACE_TAILS)
    return False


# Words that make a place named after another a place of its own: "Gaza City"
# is not Gaza, "Mexico City" not Mexico, "Kings County" not Kings.
_OTHER_PLACE_TAILS = frozenset(["city", "town", "village", "county"])


def _place_named_after(short: list[str], long: list[str], type_: str) -> bool:
    """Whether the place ``long`` ("Mexico City") is named after ``short``
    ("Mexico") and is another place; "Swat District", "Borno State" are not."""
    return (
        type_ in ("LOC", "MISC", "")
        and len(long) == len(short) + 1
        and long[:-1] == short
        and long[-1] in _OTHER_PLACE_TAILS
    )


@dataclass
class LinkStats:
    mentions: int = 0
    linked: int = 0
    suggested: int = 0
    new_entities: int = 0


def _canonical(members: list[Found]) -> Found:
    full = [f for f in members if not f.weak] or members
    # The longest full form, earliest first: "Masood Azhar" over "Azhar".
    return max(full, key=lambda f: (len(f.text.split()), len(f.text), -f.start))


class Linker:
    """Links the mentions of one article after another, in one session."""

    def __init__(
        self,
        session: Session,
        index: AliasIndex,
        *,
        finder: CandidateFinder | Callable[..., list[Candidate]] = matching_candidates,
        not_entities: set[str] | None = None,
    ) -> None:
        self.session = session
        self.index = index
        self.finder = finder
        self.not_entities = not_entities or set()

    def link_article(
        self,
        article_id: int,
        found: Iterable[Found],
        *,
        blocked: set[tuple[int, int]] | None = None,
        stats: LinkStats | None = None,
    ) -> LinkStats:
        """Write Mention rows for ``found``, skipping spans in ``blocked``
        (those the user already decided) and the user's "not an entity" forms."""
        stats = stats or LinkStats()
        blocked = blocked or set()
        kept = [
            f
            for f in found
            if alias_key(f.text) not in self.not_entities
            and not any(s < f.end and f.start < e for s, e in blocked)
        ]
        clusters: dict[int, list[Found]] = defaultdict(list)
        for f in kept:
            clusters[f.cluster].append(f)
        for members in clusters.values():
            self._link_cluster(article_id, members, stats)
        return stats

    def _link_cluster(self, article_id: int, members: list[Found], stats: LinkStats) -> None:
        head = _canonical(members)
        type_ = head.type
        target: int | None = None
        status = m.MentionStatus.LINKED
        reason = ""
        for f in members:
            if f.entity_id is not None:
                target = self.index.live(f.entity_id)
                if target is not None:
                    reason = "in your confirmed names"
                    break
        if target is None:
            keys = []
            for f in sorted(members, key=lambda f: (f.weak, -len(f.text))):
                k = alias_key(f.text)
                if k and k not in keys:
                    keys.append(k)
            for k in keys:
                hits = self.index.exact(k)
                fitting = sorted(e for e in hits if compatible(self.index.entities[e].type, type_))
                if len(fitting) == 1:
                    target, reason = fitting[0], f"same name as {k!r}"
                    break
                if len(fitting) > 1:
                    target, status = fitting[0], m.MentionStatus.SUGGESTED
                    reason = f"{k!r} is a name of {len(fitting)} entities"
                    break
                if len(hits) == 1 and not any(f.weak for f in members if alias_key(f.text) == k):
                    # One record with this very name, typed otherwise: the
                    # record's type wins over this article's guess, so an
                    # entity keeps one type across the library.
                    target = next(iter(hits))
                    type_ = self.index.entities[target].type
                    reason = f"same name as {k!r} (typed {type_} in your records)"
                    break
        if target is None:
            cands = self.finder(head.text, type_, self.index)
            if cands:
                best = cands[0]
                target, status = best.entity_id, m.MentionStatus.SUGGESTED
                reason = f"{best.reason} (score {best.score:.0f})"
        if target is None:
            target = self._created_meanwhile(head, type_)
            if target is not None:
                reason = f"same name as {head.text!r}, just added by another researcher"
                self._learn_aliases(target, members)
        if target is None:
            target = self._new_entity(head, members)
            stats.new_entities += 1
            reason = "new entity"
        elif status == m.MentionStatus.LINKED:
            self._learn_aliases(target, members)
        for f in members:
            f_status = status
            f_reason = reason
            if f.ambiguous:
                f_status = m.MentionStatus.SUGGESTED
                f_reason = f.reason
            elif f.method == "coref" and not f.reason:
                f_reason = f"short form of {head.text}; {reason}"
            self.session.add(
                m.Mention(
                    article_id=article_id,
                    start=f.start,
                    end=f.end,
                    text=f.text,
                    type=type_,
                    entity_id=target,
                    method=f.method,
                    confidence=f.confidence,
                    status=f_status,
                    title=f.title,
                    reason=f_reason[:500],
                )
            )
            stats.mentions += 1
            if f_status == m.MentionStatus.SUGGESTED:
                stats.suggested += 1
            else:
                stats.linked += 1

    def _created_meanwhile(self, head: Found, type_: str) -> int | None:
        """On a shared library, another researcher's import may have created
        this name since our index was loaded: wait for anyone creating entities
        (backend lock, until this article commits), then look in the database.
        So two imports of one name make one entity, not two."""
        if not backend_of(self.session).lock_new_names(self.session):
            return None
        key = alias_key(head.text)
        rows = self.session.exec(
            select(m.Entity.id, m.Entity.name, m.Entity.type)
            .join(m.Alias, col(m.Alias.entity_id) == col(m.Entity.id))
            .where(m.Alias.key == key, col(m.Entity.merged_into_id).is_(None))
        ).all()
        for eid, name, etype in sorted(rows, key=lambda r: r[0] or 0):
            if eid is not None and compatible(etype, type_):
                self.index.add_entity(eid, name, etype)
                self.index.add_alias(eid, name, key)
                return eid
        return None

    def _new_entity(self, head: Found, members: list[Found]) -> int:
        name = _display_name(head, members)
        entity = m.Entity(name=name, type=head.type)
        self.session.add(entity)
        self.session.flush()
        eid = entity.id or 0
        self.index.add_entity(eid, name, head.type)
        self._add_alias(eid, name, m.AliasKind.NAME)
        self._learn_aliases(eid, members)
        return eid

    def _learn_aliases(self, entity_id: int, members: list[Found]) -> None:
        """Other spellings in the cluster become aliases: full forms as ``alias``,
        acronyms defined in the text as ``weakAlias``. Short forms found by
        coreference ("Zaheer") are not kept: they would link too widely."""
        for f in members:
            if f.method == "coref":
                continue
            kind = m.AliasKind.WEAK_ALIAS if f.weak else m.AliasKind.ALIAS
            self._add_alias(entity_id, f.text, kind)

    def _add_alias(self, entity_id: int, name: str, kind: str) -> None:
        key = alias_key(name)
        if not key or key in self.index.names_of.get(entity_id, set()):
            return
        self.session.add(
            m.Alias(entity_id=entity_id, name=name, key=key, kind=kind, origin="extract")
        )
        self.index.add_alias(entity_id, name, key)


def not_entity_keys(session: Session) -> set[str]:
    return set(session.exec(select(m.NotEntity.key)).all())


def live_entity_ids(session: Session, ids: Iterable[int]) -> list[int]:
    """Follow merged_into_id for each id (helper for callers outside a run)."""
    ids = list(ids)
    rows = session.exec(select(m.Entity).where(col(m.Entity.id).in_(ids))).all()
    by_id = {e.id: e for e in rows}
    out = []
    for i in ids:
        e = by_id.get(i)
        seen = set()
        while e is not None and e.merged_into_id is not None and e.id not in seen:
            seen.add(e.id)
            e = session.get(m.Entity, e.merged_into_id)
        if e is not None and e.id is not None:
            out.append(e.id)
    return out


def settle_targets(session: Session, article_id: int) -> None:
    """On a shared library, someone may have merged an entity away since this
    run's index was loaded: lock the clusters this article's mentions point
    at (until its commit, so no merge can slip in) and point any mention of a
    merged-away record at the entity it was merged into. Nothing to do when
    this process is the only writer."""
    backend = backend_of(session)
    if not backend.lock_identities(session, ()):
        return
    targets = set(
        session.exec(
            select(m.Mention.entity_id).where(
                m.Mention.article_id == article_id, col(m.Mention.entity_id).is_not(None)
            )
        ).all()
    )
    if not targets:
        return
    backend.lock_identities(session, targets)
    session.expire_all()
    for mention in session.exec(
        select(m.Mention)
        .join(m.Entity, col(m.Entity.id) == col(m.Mention.entity_id))
        .where(m.Mention.article_id == article_id, col(m.Entity.merged_into_id).is_not(None))
    ).all():
        entity = session.get(m.Entity, mention.entity_id)
        seen: set[int] = set()
        while entity is not None and entity.merged_into_id is not None and entity.id not in seen:
            seen.add(entity.id or 0)
            entity = session.get(m.Entity, entity.merged_into_id)
        if entity is not None:
            mention.entity_id = entity.id
            session.add(mention)


def _display_name(head: Found, members: list[Found]) -> str:
    """The name a new record gets: the cluster's head, unless it is shouted
    ("QUETTA: ..." datelines, headlines) and the same name is written in
    ordinary case elsewhere in the cluster. An editor's brackets go: the
    record of "[George W.] Bush" is "George W. Bush"."""
    text = head.text
    if "[" in text and "]" in text:
        text = text.replace("[", "").replace("]", "")
    if not (text.isupper() and len(text) >= 5):
        return text
    key = alias_key(text)
    for f in members:
        if not f.text.isupper() and alias_key(f.text) == key:
            return f.text
    if head.type != "LOC":
        return text  # shouted organisations are mostly acronyms: keep them
    return " ".join(_place_case(w, first=i == 0) for i, w in enumerate(text.split()))


_SMALL_WORDS = frozenset(["and", "of", "the", "on", "upon"])


def _place_case(word: str, *, first: bool) -> str:
    """One shouted word of a place name in ordinary case: "JAMMU AND KASHMIR"
    -> "Jammu and Kashmir", "MAZAR-E-SHARIF" -> "Mazar-e-Sharif"."""
    low = word.lower()
    if not first and low in _SMALL_WORDS:
        return low
    parts = low.split("-")
    return "-".join(
        p if j and p in CONNECTOR_WORDS else p[:1].upper() + p[1:] for j, p in enumerate(parts)
    )
