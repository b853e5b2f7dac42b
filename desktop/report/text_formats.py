"""Dossier data -> Markdown, JSON and GraphML. Pure Python (no Qt), so these
exports work on a machine without a display or without Qt at all."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

from desktop.core.dossier import (
    REDACTED,
    ArticleSection,
    DossierData,
    EntitySection,
    ExcerptSection,
    MentionContext,
    TextSection,
    co_mention_graph,
    to_jsonable,
)
from desktop.core.safe_text import document_text
from desktop.report.html import (
    NOTE_HEADING,
    UNREVIEWED_HEADING,
    close_bidi,
    excerpt_heading,
    link_summary,
    plural,
    source_date,
    toc_entries,
)

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|&~])")


def md(value: str) -> str:
    """Escape Markdown (and the HTML a Markdown renderer would pass through):
    ``<Tehreek> & Sons`` must show literally, never as a tag."""
    return _MD_SPECIAL.sub(r"\\\1", close_bidi(document_text(value))).replace("\n", "  \n")


def _cite(n: int | None) -> str:
    return f" [{n}]" if n is not None else ""


def _quote(c: MentionContext) -> str:
    out = ["… " if c.cut_before else ""]
    pos = 0
    for a, b in c.spans or [(c.start, c.end)]:
        out += [md(c.context[pos:a]), f"**{md(c.context[a:b])}**"]
        pos = b
    out += [md(c.context[pos:]), " …" if c.cut_after else ""]
    out += [_cite(c.citation), *(_cite(n) for n in c.also_cited)]
    if c.date:
        out.append(f" ({c.date})")
    return "".join(out)


def dossier_markdown(data: DossierData) -> str:
    out: list[str] = []
    if data.marking:
        out.append(f"**{md(data.marking)}**\n")
    out.append(f"# {md(data.title)}\n")
    if data.subtitle:
        out.append(f"*{md(data.subtitle)}*\n")
    meta = [v for v in (data.author, data.generated_at[:10]) if v]
    out.append(" · ".join(md(v) for v in meta) + "\n")
    toc = toc_entries(data)
    if toc:
        out.append("## Contents\n")
        for e in toc:
            out.append(f"{'  ' * (e.level - 1)}- {md(e.title)}")
        out.append("")
    if data.notices:
        out.append("## Notes on this export\n")
        out.extend(f"- {md(n)}" for n in data.notices)
        out.append("")
    for s in data.sections:
        if isinstance(s, TextSection) and s.kind == "heading":
            out.append(f"## {md(s.text)}\n")
        elif isinstance(s, TextSection):
            if s.text:
                out.append(f"### {NOTE_HEADING}\n")
            out.append(f"> {md(s.text)}\n")
        elif isinstance(s, EntitySection):
            out.append(f"### {md(s.name)}\n")
            facts = (
                f"{md(s.type_label)} · {plural(s.mention_count, 'mention')} in "
                f"{plural(s.article_count, 'article')}"
            )
            if s.unreviewed_count:
                facts += f" · {s.unreviewed_count} unreviewed"
                facts += " (listed apart below)" if s.unreviewed else " (left out)"
            out.append(facts + "\n")
            out.extend(f"*Note: {md(n)}*\n" for n in s.notices)
            if s.description:
                out.append(md(s.description) + "\n")
            if s.notes:
                out.append(f"**Analyst notes.** {md(s.notes)}\n")
            for g in s.aliases:
                out.append(f"- **{md(g.label)}:** " + "; ".join(md(n) for n in g.names))
            if s.aliases:
                out.append("")
            if s.relations:
                out.append("#### Relations\n")
                for r in s.relations:
                    line = f"- **{md(r.subject)}** {md(r.predicate)} **{md(r.object)}**"
                    if r.note:
                        line += f" ({md(r.note)})"
                    if r.evidence:
                        line += f": “{md(r.evidence.context)}”{_cite(r.evidence.citation)}"
                    out.append(line)
                out.append("")
            if s.co_mentions:
                out.append("#### Co-mentioned entities\n")
                out.append(md(link_summary(s)))
                out.append("")
            if s.timeline:
                out.append("#### Timeline\n")
                out.append("| Date | Article | Mentions |\n|---|---|---|")
                for e in s.timeline:
                    title = md(e.title) + _cite(e.citation)
                    out.append(f"| {e.date or 'no date'} | {title} | {e.mentions} |")
                out.append("")
            if s.mentions:
                out.append("#### Mentions in context\n")
                out.extend(f"{i}. {_quote(c)}" for i, c in enumerate(s.mentions, 1))
                out.append("")
            if s.unreviewed:
                out.append(f"#### {UNREVIEWED_HEADING} (suggested links nobody confirmed)\n")
                out.extend(f"{i}. {_quote(c)}" for i, c in enumerate(s.unreviewed, 1))
                out.append("")
        elif isinstance(s, ArticleSection):
            out.append(f"### {md(s.title or '(untitled article)')}{_cite(s.citation)}\n")
            out.extend(f"*Note: {md(n)}*\n" for n in s.notices)
            if s.lead:
                out.append("> " + md(s.lead) + "\n")
        elif isinstance(s, ExcerptSection):
            out.append(f"### {md(excerpt_heading(s))}\n")
            out.append(f"> “{md(s.text)}”{_cite(s.citation)}\n")
            out.extend(f"*Note: {md(n)}*\n" for n in s.notices)
    if data.sources:
        out.append("## Sources\n")
        for src in data.sources:
            where = src.url or src.file_name
            line = f"{src.citation}. **{md(src.title or '(untitled)')}**"
            meta = ", ".join(md(v) for v in (src.publication, src.author) if v)
            if meta:
                line += f". {meta}"
            line += f". {source_date(src)}."
            if where:
                line += f" {md(where)}."
            by = f" by {md(src.imported_by)}" if src.imported_by else ""
            line += f" Imported {src.imported_at[:10]}{by}. SHA-256 `{src.sha256}`."
            out.append(line)
        out.append("")
    return "\n".join(out).replace(md(REDACTED), REDACTED) + "\n"


def dossier_json(data: DossierData) -> str:
    return json.dumps(to_jsonable(data), ensure_ascii=False, indent=2) + "\n"


def dossier_graphml(data: DossierData) -> str:
    """The co-mention network (every entity of the dossier and the entities
    mentioned with them) as GraphML, for Gephi or yEd."""
    nodes, edges = co_mention_graph(data)
    ns = "http://graphml.graphdrawing.org/xmlns"
    ET.register_namespace("", ns)
    root = ET.Element(f"{{{ns}}}graphml")
    for key_id, target, name, kind in (
        ("label", "node", "label", "string"),
        ("type", "node", "type", "string"),
        ("subject", "node", "in_dossier", "boolean"),
        ("weight", "edge", "weight", "double"),
    ):
        ET.SubElement(
            root,
            f"{{{ns}}}key",
            {"id": key_id, "for": target, "attr.name": name, "attr.type": kind},
        )
    graph = ET.SubElement(
        root, f"{{{ns}}}graph", {"id": "co-mentions", "edgedefault": "undirected"}
    )
    for node_id, (label, etype, subject) in sorted(nodes.items()):
        n = ET.SubElement(graph, f"{{{ns}}}node", {"id": f"e{node_id}"})
        for key, value in (("label", label), ("type", etype), ("subject", str(subject).lower())):
            # ElementTree escapes markup but not the controls XML forbids.
            ET.SubElement(n, f"{{{ns}}}data", {"key": key}).text = document_text(value)
    for i, ((a, b), weight) in enumerate(sorted(edges.items())):
        e = ET.SubElement(
            graph, f"{{{ns}}}edge", {"id": f"c{i}", "source": f"e{a}", "target": f"e{b}"}
        )
        ET.SubElement(e, f"{{{ns}}}data", {"key": "weight"}).text = str(float(weight))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
