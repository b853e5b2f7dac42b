"""A dossier as plain data, ready for any renderer (PDF, HTML, Markdown, JSON).

:func:`assemble` reads one Dossier and its ordered items in a single session and
returns a :class:`DossierData` tree of frozen dataclasses: for each entity its
aliases by kind, relations with their evidence, a timeline, every mention in
context with a numbered citation and the co-mentioned entities; excerpts, notes,
headings; and the sources list (every cited article, numbered in order of first
citation). :func:`entity_dossier` builds the same for one entity on the fly.

Nothing here renders: renderers must escape every string they are given.
Redaction (:func:`redact`) is applied to the data itself, so that a redacted
name cannot reach any output format.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from sqlmodel import Session, col, select

from desktop.core import models as m
from desktop.core.errors import DossierDeskError, NotFoundError
from desktop.core.sentences import Sentences, date_in
from desktop.core.store import Store

# What replaces a redacted string everywhere; the same length whatever was
# removed, so the bar does not reveal how long the name was.
REDACTED = "\u2588" * 8
ALIAS_KIND_ORDER = ("name", "alias", "previousName", "weakAlias")
ALIAS_KIND_LABELS = {
    "name": "Names",
    "alias": "Aliases",
    "previousName": "Previous names",
    "weakAlias": "Weak aliases (acronyms, partial names)",
}
TYPE_LABELS = {"PER": "Person", "ORG": "Organisation", "LOC": "Place", "MISC": "Other"}


class DossierInputError(DossierDeskError):
    """A dossier operation was given something it cannot use."""


class ExportError(DossierDeskError):
    """An export could not be written (the message names the path)."""


@dataclass(frozen=True)
class Options:
    """What goes into a dossier. ``max_contexts=None`` means every mention."""

    include_contexts: bool = True
    max_contexts: int | None = None
    # Evidence is the sentence holding a mention; in a sentence longer than
    # this, characters kept on each side of the mentions.
    context_chars: int = 160
    # Mentions the machine suggested and nobody reviewed: left out unless
    # asked for, and then printed in a section of their own.
    include_unreviewed: bool = False
    # Co-mentioned entities kept per entity (the figure shows the first 12).
    max_co_mentions: int = 20
    redact: tuple[str, ...] = ()
    redact_notes: bool = False


@dataclass(frozen=True)
class Source:
    citation: int
    article_id: int
    title: str
    publication: str
    author: str
    date: str | None
    url: str
    file_name: str
    imported_at: str
    sha256: str
    # True when the date was read from the article's text, not its metadata.
    date_from_text: bool = False
    # Who imported it, on a library several researchers work on ("" otherwise).
    imported_by: str = ""


@dataclass(frozen=True)
class MentionContext:
    mention_id: int
    article_id: int
    date: str | None
    surface: str
    context: str
    # The surface form is context[start:end].
    start: int
    end: int
    citation: int
    status: str
    # True when the window was cut inside the article (the renderer adds "...").
    cut_before: bool = False
    cut_after: bool = False
    # Every mention in this sentence, highlighted: (start, end) in context.
    spans: list[tuple[int, int]] = field(default_factory=list)
    mention_ids: list[int] = field(default_factory=list)
    # Other articles that carry the same sentence (citations).
    also_cited: list[int] = field(default_factory=list)
    # Who linked or confirmed it, on a library several researchers work on.
    decided_by: str = ""


@dataclass(frozen=True)
class AliasGroup:
    kind: str
    label: str
    names: list[str]


@dataclass(frozen=True)
class RelationInfo:
    subject_id: int
    subject: str
    predicate: str
    object_id: int
    object: str
    note: str
    evidence: MentionContext | None


@dataclass(frozen=True)
class TimelineEntry:
    date: str | None
    article_id: int
    title: str
    publication: str
    mentions: int
    citation: int


@dataclass(frozen=True)
class CoMention:
    entity_id: int
    name: str
    type: str
    articles: int
    mentions: int
    # Sentences naming both entities, relations recorded between them, and
    # the edge weight they give (a relation counts as two sentences).
    sentences: int = 0
    relations: int = 0
    weight: int = 0


@dataclass(frozen=True)
class EntitySection:
    kind: str
    item_id: int | None
    anchor: str
    entity_id: int
    name: str
    type: str
    type_label: str
    description: str
    notes: str
    aliases: list[AliasGroup]
    relations: list[RelationInfo]
    timeline: list[TimelineEntry]
    mentions: list[MentionContext]
    mention_count: int
    article_count: int
    co_mentions: list[CoMention]
    notices: list[str] = field(default_factory=list)
    # Suggested links nobody reviewed: counted always, quoted only when the
    # options ask for them.
    unreviewed: list[MentionContext] = field(default_factory=list)
    unreviewed_count: int = 0


@dataclass(frozen=True)
class ArticleSection:
    kind: str
    item_id: int | None
    anchor: str
    article_id: int | None
    title: str
    citation: int | None
    lead: str
    entities: list[str]
    notices: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ExcerptSection:
    kind: str
    item_id: int | None
    anchor: str
    article_id: int | None
    text: str
    start: int | None
    end: int | None
    citation: int | None
    notices: list[str] = field(default_factory=list)
    # The quoted article's title, for the excerpt's own heading.
    title: str = ""


@dataclass(frozen=True)
class TextSection:
    """A free note or a section heading."""

    kind: str
    item_id: int | None
    anchor: str
    text: str
    notices: list[str] = field(default_factory=list)


Section = EntitySection | ArticleSection | ExcerptSection | TextSection


@dataclass(frozen=True)
class DossierData:
    dossier_id: int | None
    title: str
    subtitle: str
    author: str
    marking: str
    created_at: str
    generated_at: str
    sections: list[Section]
    sources: list[Source]
    notices: list[str]
    options: Options

    def entity_sections(self) -> list[EntitySection]:
        return [s for s in self.sections if isinstance(s, EntitySection)]


def _file_name(path: str) -> str:
    if not path:
        return ""
    # Windows paths too: the import may have come from another machine.
    return PurePath(path.replace("\\", "/")).name or path


_WS = re.compile(r"\s+")


def _squash(text: str) -> str:
    return _WS.sub(" ", text)


_NON_WORD = re.compile(r"\W+")


def _dedupe_key(text: str) -> str:
    return _NON_WORD.sub(" ", text.casefold()).strip()


def _twin(key: str, keys: list[str]) -> int | None:
    """The index of a quote in ``keys`` a reader would call the same sentence
    as ``key``: nearly equal (edit similarity 90 %), or, for a sentence of
    some length, one containing the other."""
    from rapidfuzz import fuzz, process

    hit = process.extractOne(key, keys, scorer=fuzz.ratio, score_cutoff=90)
    if hit is not None:
        return int(hit[2])
    if len(key) > 40:
        for i, k in enumerate(keys):
            if len(k) > 40 and (key in k or k in key):
                return i
    return None


class _Builder:
    """Reads what a dossier needs; caches articles and numbers citations."""

    def __init__(self, session: Session, options: Options) -> None:
        self.s = session
        self.options = options
        self.citations: dict[int, int] = {}
        self.articles: dict[int, m.Article | None] = {}
        self.entity_names: dict[int, tuple[str, str]] = {}
        self.notices: list[str] = []
        self.sentence_cache: dict[int, Sentences] = {}
        self.text_dates: dict[int, str | None] = {}
        # Name who did what only where more than one person has: on a file
        # worked by one researcher it would say the same name everywhere.
        people = {
            *session.exec(select(m.Article.imported_by).distinct()).all(),
            *session.exec(select(m.Mention.decided_by).distinct()).all(),
        } - {""}
        self.attribute = len(people) > 1

    # -- lookups --------------------------------------------------------------
    def article(self, article_id: int) -> m.Article | None:
        if article_id not in self.articles:
            self.articles[article_id] = self.s.get(m.Article, article_id)
        return self.articles[article_id]

    def preload_articles(self, ids: Iterable[int]) -> None:
        missing = [i for i in set(ids) if i not in self.articles]
        for i in range(0, len(missing), 500):
            chunk = missing[i : i + 500]
            for a in self.s.exec(select(m.Article).where(col(m.Article.id).in_(chunk))).all():
                self.articles[a.id or 0] = a

    def cite(self, article_id: int) -> int:
        if article_id not in self.citations:
            self.citations[article_id] = len(self.citations) + 1
        return self.citations[article_id]

    def live_entity(self, entity_id: int) -> tuple[m.Entity | None, list[str]]:
        """Follow merges to the entity that now holds the record."""
        notes: list[str] = []
        entity = self.s.get(m.Entity, entity_id)
        seen = set()
        while entity is not None and entity.merged_into_id is not None:
            if entity.id in seen:  # a cycle would be a resolver bug; do not hang on it
                break
            seen.add(entity.id)
            target = self.s.get(m.Entity, entity.merged_into_id)
            if target is None:
                break
            notes.append(f"“{entity.name}” was merged into “{target.name}” after it was added.")
            entity = target
        return entity, notes

    # -- pieces -----------------------------------------------------------------
    def sentences(self, article: m.Article) -> Sentences:
        key = article.id or 0
        if key not in self.sentence_cache:
            self.sentence_cache[key] = Sentences(article.body)
        return self.sentence_cache[key]

    def context(self, mention: m.Mention, article: m.Article) -> MentionContext:
        return self.evidence([mention], article)[0]

    def evidence(self, mentions: list[m.Mention], article: m.Article) -> list[MentionContext]:
        """One quote per sentence holding any of ``mentions`` (one article),
        every mention of the sentence highlighted, in the article's order."""
        body = article.body
        found = self.sentences(article)
        groups: dict[Any, list[m.Mention]] = {}
        for x in sorted(mentions, key=lambda x: (x.start, x.end)):
            if not (0 <= x.start <= x.end <= len(body)) or body[x.start : x.end] != x.text:
                # The body no longer matches the span (re-imported, edited):
                # show the stored surface form alone rather than a wrong window.
                groups[("stale", x.id)] = [x]
                continue
            index = found.index_at(x.start)
            groups.setdefault(index if index is not None else ("span", x.start), []).append(x)
        out = []
        for key, group in groups.items():
            if isinstance(key, tuple) and key[0] == "stale":
                x = group[0]
                out.append(self._quote(article, group, x.text, [(0, len(x.text))], False, False))
                continue
            if isinstance(key, int):
                ws, we = found.spans[key]
                # A short sentence ("JeM denied it.") says little alone: the
                # next one of the same paragraph goes with it, when it fits
                # whole (half a sentence added would be a worse quote).
                if we - ws < 60 and key + 1 < len(found.spans):
                    nxt_start, nxt_end = found.spans[key + 1]
                    last_end = max(x.end for x in group)
                    if (
                        "\n" not in body[we:nxt_start]
                        and nxt_end - last_end <= self.options.context_chars
                    ):
                        we = nxt_end
            else:
                ws, we = group[0].start, group[-1].end
            first, last = group[0].start, max(x.end for x in group)
            n = self.options.context_chars
            cut_before = cut_after = False
            if first - ws > n:
                sp = body.find(" ", first - n, first)
                ws, cut_before = (sp + 1 if sp != -1 else first - n), True
            if we - last > n:
                sp = body.rfind(" ", last, last + n)
                we, cut_after = (sp if sp != -1 else last + n), True
            # Spans map through white-space squashing piece by piece.
            pieces: list[str] = []
            spans: list[tuple[int, int]] = []
            pos = ws
            length = 0
            for x in group:
                if x.start < pos:  # overlaps the previous mention: already lit
                    continue
                gap = _squash(body[pos : x.start])
                if not pieces:
                    gap = gap.lstrip()
                surface = _squash(body[x.start : x.end])
                pieces += [gap, surface]
                length += len(gap)
                spans.append((length, length + len(surface)))
                length += len(surface)
                pos = x.end
            pieces.append(_squash(body[pos:we]).rstrip())
            out.append(self._quote(article, group, "".join(pieces), spans, cut_before, cut_after))
        return out

    def _quote(
        self,
        article: m.Article,
        group: list[m.Mention],
        context: str,
        spans: list[tuple[int, int]],
        cut_before: bool,
        cut_after: bool,
    ) -> MentionContext:
        start, end = spans[0]
        statuses = {x.status for x in group}
        return MentionContext(
            mention_id=group[0].id or 0,
            article_id=article.id or 0,
            date=self.article_date(article)[0],
            surface=context[start:end],
            context=context,
            start=start,
            end=end,
            citation=self.cite(article.id or 0),
            status=m.MentionStatus.SUGGESTED
            if statuses == {m.MentionStatus.SUGGESTED}
            else group[0].status,
            cut_before=cut_before,
            cut_after=cut_after,
            spans=spans,
            mention_ids=[x.id or 0 for x in group],
            decided_by=group[0].decided_by if self.attribute else "",
        )

    def article_date(self, article: m.Article) -> tuple[str | None, bool]:
        """The article's date, from its metadata or else from the first lines
        of its text (a pasted page keeps its dateline there); and whether it
        came from the text."""
        if article.published:
            return article.published.isoformat(), False
        key = article.id or 0
        if key not in self.text_dates:
            head = article.body[:400]
            if article.original and article.format in ("paste", "txt", "md"):
                # The dateline of a pasted page is furniture the body drops.
                try:
                    raw = zlib.decompressobj().decompress(article.original, 2048)
                    head = raw.decode("utf-8", "ignore")[:600] + "\n" + head
                except zlib.error:
                    pass
            found = date_in(head)
            self.text_dates[key] = found.isoformat() if found else None
        found_iso = self.text_dates[key]
        return (found_iso, True) if found_iso else (None, False)

    def entity_section(self, entity_id: int, item_id: int | None) -> Section:
        entity, notices = self.live_entity(entity_id)
        anchor = f"item-{item_id}" if item_id is not None else f"entity-{entity_id}"
        if entity is None:
            msg = "An entity in this dossier no longer exists in the library."
            self.notices.append(msg)
            return TextSection("note", item_id, anchor, msg, notices=[msg])
        eid = entity.id or 0
        aliases_by_kind: dict[str, list[str]] = defaultdict(list)
        for a in self.s.exec(
            select(m.Alias).where(m.Alias.entity_id == eid).order_by(col(m.Alias.id))
        ).all():
            if a.name not in aliases_by_kind[a.kind]:
                aliases_by_kind[a.kind].append(a.name)
        kinds = [k for k in ALIAS_KIND_ORDER if k in aliases_by_kind]
        kinds += sorted(k for k in aliases_by_kind if k not in ALIAS_KIND_ORDER)
        aliases = [AliasGroup(k, ALIAS_KIND_LABELS.get(k, k), aliases_by_kind[k]) for k in kinds]

        every = self.s.exec(
            select(m.Mention)
            .where(m.Mention.entity_id == eid)
            .where(m.Mention.status != m.MentionStatus.REJECTED)
        ).all()
        self.preload_articles(x.article_id for x in every)
        every = [x for x in every if self.article(x.article_id) is not None]

        def order(x: m.Mention) -> tuple[Any, ...]:
            a = self.article(x.article_id)
            date = self.article_date(a)[0] if a else None
            return (date or "9999", x.article_id, x.start)

        every = sorted(every, key=order)
        mentions = [x for x in every if x.status != m.MentionStatus.SUGGESTED]
        suggested = [x for x in every if x.status == m.MentionStatus.SUGGESTED]
        per_article: Counter[int] = Counter(x.article_id for x in mentions)
        timeline: list[TimelineEntry] = []
        for x in mentions:
            if x.article_id not in {t.article_id for t in timeline[-1:]}:
                article = self.article(x.article_id)
                assert article is not None
                timeline.append(
                    TimelineEntry(
                        date=self.article_date(article)[0],
                        article_id=x.article_id,
                        title=article.title,
                        publication=article.publication,
                        mentions=per_article[x.article_id],
                        citation=self.cite(x.article_id),
                    )
                )
        contexts: list[MentionContext] = []
        unreviewed: list[MentionContext] = []
        if self.options.include_contexts:
            contexts = self.quotes(mentions, self.options.max_contexts)
            if self.options.include_unreviewed:
                unreviewed = self.quotes(suggested, self.options.max_contexts)

        relations = self.relations(eid)
        co = self.co_mentions(eid, mentions, relations)
        return EntitySection(
            kind="entity",
            item_id=item_id,
            anchor=anchor,
            entity_id=eid,
            name=entity.name,
            type=entity.type,
            type_label=TYPE_LABELS.get(entity.type, entity.type),
            description=entity.description,
            notes=entity.notes,
            aliases=aliases,
            relations=relations,
            timeline=timeline,
            mentions=contexts,
            mention_count=len(mentions),
            article_count=len(per_article),
            co_mentions=co,
            notices=notices,
            unreviewed=unreviewed,
            unreviewed_count=len(suggested),
        )

    def quotes(self, mentions: list[m.Mention], limit: int | None) -> list[MentionContext]:
        """Sentence evidence for ``mentions`` (already in article order), with
        a sentence that another article repeats word for word (or nearly:
        syndicated copy, a pasted page's menus) quoted once, citing both."""
        by_article: dict[int, list[m.Mention]] = {}
        for x in mentions:
            by_article.setdefault(x.article_id, []).append(x)
        out: list[MentionContext] = []
        keys: list[str] = []
        for article_id, group in by_article.items():
            article = self.article(article_id)
            assert article is not None
            for c in self.evidence(group, article):
                key = _dedupe_key(c.context)
                twin = _twin(key, keys) if keys else None
                if twin is not None:
                    kept = out[twin]
                    if c.citation != kept.citation and c.citation not in kept.also_cited:
                        kept.also_cited.append(c.citation)
                    continue
                if limit is not None and len(out) >= limit:
                    return out
                out.append(c)
                keys.append(key)
        return out

    def name_of(self, entity_id: int) -> tuple[str, str]:
        if entity_id not in self.entity_names:
            e, _ = self.live_entity(entity_id)
            self.entity_names[entity_id] = (
                (e.name, e.type) if e else ("(an entity no longer in the library)", "MISC")
            )
        return self.entity_names[entity_id]

    def relations(self, eid: int) -> list[RelationInfo]:
        rows = self.s.exec(
            select(m.Relation)
            .where((m.Relation.subject_id == eid) | (m.Relation.object_id == eid))
            .order_by(col(m.Relation.id))
        ).all()
        out = []
        for r in rows:
            evidence = None
            if r.evidence_mention_id is not None:
                mention = self.s.get(m.Mention, r.evidence_mention_id)
                article = self.article(mention.article_id) if mention else None
                if mention is not None and article is not None:
                    evidence = self.context(mention, article)
            out.append(
                RelationInfo(
                    subject_id=r.subject_id,
                    subject=self.name_of(r.subject_id)[0],
                    predicate=r.predicate,
                    object_id=r.object_id,
                    object=self.name_of(r.object_id)[0],
                    note=r.note,
                    evidence=evidence,
                )
            )
        return out

    def co_mentions(
        self, eid: int, mentions: list[m.Mention], relations: list[RelationInfo]
    ) -> list[CoMention]:
        """Entities named in the same sentence as ``eid`` (its reviewed
        ``mentions``) or tied to it by a recorded relation; sharing an article
        alone is no link (a pasted page's menus share it with everything)."""
        related: Counter[int] = Counter()
        for r in relations:
            other = r.object_id if r.subject_id == eid else r.subject_id
            if other != eid:
                related[other] += 1
        own: set[tuple[int, int | None]] = set()
        for x in mentions:
            article = self.article(x.article_id)
            if article is not None:
                own.add((x.article_id, self.sentences(article).index_at(x.start)))
        article_ids = sorted({x.article_id for x in mentions})
        articles: dict[int, set[int]] = defaultdict(set)
        counts: Counter[int] = Counter()
        shared: dict[int, set[tuple[int, int | None]]] = defaultdict(set)
        for i in range(0, len(article_ids), 500):
            chunk = article_ids[i : i + 500]
            for other, article_id, start in self.s.exec(
                select(m.Mention.entity_id, m.Mention.article_id, m.Mention.start)
                .where(col(m.Mention.article_id).in_(chunk))
                .where(col(m.Mention.entity_id).is_not(None))
                .where(m.Mention.entity_id != eid)
                .where(
                    col(m.Mention.status).not_in(
                        [m.MentionStatus.REJECTED, m.MentionStatus.SUGGESTED]
                    )
                )
            ).all():
                if other is None:
                    continue
                articles[other].add(article_id)
                counts[other] += 1
                article = self.article(article_id)
                place = (article_id, self.sentences(article).index_at(start) if article else None)
                if place[1] is not None and place in own:
                    shared[other].add(place)
        out = []
        for other in set(shared) | set(related):
            name, etype = self.name_of(other)
            n_sent, n_rel = len(shared.get(other, ())), related.get(other, 0)
            out.append(
                CoMention(
                    other,
                    name,
                    etype,
                    len(articles.get(other, ())),
                    counts.get(other, 0),
                    sentences=n_sent,
                    relations=n_rel,
                    weight=n_sent + 2 * n_rel,
                )
            )
        out.sort(key=lambda c: (-c.weight, -c.articles, c.name.casefold()))
        # With strong links to show, one passing co-mention is noise: a
        # figure of a dozen single sentences says nothing about the few that
        # matter.
        strong = [c for c in out if c.weight >= 2]
        if (out and out[0].weight >= 4) or (len(out) > 8 and len(strong) >= 3):
            out = strong
        return out[: self.options.max_co_mentions]

    def article_section(self, item: m.DossierItem) -> Section:
        anchor = f"item-{item.id}"
        article = self.article(item.article_id) if item.article_id is not None else None
        if article is None:
            label = f"“{item.text}”" if item.text else "An article"
            msg = f"{label} was deleted from the library after it was added to this dossier."
            self.notices.append(msg)
            return ArticleSection("article", item.id, anchor, None, item.text, None, "", [], [msg])
        names = self.s.exec(
            select(m.Entity.name)
            .join(m.Mention, col(m.Mention.entity_id) == col(m.Entity.id))
            .where(m.Mention.article_id == article.id)
            .where(m.Mention.status != m.MentionStatus.REJECTED)
            .distinct()
        ).all()
        lead = article.body.strip()
        if len(lead) > 700:
            cut = lead.rfind(" ", 0, 700)
            lead = lead[: cut if cut > 0 else 700] + " …"
        return ArticleSection(
            kind="article",
            item_id=item.id,
            anchor=anchor,
            article_id=article.id,
            title=article.title,
            citation=self.cite(article.id or 0),
            lead=lead,
            entities=sorted(set(names), key=str.casefold),
        )

    def excerpt_section(self, item: m.DossierItem) -> Section:
        anchor = f"item-{item.id}"
        article = self.article(item.article_id) if item.article_id is not None else None
        if article is None:
            msg = (
                "The article this excerpt was quoted from was deleted from the library "
                "after it was added; the quoted text is kept but can no longer be cited."
            )
            self.notices.append(msg)
            return ExcerptSection(
                "excerpt", item.id, anchor, None, item.text, item.start, item.end, None, [msg]
            )
        return ExcerptSection(
            kind="excerpt",
            item_id=item.id,
            anchor=anchor,
            article_id=article.id,
            text=item.text,
            start=item.start,
            end=item.end,
            citation=self.cite(article.id or 0),
            title=article.title,
        )

    def sources(self) -> list[Source]:
        out = []
        for article_id, number in sorted(self.citations.items(), key=lambda kv: kv[1]):
            a = self.article(article_id)
            if a is None:
                continue
            out.append(
                Source(
                    citation=number,
                    article_id=article_id,
                    title=a.title,
                    publication=a.publication,
                    author=a.author,
                    date=self.article_date(a)[0],
                    url=a.url,
                    file_name="" if a.url else _file_name(a.source_path),
                    imported_at=a.imported_at.isoformat(timespec="seconds"),
                    sha256=a.sha256,
                    date_from_text=self.article_date(a)[1],
                    imported_by=a.imported_by if self.attribute else "",
                )
            )
        return out


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def assemble(store: Store, dossier_id: int, options: Options | None = None) -> DossierData:
    """The whole dossier ``dossier_id`` as plain data (redaction applied)."""
    options = options or Options()
    with store.session() as session:
        dossier = session.get(m.Dossier, dossier_id)
        if dossier is None:
            raise NotFoundError(f"no dossier with id {dossier_id}")
        items = session.exec(
            select(m.DossierItem)
            .where(m.DossierItem.dossier_id == dossier_id)
            .order_by(col(m.DossierItem.position), col(m.DossierItem.id))
        ).all()
        b = _Builder(session, options)
        sections: list[Section] = []
        for item in items:
            anchor = f"item-{item.id}"
            if item.kind == m.DossierItemKind.ENTITY:
                if item.entity_id is None:
                    msg = "An entity in this dossier no longer exists in the library."
                    b.notices.append(msg)
                    sections.append(TextSection("note", item.id, anchor, msg, [msg]))
                else:
                    sections.append(b.entity_section(item.entity_id, item.id))
            elif item.kind == m.DossierItemKind.ARTICLE:
                sections.append(b.article_section(item))
            elif item.kind == m.DossierItemKind.EXCERPT:
                sections.append(b.excerpt_section(item))
            elif item.kind == m.DossierItemKind.NOTE:
                text = "" if options.redact_notes else item.text
                sections.append(TextSection("note", item.id, anchor, text))
            elif item.kind == m.DossierItemKind.HEADING:
                sections.append(TextSection("heading", item.id, anchor, item.text))
        data = DossierData(
            dossier_id=dossier.id,
            title=dossier.title,
            subtitle=dossier.subtitle,
            author=dossier.author,
            marking=dossier.marking,
            created_at=dossier.created_at.isoformat(timespec="seconds"),
            generated_at=_now(),
            sections=sections,
            sources=b.sources(),
            notices=b.notices,
            options=options,
        )
    return redact(data, options.redact, notes=options.redact_notes)


def entity_dossier(
    store: Store,
    entity_id: int,
    options: Options | None = None,
    *,
    author: str = "",
    marking: str = "",
) -> DossierData:
    """A one-entity dossier built on the fly (``export-entity``); nothing is saved."""
    options = options or Options()
    with store.session() as session:
        if session.get(m.Entity, entity_id) is None:
            raise NotFoundError(f"no entity with id {entity_id}")
        b = _Builder(session, options)
        section = b.entity_section(entity_id, None)
        title = section.name if isinstance(section, EntitySection) else "A deleted entity"
        subtitle = section.type_label if isinstance(section, EntitySection) else ""
        now = _now()
        data = DossierData(
            dossier_id=None,
            title=title,
            subtitle=subtitle,
            author=author,
            marking=marking,
            created_at=now,
            generated_at=now,
            sections=[section],
            sources=b.sources(),
            notices=b.notices,
            options=options,
        )
    return redact(data, options.redact, notes=options.redact_notes)


# -- redaction ---------------------------------------------------------------------


def _redactor(terms: Iterable[str]) -> re.Pattern[str] | None:
    cleaned = sorted({t.strip() for t in terms if t and t.strip()}, key=len, reverse=True)
    if not cleaned:
        return None
    return re.compile("|".join(re.escape(t) for t in cleaned), re.IGNORECASE)


def _redact_value(value: Any, pattern: re.Pattern[str]) -> Any:
    if isinstance(value, str):
        return pattern.sub(REDACTED, value)
    if isinstance(value, MentionContext):
        # Redact between and inside the highlights separately, so that every
        # highlight still covers its (redacted) name.
        spans = value.spans or [(value.start, value.end)]
        pieces: list[str] = []
        new_spans: list[tuple[int, int]] = []
        pos = length = 0
        for a, b in spans:
            gap = pattern.sub(REDACTED, value.context[pos:a])
            lit = pattern.sub(REDACTED, value.context[a:b])
            pieces += [gap, lit]
            length += len(gap)
            new_spans.append((length, length + len(lit)))
            length += len(lit)
            pos = b
        pieces.append(pattern.sub(REDACTED, value.context[pos:]))
        context = "".join(pieces)
        start, end = new_spans[0]
        return dataclasses.replace(
            value,
            surface=context[start:end],
            context=context,
            start=start,
            end=end,
            spans=new_spans,
        )
    if isinstance(value, Options):
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: _redact_value(getattr(value, f.name), pattern)
            for f in dataclasses.fields(value)
        }
        return dataclasses.replace(value, **changes)
    if isinstance(value, list):
        return [_redact_value(v, pattern) for v in value]
    return value


def redact(data: DossierData, terms: Iterable[str], *, notes: bool = False) -> DossierData:
    """``data`` with every occurrence of ``terms`` (case-insensitive) replaced by
    :data:`REDACTED`, and with notes replaced by it when ``notes`` is true.

    Aliases that consist only of a redacted term stay listed as a bar, so the
    reader sees that something was withheld.
    """
    if notes:
        sections: list[Section] = []
        for s in data.sections:
            if isinstance(s, EntitySection) and s.notes:
                s = dataclasses.replace(s, notes=REDACTED)
            elif isinstance(s, TextSection) and s.kind == "note" and not s.notices:
                s = dataclasses.replace(s, text=REDACTED)
            sections.append(s)
        data = dataclasses.replace(data, sections=sections)
    pattern = _redactor(terms)
    if pattern is None:
        return data
    return _redact_value(data, pattern)


def to_jsonable(data: DossierData) -> dict[str, Any]:
    """The stable ``export --json`` shape (see the README)."""
    out = dataclasses.asdict(data)
    out["options"]["redact"] = len(data.options.redact)  # never echo what was redacted
    out["format"] = "dossier-desk/dossier"
    out["version"] = 1
    return out


def co_mention_graph(
    data: DossierData,
) -> tuple[dict[int, tuple[str, str, bool]], dict[tuple[int, int], int]]:
    """Nodes ``id -> (name, type, is_subject)`` and undirected edges
    ``(a, b) -> weight`` (shared sentences, a recorded relation counting
    two) over every entity section of the dossier."""
    nodes: dict[int, tuple[str, str, bool]] = {}
    edges: dict[tuple[int, int], int] = {}
    for s in data.entity_sections():
        nodes[s.entity_id] = (s.name, s.type, True)
    for s in data.entity_sections():
        for c in s.co_mentions:
            if c.entity_id not in nodes:
                nodes[c.entity_id] = (c.name, c.type, False)
            key = (min(s.entity_id, c.entity_id), max(s.entity_id, c.entity_id))
            edges[key] = max(edges.get(key, 0), c.weight)
    return nodes, edges
