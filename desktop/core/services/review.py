"""What the review queue works through: clusters of suggested duplicates, and
mentions the linker only suggested.

Clusters are grouped from the pairwise suggestions of
:func:`desktop.core.services.resolve.suggest` by
:func:`desktop.core.clusters.cluster_pairs`; a cluster is decided at once by
:func:`merge_cluster` (one history entry). Suggested mentions are confirmed,
linked elsewhere or rejected through the ``resolve`` services.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from desktop.core import clusters as clustering
from desktop.core import matching, resolver
from desktop.core import models as m
from desktop.core.services import resolve
from desktop.core.services.resolve import Change, Suggestion
from desktop.core.store import Store

# The most suggested pairs the review queue reads (ranks and clusters).
MAX_PAIRS = 20_000
# Ids are looked up in chunks well below any backend's limit on bound values.
_CHUNK = 500


@dataclass(frozen=True)
class ClusterMember:
    """One name of a cluster: the record, how much it is used, and why it is
    in the cluster (its strongest suggested pair with another member)."""

    id: int
    name: str
    type: str
    mentions: int
    aliases: tuple[str, ...]
    score: int
    reason: str
    # The member that strongest pair is with.
    linked_to: int


@dataclass(frozen=True)
class Cluster:
    """Spellings that look like one name, most-mentioned first (the first is
    the default record to keep and its name the default canonical name)."""

    members: tuple[ClusterMember, ...]
    # The best and weakest scores of the suggested pairs inside the cluster.
    score: int
    weakest: int
    pairs: tuple[Suggestion, ...]

    @property
    def ids(self) -> list[int]:
        return [x.id for x in self.members]


@dataclass(frozen=True)
class ReviewState:
    """What the review queue loads in one background run."""

    pairs: list[Suggestion]
    clusters: list[Cluster]


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield list(ids[i : i + _CHUNK])


def _different_pairs(session: Session) -> set[tuple[int, int]]:
    """Live clusters an active ``different`` judgement keeps apart."""
    out: set[tuple[int, int]] = set()
    for j in resolver.active_judgements(session):
        if j.verdict != m.Verdict.DIFFERENT or j.b_id is None:
            continue
        a, b = resolver.root_id(session, j.a_id), resolver.root_id(session, j.b_id)
        if a != b:
            out.add((min(a, b), max(a, b)))
    return out


def build_clusters(
    store: Store,
    pairs: list[Suggestion],
    *,
    strong: int = clustering.STRONG,
    max_size: int = clustering.MAX_SIZE,
) -> list[Cluster]:
    """Clusters of ``pairs`` (suggestions of this library), with each member's
    mention count, type, aliases and reason."""
    with store.session() as s:
        apart = _different_pairs(s)
        groups = clustering.cluster_pairs(pairs, apart, strong=strong, max_size=max_size)
        ids = sorted({x for g in groups for x in g})
        entities: dict[int, m.Entity] = {}
        aliases: dict[int, list[str]] = defaultdict(list)
        mentions: dict[int, int] = {}
        for chunk in _chunks(ids):
            for e in s.exec(select(m.Entity).where(col(m.Entity.id).in_(chunk))).all():
                entities[e.id or 0] = e
            for a in s.exec(
                select(m.Alias).where(col(m.Alias.entity_id).in_(chunk)).order_by(col(m.Alias.id))
            ).all():
                aliases[a.entity_id].append(a.name)
            for eid, n in s.exec(
                select(m.Mention.entity_id, func.count())
                .where(col(m.Mention.entity_id).in_(chunk))
                .where(m.Mention.status != m.MentionStatus.REJECTED)
                .group_by(m.Mention.entity_id)
            ).all():
                mentions[int(eid or 0)] = int(n)
    by_pair: dict[int, list[Suggestion]] = defaultdict(list)
    for p in pairs:
        by_pair[p.a].append(p)
        by_pair[p.b].append(p)
    out: list[Cluster] = []
    for g in groups:
        inside = set(g)
        links = sorted(
            {(p.a, p.b): p for x in g for p in by_pair[x] if {p.a, p.b} <= inside}.values(),
            key=lambda p: (-p.score, p.a, p.b),
        )
        members = []
        for x in g:
            e = entities.get(x)
            if e is None:
                continue
            mine = [p for p in links if x in (p.a, p.b)]
            top = mine[0] if mine else None
            other = (top.b if top.a == x else top.a) if top else x
            members.append(
                ClusterMember(
                    id=x,
                    name=e.name,
                    type=e.type,
                    mentions=mentions.get(x, 0),
                    aliases=tuple(a for a in aliases[x] if a != e.name),
                    score=top.score if top else 0,
                    reason=top.reason if top else "",
                    linked_to=other,
                )
            )
        if len(members) < 2:
            continue
        members.sort(key=lambda x: (-x.mentions, -len(x.aliases), x.id))
        out.append(
            Cluster(
                members=tuple(members),
                score=links[0].score if links else 0,
                weakest=links[-1].score if links else 0,
                pairs=tuple(links),
            )
        )
    return out


def suggest_clusters(
    store: Store, min_score: int = matching.DEFAULT_MIN_SCORE, limit: int | None = None
) -> list[Cluster]:
    """Every suggested pair grouped into clusters, the best cluster first."""
    rows = resolve.suggest(store, limit=None, min_score=min_score)
    out = build_clusters(store, rows)
    return out if limit is None else out[:limit]


def review_state(
    store: Store,
    limit: int | None = 500,
    *,
    informative: bool = False,
    min_score: int = matching.DEFAULT_MIN_SCORE,
) -> ReviewState:
    """The pairs for the queue (best first, or the least certain first) and
    the clusters over the suggested pairs, from one run of the scorer. Over a
    huge library only the best ``MAX_PAIRS`` pairs are read (each one
    explained costs the scorer's features again)."""
    rows = resolve.suggest(store, limit=MAX_PAIRS, min_score=min_score)
    pairs = list(rows)
    if informative:
        # The order of ``suggest --informative``: scores nearest 50 first.
        pairs = matching.informative_order(pairs)
    return ReviewState(pairs if limit is None else pairs[:limit], build_clusters(store, rows))


def merge_cluster(
    store: Store,
    entity_ids: list[int],
    name: str | None = None,
    *,
    apart: Iterable[int] = (),
    force: bool = False,
) -> Change:
    """Merge the ticked names of a cluster into the first (one undo step);
    the unticked ones (``apart``) are judged different from the result."""
    left_out = list(apart)
    return resolve._identity(
        store,
        lambda s: [*entity_ids, *left_out],
        lambda s: resolver.merge_cluster(s, entity_ids, name, apart=left_out, force=force),
    )


# -------------------------------------------------------- suggested mentions


@dataclass(frozen=True)
class MentionToReview:
    """A mention the linker only suggested (or one left unlinked), in context."""

    id: int
    article_id: int
    article_title: str
    start: int
    end: int
    text: str
    type: str
    entity_id: int | None
    entity_name: str | None
    reason: str
    left: str
    right: str


# Characters of context on each side of the mention.
_CONTEXT = 70


def mentions_to_review(store: Store, limit: int | None = 2000) -> list[MentionToReview]:
    """Mentions with status ``suggested`` (what the status bar's "to review"
    counts), article by article in reading order."""
    stmt = (
        select(m.Mention, m.Article.title)
        .join(m.Article, col(m.Article.id) == col(m.Mention.article_id))
        .where(m.Mention.status == m.MentionStatus.SUGGESTED)
        .order_by(col(m.Mention.article_id), col(m.Mention.start), col(m.Mention.id))
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    with store.session() as s:
        rows = s.exec(stmt).all()
        article_ids = sorted({x.article_id for x, _ in rows})
        entity_ids = sorted({x.entity_id for x, _ in rows if x.entity_id is not None})
        names: dict[int, str] = {}
        for chunk in _chunks(entity_ids):
            for e in s.exec(select(m.Entity).where(col(m.Entity.id).in_(chunk))).all():
                names[e.id or 0] = e.name
        # Only the text around each mention is cut out, not whole bodies kept.
        context: dict[int, tuple[str, str]] = {}
        by_article: dict[int, list[m.Mention]] = defaultdict(list)
        for x, _ in rows:
            by_article[x.article_id].append(x)
        for chunk in _chunks(article_ids):
            for art in s.exec(select(m.Article).where(col(m.Article.id).in_(chunk))).all():
                body = art.body
                for x in by_article[art.id or 0]:
                    lo, hi = max(0, x.start - _CONTEXT), min(len(body), x.end + _CONTEXT)
                    left = ("…" if lo else "") + body[lo : x.start]
                    right = body[x.end : hi] + ("…" if hi < len(body) else "")
                    context[x.id or 0] = (
                        " ".join(left.split()) + (" " if left[-1:].isspace() else ""),
                        (" " if right[:1].isspace() else "") + " ".join(right.split()),
                    )
        return [
            MentionToReview(
                id=x.id or 0,
                article_id=x.article_id,
                article_title=title or "(untitled)",
                start=x.start,
                end=x.end,
                text=x.text,
                type=x.type,
                entity_id=x.entity_id,
                entity_name=names.get(x.entity_id) if x.entity_id is not None else None,
                reason=x.reason,
                left=context.get(x.id or 0, ("", ""))[0],
                right=context.get(x.id or 0, ("", ""))[1],
            )
            for x, title in rows
        ]
