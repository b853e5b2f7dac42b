"""The co-mention figure: a radial layout computed in plain Python, drawn as SVG
here and with QPainter in :mod:`desktop.report.pdf` (same geometry)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

from desktop.core.dossier import CoMention, EntitySection
from desktop.core.safe_text import document_text

MAX_NODES = 12
TYPE_COLOURS = {"PER": "#2563eb", "ORG": "#dc2626", "LOC": "#16a34a", "MISC": "#6b7280"}


@dataclass(frozen=True)
class Node:
    entity_id: int
    label: str
    type: str
    x: float
    y: float
    r: float
    subject: bool
    weight: int
    # Whether the label shows the weight: only when weights differ.
    labelled: bool = False
    related: bool = False


@dataclass(frozen=True)
class Figure:
    width: float
    height: float
    nodes: list[Node]
    # (subject index 0, other node index, weight)
    edges: list[tuple[int, int, int]]


def layout(section: EntitySection, width: float = 480, height: float = 300) -> Figure:
    """The subject in the middle, its strongest links on a ring (the
    co-mentions are already weighted, weak ones dropped, by the core)."""
    others: list[CoMention] = section.co_mentions[:MAX_NODES]
    cx, cy = width / 2, height / 2
    ring_x, ring_y = width / 2 - 90, height / 2 - 40
    top = max((c.weight for c in others), default=1)
    labelled = len({c.weight for c in others}) > 1
    nodes = [Node(section.entity_id, section.name, section.type, cx, cy, 16, True, 0)]
    edges = []
    for i, c in enumerate(others):
        angle = -math.pi / 2 + 2 * math.pi * i / max(1, len(others))
        r = 6 + 8 * c.weight / max(1, top)
        nodes.append(
            Node(
                c.entity_id,
                c.name,
                c.type,
                cx + ring_x * math.cos(angle),
                cy + ring_y * math.sin(angle),
                r,
                False,
                c.weight,
                labelled,
                c.relations > 0,
            )
        )
        edges.append((0, i + 1, c.weight))
    return Figure(width, height, nodes, edges)


def edge_width(shared: int, top: int) -> float:
    return 0.8 + 3.2 * shared / max(1, top)


def short_label(label: str, limit: int = 28) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def to_svg(fig: Figure) -> str:
    """An inline SVG of the figure; every label escaped."""
    top = max((w for _, _, w in fig.edges), default=1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{fig.width:.0f}" '
        f'height="{fig.height:.0f}" viewBox="0 0 {fig.width:.0f} {fig.height:.0f}" '
        'role="img" font-family="sans-serif" font-size="10">'
    ]
    for a, b, w in fig.edges:
        na, nb = fig.nodes[a], fig.nodes[b]
        parts.append(
            f'<line x1="{na.x:.1f}" y1="{na.y:.1f}" x2="{nb.x:.1f}" y2="{nb.y:.1f}" '
            f'stroke="#94a3b8" stroke-width="{edge_width(w, top):.2f}"/>'
        )
    for n in fig.nodes:
        colour = TYPE_COLOURS.get(n.type, TYPE_COLOURS["MISC"])
        parts.append(
            f'<circle cx="{n.x:.1f}" cy="{n.y:.1f}" r="{n.r:.1f}" fill="{colour}" '
            f'stroke="#1f2937" stroke-width="{1.5 if n.subject else 0.6}"/>'
        )
        label = escape(document_text(short_label(n.label)))
        suffix = f" ({n.weight})" if n.labelled else ""
        weight = ' font-weight="bold"' if n.subject else ""
        parts.append(
            f'<text x="{n.x:.1f}" y="{n.y + n.r + 11:.1f}" text-anchor="middle"{weight}>'
            f"{label}{escape(suffix)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
