"""Finding and linking the entities of articles, and re-linking after the user
changed names or identities.

Extraction replaces an article's machine-made mentions; what the user decided
stays: confirmed, rejected and manual mentions, and mentions a judgement
refers to, are never deleted, and new spans overlapping them are not added.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import event
from sqlmodel import Session, col, delete, or_, select

from desktop.core import models as m
from desktop.core import resolver
from desktop.core.extract import ExtractorPool, GazetteerEntry, extractor_status
from desktop.core.extract import ExtractorStatus as ExtractorStatus
from desktop.core.extract.pipeline import MAX_CANDIDATES
from desktop.core.linking import (
    AliasIndex,
    CandidateFinder,
    Linker,
    LinkStats,
    not_entity_keys,
    settle_targets,
)
from desktop.core.services.library import search_articles
from desktop.core.store import Store

__all__ = [
    "ExtractReport",
    "ExtractorStatus",
    "affected_articles",
    "all_article_ids",
    "articles_of_entities",
    "extract_articles",
    "extractor_status",
    "relink",
]

ProgressCallback = Callable[[int, int, str], None]
# Called after an article's extraction is committed: (article id, mentions written).
ArticleCallback = Callable[[int, int], None]
# Called inside an article's transaction with the rows it inserted.
RecordHook = Callable[[Session, list[tuple[str, int]]], None]
BATCH = 32


@dataclass
class ExtractReport:
    articles: int = 0
    mentions: int = 0
    linked: int = 0
    suggested: int = 0
    new_entities: int = 0
    cancelled: bool = False
    degraded: bool = False
    status: str = ""
    # Articles with more candidate names than the cap: only the first were kept.
    capped: list[int] = field(default_factory=list)

    def capped_message(self) -> str:
        """What the user is told about capped articles ('' when none)."""
        return capped_message(self.capped)


def capped_message(article_ids: Sequence[int]) -> str:
    if not article_ids:
        return ""
    ids = ", ".join(map(str, article_ids[:10])) + (", ..." if len(article_ids) > 10 else "")
    which = "article" if len(article_ids) == 1 else "articles"
    return (
        f"{len(article_ids)} {which} ({ids}) held more than {MAX_CANDIDATES:,} possible "
        f"names: only the first {MAX_CANDIDATES:,} of each were looked at, so names "
        "further on in the text are not linked"
    )


def gazetteer_entries(session: Session) -> list[GazetteerEntry]:
    """The user's confirmed names: confirmed aliases and names of live entities
    that have one, each pointing at the live record."""
    index = AliasIndex.load(session)
    entries: list[GazetteerEntry] = []
    confirmed_entities: set[int] = set()
    # Confirmed aliases, and those the user typed in (origin "user").
    mine = select(m.Alias).where(
        or_(col(m.Alias.confirmed).is_(True), col(m.Alias.origin) == "user")
    )
    for alias in session.exec(mine).all():
        live = index.live(alias.entity_id)
        if live is None:
            continue
        confirmed_entities.add(live)
        entries.append(GazetteerEntry(alias.name, live, index.entities[live].type))
    for eid in confirmed_entities:
        row = index.entities[eid]
        entries.append(GazetteerEntry(row.name, eid, row.type))
    return entries


def _judged_mentions(session: Session) -> set[int]:
    """Mentions the user's judgements or relations point at: user work too."""
    judged = set(
        session.exec(
            select(m.Judgement.mention_id).where(col(m.Judgement.mention_id).is_not(None))
        ).all()
    )
    judged |= set(
        session.exec(
            select(m.Relation.evidence_mention_id).where(
                col(m.Relation.evidence_mention_id).is_not(None)
            )
        ).all()
    )
    return {j for j in judged if j is not None}


def _preserved(
    session: Session, article_id: int, judged: set[int], *, keep_all: bool = False
) -> set[tuple[int, int]]:
    """Spans of one article the user decided; the article's other mentions are
    deleted (unless ``keep_all``: then every existing mention stays and only
    gaps are filled)."""
    keep: set[tuple[int, int]] = set()
    drop: list[int] = []
    for mention in session.exec(select(m.Mention).where(m.Mention.article_id == article_id)).all():
        user_made = (
            mention.method == m.MentionMethod.MANUAL
            or mention.status in (m.MentionStatus.CONFIRMED, m.MentionStatus.REJECTED)
            or mention.id in judged
        )
        if user_made or keep_all:
            keep.add((mention.start, mention.end))
        else:
            drop.append(mention.id or 0)
    for i in range(0, len(drop), 500):
        session.exec(delete(m.Mention).where(col(m.Mention.id).in_(drop[i : i + 500])))  # type: ignore[call-overload]
    return keep


def extract_articles(
    store: Store,
    article_ids: Sequence[int],
    *,
    progress: ProgressCallback | None = None,
    should_cancel: Callable[[], bool] | None = None,
    finder: CandidateFinder | None = None,
    processes: int = 1,
    batch_size: int = BATCH,
    additive: bool = False,
    record: RecordHook | None = None,
    on_article: ArticleCallback | None = None,
) -> ExtractReport:
    """Find, type and link the mentions of ``article_ids``.

    Each article is one transaction: its old machine mentions go and its new
    ones arrive together, so a cancel, a crash or a kill keeps every article
    done so far complete and leaves the others as they were. Texts are
    extracted in batches; ``progress(done, total, title)`` is called after
    each batch, ``on_article(article_id, mentions)`` after each article's
    commit. ``processes`` > 1 runs the extraction in that many worker
    processes (worth it for hundreds of articles; linking stays in this
    process, in order).

    ``additive`` keeps every existing mention and only adds new ones where
    nothing was found before. ``record(session, rows)`` is called inside each
    article's transaction with the ``(table, id)`` of every row it inserted,
    so the caller can record them (a History entry) in the same commit.
    """
    status = extractor_status()
    report = ExtractReport(degraded=status.degraded, status=status.message)
    ids = list(dict.fromkeys(article_ids))
    with store.session() as session:
        entries = gazetteer_entries(session)
        index = AliasIndex.load(session)
        rejected = not_entity_keys(session)
    stats = LinkStats()
    done = 0
    batches = [ids[b : b + batch_size] for b in range(0, len(ids), batch_size)]

    def load(batch: list[int]) -> list[tuple[int, str, str]]:
        with store.session() as session:
            rows = session.exec(
                select(m.Article.id, m.Article.title, m.Article.body).where(
                    col(m.Article.id).in_(batch)
                )
            ).all()
        order = {a: i for i, a in enumerate(batch)}
        return sorted(((r[0] or 0, r[1], r[2]) for r in rows), key=lambda r: order[r[0]])

    # Rows inserted in the current article's transaction, for ``record``.
    created: list[tuple[str, int]] = []
    with ExtractorPool(entries, processes if len(ids) > batch_size else 1) as pool:
        # Extraction of batch k+1 runs in the workers while batch k is linked.
        pending = None
        if batches:
            rows_next = load(batches[0])
            pending = (rows_next, pool.submit([r[2] for r in rows_next]))
        for k in range(len(batches)):
            if should_cancel is not None and should_cancel():
                report.cancelled = True
                break
            assert pending is not None
            rows, result = pending
            found = result()
            pending = None
            if k + 1 < len(batches) and processes > 1:
                rows_next = load(batches[k + 1])
                pending = (rows_next, pool.submit([r[2] for r in rows_next]))
            with store.session() as session:
                created.clear()
                if record is not None:
                    event.listen(
                        session,
                        "pending_to_persistent",
                        lambda _s, obj: created.append((obj.__tablename__, obj.id)),
                    )
                judged = _judged_mentions(session)
                linker = Linker(
                    session,
                    index,
                    not_entities=rejected,
                    **({"finder": finder} if finder is not None else {}),
                )
                for (article_id, _title, _body), spans in zip(rows, found, strict=True):
                    # Each article is committed on its own, so a cancel can
                    # stop between two of them.
                    if should_cancel is not None and should_cancel():
                        report.cancelled = True
                        break
                    before = stats.mentions
                    keep = _preserved(session, article_id, judged, keep_all=additive)
                    linker.link_article(article_id, spans, blocked=keep, stats=stats)
                    settle_targets(session, article_id)
                    if getattr(spans, "capped", False):
                        report.capped.append(article_id)
                    if record is not None:
                        session.flush()
                        record(session, list(created))
                        created.clear()
                    session.commit()
                    done += 1
                    report.articles += 1
                    if on_article is not None:
                        on_article(article_id, stats.mentions - before)
            if report.cancelled:
                break
            if progress is not None and rows:
                progress(done, len(ids), rows[-1][1])
            if pending is None and k + 1 < len(batches):
                rows_next = load(batches[k + 1])
                pending = (rows_next, pool.submit([r[2] for r in rows_next]))
    report.mentions, report.linked = stats.mentions, stats.linked
    report.suggested, report.new_entities = stats.suggested, stats.new_entities
    return report


def affected_articles(store: Store, names: Sequence[str]) -> list[int]:
    """Articles whose text contains one of ``names`` (full-text index)."""
    found: set[int] = set()
    for name in names:
        found.update(search_articles(store, name, limit=1_000_000))
    return sorted(found)


def articles_of_entities(store: Store, entity_ids: Sequence[int]) -> list[int]:
    """Articles with a mention of one of ``entity_ids`` (e.g. both sides of a merge)."""
    with store.session() as session:
        rows = session.exec(
            select(m.Mention.article_id)
            .where(col(m.Mention.entity_id).in_(list(entity_ids)))
            .distinct()
        ).all()
    return sorted(rows)


def all_article_ids(store: Store) -> list[int]:
    with store.session() as session:
        return [
            i for i in session.exec(select(m.Article.id).order_by(col(m.Article.id))).all() if i
        ]


def relink(
    store: Store,
    article_ids: Sequence[int] | None = None,
    *,
    names: Sequence[str] | None = None,
    entity_ids: Sequence[int] | None = None,
    progress: ProgressCallback | None = None,
    should_cancel: Callable[[], bool] | None = None,
    finder: CandidateFinder | None = None,
    processes: int = 1,
    on_article: ArticleCallback | None = None,
) -> ExtractReport:
    """Extract and link again after the user confirmed an alias or merged.

    Only the affected articles are redone: ``article_ids`` if given; else the
    articles containing one of ``names`` (the aliases that changed) together with
    those mentioning one of ``entity_ids`` (the records merged or split); else all.
    """
    if article_ids is None:
        if names or entity_ids:
            affected = set(affected_articles(store, names or []))
            affected |= set(articles_of_entities(store, entity_ids or []))
            article_ids = sorted(affected)
        else:
            article_ids = all_article_ids(store)
    return extract_articles(
        store,
        article_ids,
        progress=progress,
        should_cancel=should_cancel,
        finder=finder,
        processes=processes,
        on_article=on_article,
    )


@dataclass(frozen=True)
class RelinkOutcome:
    report: ExtractReport
    # The History entry of what re-linking added (None when it added nothing).
    change: resolver.Change | None


def relink_after_change(
    store: Store,
    entity_ids: Sequence[int],
    *,
    label: str,
    progress: ProgressCallback | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> RelinkOutcome:
    """After the user confirmed names or merged records, find the names of
    ``entity_ids`` in the other articles that contain them.

    Additive: existing mentions stay as they are (so the change that caused
    this can still be undone exactly), and what is added is recorded as its
    own History entry, undone before the change itself. The entry is written
    and extended in each article's own transaction, so after a crash half-way
    it lists exactly the rows that were committed and undo removes them all.
    """
    with store.session() as session:
        # A deleted entity has nothing left to look for.
        live = {
            resolver.root_id(session, e) for e in entity_ids if session.get(m.Entity, e) is not None
        }
        names = sorted(
            {a.name for a in session.exec(select(m.Alias).where(col(m.Alias.entity_id).in_(live)))}
            | {e.name for e in session.exec(select(m.Entity).where(col(m.Entity.id).in_(live)))}
        )
    article_ids = affected_articles(store, names)
    change: resolver.Change | None = None
    done = 0

    def record(session: Session, rows: list[tuple[str, int]]) -> None:
        nonlocal change, done
        done += 1
        if not rows and change is None:
            return
        text = f"re-linking of {done} article{'' if done == 1 else 's'} after {label}"
        change = resolver.record_created(
            session, rows, "relink", text, into=None if change is None else change.history_id
        )

    report = extract_articles(
        store,
        article_ids,
        progress=progress,
        should_cancel=should_cancel,
        additive=True,
        record=record,
    )
    return RelinkOutcome(report, change)
