"""Dossier data -> HTML, for the HTML export and (in a Qt-friendly flavour) for
the PDF. Pure Python: no Qt import, so the CLI exports HTML anywhere.

Every user string goes through :func:`text`, which escapes it (a name such as
``<Tehreek> & Sons`` stays literal), puts Arabic-script runs in the Naskh font
and turns the redaction mark into a black bar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from desktop.core.dossier import (
    REDACTED,
    ArticleSection,
    DossierData,
    EntitySection,
    ExcerptSection,
    MentionContext,
    Source,
    TextSection,
)
from desktop.core.safe_text import document_text
from desktop.report import network

ARABIC_FAMILY = "Noto Naskh Arabic"
# Arabic, Arabic Supplement, Extended-A, presentation forms; spaces between two
# Arabic words stay inside the run so the phrase is shaped as one.
_ARABIC_RUN = re.compile(
    r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]"
    r"(?:[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff\s]*"
    r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff])?"
)
# A smaller size keeps the block glyphs inside their own line (at full size
# they reach into the line above).
_BAR = (
    '<span style="background-color:#000000; color:#000000; font-size:7pt;" title="redacted">'
    + REDACTED
    + "</span>"
)
HIGHLIGHT = "background-color:#fde68a; font-weight:bold;"
FIGURE_MARK = "\u2063FIGURE-{}\u2063"


@dataclass(frozen=True)
class TocEntry:
    level: int
    title: str
    anchor: str


_EMBED_OPEN = frozenset("\u202a\u202b\u202d\u202e")  # LRE RLE LRO RLO, closed by PDF
_ISOLATE_OPEN = frozenset("\u2066\u2067\u2068")  # LRI RLI FSI, closed by PDI


def close_bidi(value: str) -> str:
    """``value`` with every bidi embedding, override or isolate it opens
    closed at its end, so a name carrying a right-to-left override (the
    "Trojan Source" trick) cannot reverse the text that follows it on the
    same line. The name itself still shows as its characters say."""
    if value.isascii():
        return value
    embeds = isolates = 0
    for c in value:
        if c in _EMBED_OPEN:
            embeds += 1
        elif c == "\u202c" and embeds:
            embeds -= 1
        elif c in _ISOLATE_OPEN:
            isolates += 1
        elif c == "\u2069" and isolates:
            isolates -= 1
            embeds = 0  # a PDI closes the embeddings opened inside the isolate
    return value + "\u202c" * embeds + "\u2069" * isolates


def text(value: str, *, qt: bool = False) -> str:
    """Escape ``value`` for HTML, close its bidi controls and style its
    Arabic-script runs."""
    out = escape(close_bidi(document_text(value)), quote=True)
    if _ARABIC_RUN.search(out):
        if qt:
            out = _ARABIC_RUN.sub(
                lambda mt: f"<span style=\"font-family:'{ARABIC_FAMILY}';\">{mt.group(0)}</span>",
                out,
            )
        else:
            out = _ARABIC_RUN.sub(lambda mt: f'<bdi lang="ur">{mt.group(0)}</bdi>', out)
    return out.replace(REDACTED, _BAR)


def para(value: str, *, qt: bool = False) -> str:
    return "<br/>".join(text(line, qt=qt) for line in value.splitlines())


def cite(n: int | None) -> str:
    if n is None:
        return ""
    return f' <a href="#source-{n}" class="cite">[{n}]</a>'


def context_html(c: MentionContext, *, qt: bool = False) -> str:
    """The quote with every mention in it highlighted."""
    out = ["… " if c.cut_before else ""]
    pos = 0
    for a, b in c.spans or [(c.start, c.end)]:
        out.append(text(c.context[pos:a], qt=qt))
        out.append(f'<span style="{HIGHLIGHT}">{text(c.context[a:b], qt=qt)}</span>')
        pos = b
    out.append(text(c.context[pos:], qt=qt))
    out.append(" …" if c.cut_after else "")
    return "".join(out)


def excerpt_heading(s: ExcerptSection) -> str:
    if not s.title:
        return "Excerpt"
    title = s.title if len(s.title) <= 48 else s.title[:47].rstrip() + "…"
    return f"Excerpt from “{title}”"


NOTE_HEADING = "Analyst's note"
UNREVIEWED_HEADING = "Unreviewed mentions"


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def evidence_items(cs: list[MentionContext], *, qt: bool) -> list[str]:
    out = []
    for c in cs:
        also = "".join(cite(n) for n in c.also_cited)
        date = f' <span style="color:#555555;">{c.date}</span>' if c.date else ""
        if c.decided_by:
            # On a team library: who linked or confirmed it.
            date += f" <i>({text(c.status, qt=qt)} by {text(c.decided_by, qt=qt)})</i>"
        out.append(
            # dir="ltr": a quote that opens with an Urdu name stays an
            # English sentence (the name itself is still right-to-left).
            f'<li dir="ltr" style="margin-bottom:4px;">{context_html(c, qt=qt)}{cite(c.citation)}'
            f"{also}{date}</li>"
        )
    return out


def link_summary(s: EntitySection) -> str:
    """What the figure's lines stand for, in words (plain text); entities
    with the same reason are listed together."""
    groups: dict[str, list[str]] = {}
    for c in s.co_mentions:
        why = []
        if c.sentences:
            why.append(plural(c.sentences, "shared sentence"))
        if c.relations:
            why.append(plural(c.relations, "recorded relation"))
        groups.setdefault(", ".join(why), []).append(c.name)
    parts = []
    for why, names in groups.items():
        if len(names) == 1:
            parts.append(f"{names[0]} ({why})")
        else:
            parts.append(f"{why} each: {', '.join(names)}")
    return "; ".join(parts)


def toc_entries(data: DossierData) -> list[TocEntry]:
    entries = []
    if data.notices:
        entries.append(TocEntry(1, "Notes on this export", "notices"))
    under_heading = False
    for s in data.sections:
        if isinstance(s, TextSection) and s.kind == "heading":
            entries.append(TocEntry(1, s.text, s.anchor))
            under_heading = True
        elif isinstance(s, EntitySection):
            entries.append(TocEntry(2 if under_heading else 1, s.name, s.anchor))
        elif isinstance(s, ArticleSection):
            title = s.title or "(untitled article)"
            entries.append(TocEntry(2 if under_heading else 1, title, s.anchor))
        elif isinstance(s, ExcerptSection):
            entries.append(TocEntry(2 if under_heading else 1, excerpt_heading(s), s.anchor))
        elif isinstance(s, TextSection) and s.text:
            entries.append(TocEntry(2 if under_heading else 1, NOTE_HEADING, s.anchor))
    if data.sources:
        entries.append(TocEntry(1, "Sources", "sources"))
    return entries


def source_date(src: Source) -> str:
    if src.date is None:
        return "No date stated"
    return f"{src.date} (dateline in the text)" if src.date_from_text else src.date


def _h(level: int, anchor: str, inner: str) -> str:
    # The anchor must sit inside the heading: Qt drops an empty one before it.
    # dir="ltr": a heading that starts with an Urdu name stays on the left
    # margin like the others (the name itself is still shaped right-to-left).
    return f'<h{level} id="{anchor}" dir="ltr"><a name="{anchor}"></a>{inner}</h{level}>'


def _entity(s: EntitySection, level: int, qt: bool, figure_index: int | None) -> list[str]:
    t = lambda v: text(v, qt=qt)  # noqa: E731
    out = [_h(level, s.anchor, t(s.name))]
    facts = f"{t(s.type_label)} · {plural(s.mention_count, 'mention')}"
    facts += f" in {plural(s.article_count, 'article')}"
    if s.unreviewed_count:
        facts += f" · {s.unreviewed_count} unreviewed"
        facts += " (listed apart below)" if s.unreviewed else " (left out)"
    out.append(f'<p class="facts" style="color:#555555;">{facts}</p>')
    for notice in s.notices:
        out.append(f'<p class="notice" style="color:#92400e;">Note: {t(notice)}</p>')
    sub = level + 1
    if s.description:
        out.append(f"<p>{para(s.description, qt=qt)}</p>")
    if s.notes:
        out.append(f"<h{sub}>Analyst notes</h{sub}><p>{para(s.notes, qt=qt)}</p>")
    if s.aliases:
        out.append(f"<h{sub}>Names and aliases</h{sub}>")
        out.append('<table class="aliases" cellpadding="2" cellspacing="0">')
        for g in s.aliases:
            # One per line: between two right-to-left names a separator would
            # be reordered by the bidi algorithm and the names swap places.
            names = "<br/>".join(t(n) for n in g.names)
            out.append(
                f'<tr><td style="color:#555555; padding-right:12px;" valign="top">'
                f'{t(g.label)}</td><td dir="ltr">{names}</td></tr>'
            )
        out.append("</table>")
    if s.relations:
        out.append(f"<h{sub}>Relations</h{sub}><ul>")
        for r in s.relations:
            line = f"<b>{t(r.subject)}</b> — {t(r.predicate)} → <b>{t(r.object)}</b>"
            if r.note:
                line += f" <i>({t(r.note)})</i>"
            if r.evidence is not None:
                line += (
                    f'<br/><span style="color:#333333;">Evidence: '
                    f"{context_html(r.evidence, qt=qt)}</span>{cite(r.evidence.citation)}"
                )
            out.append(f"<li>{line}</li>")
        out.append("</ul>")
    if s.co_mentions:
        if qt and figure_index is not None:
            # The figure draws its own title: pagination can split a heading
            # from the line after it, never a figure from itself.
            out.append(f'<p style="margin-top:9px;">{FIGURE_MARK.format(figure_index)}</p>')
        else:
            out.append(f"<h{sub}>Co-mentioned entities</h{sub}>")
        if not qt:
            out.append(f'<figure class="network">{network.to_svg(network.layout(s))}</figure>')
        out.append(
            '<p style="color:#555555;">Lines join entities named in the same sentence '
            f"or tied by a recorded relation: {t(link_summary(s))}.</p>"
        )
    if s.timeline:
        out.append(f"<h{sub}>Timeline</h{sub}>")
        out.append('<table class="timeline" cellpadding="3" cellspacing="0" width="100%">')
        for e in s.timeline:
            pub = f" — {t(e.publication)}" if e.publication else ""
            out.append(
                f'<tr><td width="18%" valign="top">{e.date or "no date"}</td>'
                f"<td>{t(e.title or '(untitled)')}{pub}{cite(e.citation)}</td>"
                f'<td width="14%" align="right" valign="top">{e.mentions}&nbsp;×</td></tr>'
            )
        out.append("</table>")
    if s.mentions:
        head = f"Mentions in context ({plural(len(s.mentions), 'sentence')})"
        out.append(f"<h{sub}>{head}</h{sub}><ol>")
        out.extend(evidence_items(s.mentions, qt=qt))
        out.append("</ol>")
    if s.unreviewed:
        out.append(
            '<table width="100%" cellpadding="6" cellspacing="0" '
            'style="background-color:#fef3c7; border:1px solid #d97706;"><tr><td>'
            f"<b>{UNREVIEWED_HEADING} ({plural(len(s.unreviewed), 'sentence')})</b>"
            "<br/>Links the program suggested and nobody has confirmed; they may "
            f"name someone else.<ol>{''.join(evidence_items(s.unreviewed, qt=qt))}</ol>"
            "</td></tr></table>"
        )
    return out


def body_html(data: DossierData, *, qt: bool = False) -> tuple[list[str], list[EntitySection]]:
    """The HTML of every section and the sources; with ``qt`` true, also the
    entity sections whose figure marks (:data:`FIGURE_MARK`) must be replaced."""
    t = lambda v: text(v, qt=qt)  # noqa: E731
    out: list[str] = []
    figures: list[EntitySection] = []
    if data.notices:
        out.append(_h(1, "notices", "Notes on this export"))
        out.append("<ul>" + "".join(f"<li>{t(n)}</li>" for n in data.notices) + "</ul>")
    under_heading = False
    for s in data.sections:
        level = 2 if under_heading else 1
        if isinstance(s, TextSection) and s.kind == "heading":
            out.append(_h(1, s.anchor, t(s.text)))
            under_heading = True
        elif isinstance(s, TextSection):
            if s.text:
                out.append(_h(level, s.anchor, NOTE_HEADING))
            out.append(
                '<table width="100%" cellpadding="8" cellspacing="0" class="note" '
                'style="background-color:#f1f5f9;"><tr><td>'
                f"{para(s.text, qt=qt)}</td></tr></table>"
            )
        elif isinstance(s, EntitySection):
            fig = None
            if s.co_mentions:
                fig = len(figures)
                figures.append(s)
            out.extend(_entity(s, level, qt, fig))
        elif isinstance(s, ArticleSection):
            out.append(_h(level, s.anchor, t(s.title or "(untitled article)") + cite(s.citation)))
            for notice in s.notices:
                out.append(f'<p class="notice" style="color:#92400e;">Note: {t(notice)}</p>')
            if s.lead:
                out.append(f"<blockquote>{para(s.lead, qt=qt)}</blockquote>")
            if s.entities:
                out.append(
                    '<p style="color:#555555;">Entities in this article: '
                    + ", ".join(t(n) for n in s.entities)
                    + "</p>"
                )
        elif isinstance(s, ExcerptSection):
            quote = para(s.text, qt=qt)
            out.append(_h(level, s.anchor, t(excerpt_heading(s))))
            out.append(
                f'<blockquote style="font-style:italic;">“{quote}”{cite(s.citation)}</blockquote>'
            )
            for notice in s.notices:
                out.append(f'<p class="notice" style="color:#92400e;">Note: {t(notice)}</p>')
    if data.sources:
        out.append(_h(1, "sources", "Sources"))
        for src in data.sources:
            bits = [f"<b>{t(src.title or '(untitled)')}</b>"]
            meta = ", ".join(t(v) for v in (src.publication, src.author) if v)
            if meta:
                bits.append(meta)
            bits.append(source_date(src))
            where = (
                f"URL: {t(src.url)}"
                if src.url
                else (f"File: {t(src.file_name)}" if src.file_name else "")
            )
            lines = ". ".join(bits) + "."
            if where:
                lines += f"<br/>{where}"
            by = f" by {t(src.imported_by)}" if src.imported_by else ""
            lines += f"<br/>Imported {t(src.imported_at[:10])}{by}"
            lines += (
                "<br/>SHA-256: <span style=\"font-family:'DejaVu Sans Mono',monospace; "
                f'font-size:7pt;">{t(src.sha256)}</span>'
            )
            out.append(
                f'<p style="margin-bottom:6px;"><a name="source-{src.citation}"></a>'
                f"[{src.citation}] {lines}</p>"
            )
    return out, figures


_CSS = """
body { font-family: "DejaVu Sans", "Noto Sans", sans-serif; max-width: 52em; margin: 2em auto;
       line-height: 1.45; color: #111; }
bdi { font-family: "Noto Naskh Arabic", serif; }
.cover { border-bottom: 2px solid #111; margin-bottom: 2em; }
.marking { color: #b91c1c; font-weight: bold; letter-spacing: .2em; text-align: center; }
blockquote { border-left: 3px solid #94a3b8; margin-left: 0; padding-left: 1em; color: #333; }
a.cite { text-decoration: none; color: #1d4ed8; font-size: .85em; }
table.timeline td, table.aliases td { border-bottom: 1px solid #e5e7eb; }
"""


def dossier_html(data: DossierData) -> str:
    """A standalone HTML file (inline CSS and SVG; nothing fetched)."""
    t = text
    head_title = t(data.title)
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"/>',
        f"<title>{head_title}</title>",
        f'<meta name="author" content="{t(data.author)}"/>',
        f'<meta name="generator" content="Dossier Desk"/><style>{_CSS}</style>',
        "</head><body>",
    ]
    if data.marking:
        out.append(f'<p class="marking">{t(data.marking)}</p>')
    out.append(f'<header class="cover"><h1>{head_title}</h1>')
    if data.subtitle:
        out.append(f"<p><b>{t(data.subtitle)}</b></p>")
    meta = [v for v in (data.author, data.generated_at[:10]) if v]
    out.append(f"<p>{' · '.join(t(v) for v in meta)}</p></header>")
    toc = toc_entries(data)
    if toc:
        out.append('<nav><h2>Contents</h2><ul class="toc">')
        for e in toc:
            indent = ' style="margin-left:1.5em;"' if e.level > 1 else ""
            out.append(f'<li{indent}><a href="#{e.anchor}">{t(e.title)}</a></li>')
        out.append("</ul></nav>")
    body, _ = body_html(data)
    out.extend(body)
    if data.marking:
        out.append(f'<p class="marking">{t(data.marking)}</p>')
    out.append("</body></html>")
    return "\n".join(out) + "\n"
