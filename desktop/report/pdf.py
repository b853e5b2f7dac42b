"""Dossier data -> PDF with Qt's own engine (QTextDocument + QPainter on a
QPdfWriter, or on any QPagedPaintDevice such as a print preview's QPrinter).

Layout is two-pass: the body is laid out first and the page of each heading
read from the layout; the table of contents is laid out with placeholder page
numbers to learn how many pages it takes, then filled in. Page headers carry
the handling marking, footers "n / N". The co-mention figure is a text object
drawn with QPainter, so it is vector graphics inside the PDF. QtGui only.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass
from html import escape
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QMarginsF,
    QPointF,
    QRectF,
    QSizeF,
    Qt,
    QUrl,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextBlock,
    QTextCursor,
    QTextDocument,
    QTextImageFormat,
)

from desktop.core.dossier import DossierData, ExportError
from desktop.report import html as H
from desktop.report import network
from desktop.report.files import check_writable, write_bytes
from desktop.report.offline import OfflineTextDocument
from desktop.resources import resource_path

log = logging.getLogger(__name__)

PAPERS = {"A4": QPageSize.PageSizeId.A4, "Letter": QPageSize.PageSizeId.Letter}
RESOLUTION = 300
FIGURE_TITLE = "Co-mentioned entities"
BODY_FAMILIES = ["DejaVu Sans", "Noto Sans", "Liberation Sans", H.ARABIC_FAMILY]

_app: QGuiApplication | None = None
_fonts_loaded = False


def ensure_gui() -> None:
    """A QGuiApplication (offscreen when we create it) and our fonts."""
    global _app, _fonts_loaded
    if QGuiApplication.instance() is None:
        _app = QGuiApplication(["dossier-desk", "-platform", "offscreen"])
    if not _fonts_loaded:
        folder = resource_path("fonts")
        for ttf in sorted(folder.glob("*.ttf")) if folder.is_dir() else []:
            QFontDatabase.addApplicationFont(str(ttf))
        _fonts_loaded = True


@dataclass(frozen=True)
class PdfResult:
    path: str
    pages: int
    toc: list[tuple[str, int]]
    seconds: float


def draw_figure(painter: QPainter, fig: network.Figure, scale: float = 1.0) -> None:
    """The figure in its own units (points); ``scale`` is how much the painter
    was scaled, so that the labels keep their size in points."""
    painter.setPen(QPen(QColor("#cbd5e1"), 0.6))
    painter.drawRect(QRectF(0.5, 0.5, fig.width - 1, fig.height - 1))
    top = max((w for _, _, w in fig.edges), default=1)
    for a, b, w in fig.edges:
        na, nb = fig.nodes[a], fig.nodes[b]
        # A relation the user recorded is drawn darker than a co-mention.
        colour = "#475569" if nb.related else "#94a3b8"
        painter.setPen(QPen(QColor(colour), network.edge_width(w, top)))
        painter.drawLine(QPointF(na.x, na.y), QPointF(nb.x, nb.y))
    font = QFont()
    font.setFamilies(BODY_FAMILIES)
    font.setPointSizeF(11 / scale)
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor("#1e293b"))
    painter.drawText(
        QRectF(8, 4, fig.width - 16, 18),
        int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
        FIGURE_TITLE,
    )
    for n in fig.nodes:
        colour = QColor(network.TYPE_COLOURS.get(n.type, network.TYPE_COLOURS["MISC"]))
        painter.setPen(QPen(QColor("#1f2937"), 1.5 if n.subject else 0.6))
        painter.setBrush(colour)
        painter.drawEllipse(QPointF(n.x, n.y), n.r, n.r)
        font.setPointSizeF((7.5 if not n.subject else 8.5) / scale)
        font.setBold(n.subject)
        painter.setFont(font)
        painter.setPen(QColor("#111827"))
        label = network.short_label(n.label) + (f" ({n.weight})" if n.labelled else "")
        box = QRectF(n.x - 100, n.y + n.r + 1, 200, 14)
        painter.drawText(box, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop), label)
    painter.setBrush(Qt.BrushStyle.NoBrush)


_QT_CSS = """
h1 { font-size: 17pt; margin-top: 14px; margin-bottom: 6px; color: #0f172a; }
h2 { font-size: 13.5pt; margin-top: 12px; margin-bottom: 4px; color: #0f172a; }
h3 { font-size: 11pt; margin-top: 9px; margin-bottom: 3px; color: #1e293b; }
h4 { font-size: 10pt; margin-top: 8px; margin-bottom: 2px; color: #1e293b; }
p, li { margin-top: 2px; margin-bottom: 2px; }
blockquote { margin-left: 18px; margin-right: 18px; color: #222222; }
a { color: #1d4ed8; text-decoration: none; }
"""


def _document(
    html: str,
    device: QPagedPaintDevice,
    width: float,
    height: float,
    figures: list[network.Figure] = (),  # type: ignore[assignment]
    scale: float = 1.0,
) -> QTextDocument:
    doc = OfflineTextDocument()
    doc.documentLayout().setPaintDevice(device)
    font = QFont()
    font.setFamilies(BODY_FAMILIES)
    font.setPointSizeF(9.5)
    doc.setDefaultFont(font)
    doc.setDefaultStyleSheet(_QT_CSS)
    doc.setDocumentMargin(0)
    doc.setHtml(html)
    # Edits after the page size is set are laid out lazily (blocks left with no
    # lines until an event loop runs), so the figures go in first.
    _insert_figures(doc, list(figures), scale)
    doc.setPageSize(QSizeF(width, height))
    return doc


def _split_paragraphs(doc: QTextDocument, page_height: float) -> dict[int, QTextBlock]:
    """Page -> the paragraph that a page break splits at that page's top
    (paragraphs in tables aside: Qt moves table rows whole)."""
    layout = doc.documentLayout()
    out: dict[int, QTextBlock] = {}
    block = doc.begin()
    while block.isValid():
        rect = layout.blockBoundingRect(block)
        first = _page_of(rect.top(), page_height)
        last = _page_of(rect.bottom() - 1, page_height)
        if last > first and QTextCursor(block).currentTable() is None:
            for page in range(first + 1, last + 1):
                out[page] = block
        block = block.next()
    return out


def _draw_page(
    doc: QTextDocument,
    painter: QPainter,
    page: int,
    width: float,
    page_height: float,
    split: dict[int, QTextBlock],
) -> None:
    """Draw one page of ``doc`` (painter in document coordinates). Qt draws
    a clipped paragraph from the line just above the clip rectangle, so the
    end of a paragraph split by the page break would put its previous line,
    clipped and invisible yet copyable, under the page header (read twice by
    text extraction and screen readers). That paragraph's lines on this page
    are drawn one by one instead, and Qt draws from below it."""
    # A device pixel short of the break: the first line of the next page
    # starts a rounding error above it and would otherwise be drawn too.
    top, bottom = page * page_height, (page + 1) * page_height - 1
    block = split.get(page)
    if block is None:
        doc.drawContents(painter, QRectF(0, top, width, bottom - top))
        return
    painter.save()
    painter.setClipRect(QRectF(0, top, width, bottom - top))
    text_layout = block.layout()
    origin = text_layout.position()
    for n in range(text_layout.lineCount()):
        line = text_layout.lineAt(n)
        y = origin.y() + line.y()
        if top - 0.5 <= y < bottom:
            line.draw(painter, origin)
    painter.restore()
    below = doc.documentLayout().blockBoundingRect(block).bottom()
    if below < bottom:
        doc.drawContents(painter, QRectF(0, below, width, bottom - below))


def _page_of(y: float, page_height: float) -> int:
    """The page a layout position falls on. Pagination puts pushed blocks at
    exactly n * page_height, which floating point may leave a hair short."""
    return int((y + 0.5) // page_height)


def _anchor_pages(doc: QTextDocument, page_height: float) -> dict[str, int]:
    """0-based page of each anchor in ``doc``."""
    layout = doc.documentLayout()
    out: dict[str, int] = {}
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            for name in it.fragment().charFormat().anchorNames():
                top = layout.blockBoundingRect(block).top()
                out.setdefault(name, _page_of(top, page_height))
            it += 1
        block = block.next()
    return out


def _insert_figures(doc: QTextDocument, figures: list[network.Figure], scale: float) -> None:
    """Reserve the figures' room with a blank image; :func:`_figure_positions`
    finds it after layout and the figure is painted there as vector graphics.
    (A QTextObjectInterface handler would be the natural tool, but with PySide6
    6.12 the text after such an object goes missing from the PDF.)"""
    blank = QImage(1, 1, QImage.Format.Format_ARGB32)
    blank.fill(Qt.GlobalColor.transparent)
    for i, fig in enumerate(figures):
        cursor = doc.find(H.FIGURE_MARK.format(i))
        if cursor.isNull():
            continue
        name = f"dossier-figure-{i}"
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), blank)
        fmt = QTextImageFormat()
        fmt.setName(name)
        # Image sizes are in 96-dpi logical pixels, whatever the device; the
        # painted figure is fitted to the room the layout really gave it.
        fmt.setWidth(fig.width * 96 / 72)
        fmt.setHeight(fig.height * 96 / 72)
        cursor.insertImage(fmt)


def _figure_positions(doc: QTextDocument) -> dict[int, QRectF]:
    """The room (document coordinates) reserved for each figure."""
    out: dict[int, QRectF] = {}
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            fmt = frag.charFormat()
            if fmt.isImageFormat():
                img = fmt.toImageFormat()
                if img.name().startswith("dossier-figure-"):
                    index = int(img.name().rsplit("-", 1)[1])
                    pos = frag.position() - block.position()
                    line = block.layout().lineForTextPosition(pos)
                    x = line.cursorToX(pos)
                    x = x[0] if isinstance(x, tuple) else x
                    origin = block.layout().position()
                    # The image stands on the baseline and fills the line's ascent.
                    h = line.ascent()
                    w = h * img.width() / max(1.0, img.height())
                    out[index] = QRectF(origin.x() + x, origin.y() + line.y(), w, h)
            it += 1
        block = block.next()
    return out


def _toc_html(entries: list[H.TocEntry], pages: list[str]) -> str:
    rows = []
    for e, page in zip(entries, pages, strict=True):
        pad = 18 if e.level > 1 else 0
        weight = "font-weight:bold;" if e.level == 1 else ""
        rows.append(
            f'<tr><td dir="ltr" style="padding-left:{pad}px; {weight}">'
            f'<a href="#{e.anchor}">{H.text(e.title, qt=True)}</a></td>'
            f'<td align="right" width="12%">{page}</td></tr>'
        )
    return (
        '<h1>Contents</h1><table width="100%" cellpadding="3" cellspacing="0">'
        + "".join(rows)
        + "</table>"
    )


def _cover_html(data: DossierData) -> str:
    t = lambda v: H.text(v, qt=True)  # noqa: E731
    parts = [
        '<p style="font-size:26pt; font-weight:bold; color:#0f172a;">' + t(data.title) + "</p>"
    ]
    if data.subtitle:
        parts.append(f'<p style="font-size:15pt; color:#334155;">{t(data.subtitle)}</p>')
    parts.append("<p>&nbsp;</p>")
    if data.author:
        parts.append(f'<p style="font-size:12pt;">Prepared by {t(data.author)}</p>')
    date = data.generated_at[:10]
    parts.append(f'<p style="font-size:12pt;">{escape(date)}</p>')
    n_ent = len(data.entity_sections())
    parts.append(
        f'<p style="color:#555555;">{n_ent} entit{"y" if n_ent == 1 else "ies"} · '
        f"{len(data.sources)} source{'s' if len(data.sources) != 1 else ''} · "
        "every statement cites its source article</p>"
    )
    return "".join(parts)


def _xmp(data: DossierData, created: dt.datetime) -> bytes:
    def x(v: str) -> str:
        return escape(v, quote=True)

    subject = data.subtitle or "Dossier"
    stamp = created.isoformat(timespec="seconds")
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{x(data.title)}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>{x(data.author)}</rdf:li></rdf:Seq></dc:creator>
<dc:description><rdf:Alt>
<rdf:li xml:lang="x-default">{x(subject)}</rdf:li>
</rdf:Alt></dc:description>
<xmp:CreateDate>{stamp}</xmp:CreateDate>
<xmp:CreatorTool>Dossier Desk</xmp:CreatorTool>
<pdf:Producer>Dossier Desk (Qt PDF engine)</pdf:Producer>
<pdf:Keywords>{x(subject)}</pdf:Keywords>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>""".encode()


def render(
    data: DossierData, device: QPagedPaintDevice, *, paper: str = "A4"
) -> tuple[int, list[tuple[str, int]]]:
    """Paint the dossier on ``device`` (a QPdfWriter or a QPrinter).
    Returns the page count and the TOC as (title, page)."""
    ensure_gui()
    if paper not in PAPERS:
        raise ExportError(f"unknown paper size {paper!r} (use A4 or Letter)")
    layout = QPageLayout(
        QPageSize(PAPERS[paper]),
        QPageLayout.Orientation.Portrait,
        QMarginsF(18, 16, 18, 14),
        QPageLayout.Unit.Millimeter,
    )
    device.setPageLayout(layout)
    dpi = device.logicalDpiY()
    rect = device.pageLayout().paintRectPixels(dpi)
    width, full_h = float(rect.width()), float(rect.height())
    mm = dpi / 25.4
    header_h, footer_h = 9 * mm, 8 * mm
    body_h = full_h - header_h - footer_h

    body_parts, figure_sections = H.body_html(data, qt=True)
    figures = [network.layout(s) for s in figure_sections]
    scale = dpi / 72.0
    body = _document("".join(body_parts), device, width, body_h, figures, scale)
    body_pages = body.pageCount()
    figure_at = _figure_positions(body)
    anchors = _anchor_pages(body, body_h)

    entries = H.toc_entries(data)
    toc_doc = _document(_toc_html(entries, ["000"] * len(entries)), device, width, body_h)
    toc_pages = toc_doc.pageCount() if entries else 0
    first_body = 2 + toc_pages  # cover is page 1
    numbers = [str(first_body + anchors.get(e.anchor, 0)) for e in entries]
    if entries:
        toc_doc = _document(_toc_html(entries, numbers), device, width, body_h)
        toc_pages = toc_doc.pageCount()
    total = 1 + toc_pages + body_pages
    cover = _document(_cover_html(data), device, width, full_h)

    painter = QPainter()
    if not painter.begin(device):
        raise ExportError("the PDF could not be started (Qt refused the output device)")
    try:
        page_no = 1
        _frame(painter, data, page_no, total, width, full_h, header_h, cover=True)
        painter.fillRect(
            QRectF(0, full_h * 0.28 - 6 * mm, width * 0.25, 1.6 * mm), QColor("#b91c1c")
        )
        painter.save()
        painter.translate(0, full_h * 0.28)
        cover.drawContents(painter, QRectF(0, 0, width, full_h * 0.6))
        painter.restore()
        if data.marking:
            # Handling markings go at the top and the bottom of a cover.
            font = QFont()
            font.setFamilies(BODY_FAMILIES)
            font.setPointSizeF(11)
            font.setBold(True)
            painter.setFont(font)
            painter.setPen(QColor("#b91c1c"))
            painter.drawText(
                QRectF(0, full_h - 2 * header_h, width, header_h),
                int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter),
                data.marking,
            )
        splits = {id(d): _split_paragraphs(d, body_h) for d in (toc_doc, body)}
        for doc, pages in ((toc_doc, toc_pages), (body, body_pages)):
            for i in range(pages):
                device.newPage()
                page_no += 1
                _frame(painter, data, page_no, total, width, full_h, header_h)
                painter.save()
                painter.translate(0, header_h - i * body_h)
                _draw_page(doc, painter, i, width, body_h, splits[id(doc)])
                if doc is body:
                    for index, room in figure_at.items():
                        if _page_of(room.top(), body_h) == i:
                            fig = figures[index]
                            fit = room.height() / fig.height
                            painter.save()
                            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
                            painter.translate(room.topLeft())
                            painter.scale(fit, fit)
                            draw_figure(painter, fig, fit)
                            painter.restore()
                painter.restore()
    finally:
        painter.end()
    toc = [(e.title, int(n)) for e, n in zip(entries, numbers, strict=True)]
    return total, toc


def _frame(
    painter: QPainter,
    data: DossierData,
    page: int,
    total: int,
    width: float,
    height: float,
    header_h: float,
    *,
    cover: bool = False,
) -> None:
    font = QFont()
    font.setFamilies(BODY_FAMILIES)
    font.setPointSizeF(7.5)
    painter.setFont(font)
    painter.setPen(QColor("#64748b"))
    top = QRectF(0, 0, width, header_h * 0.7)
    if not cover:
        title = painter.fontMetrics().elidedText(
            data.title, Qt.TextElideMode.ElideRight, int(width * 0.4)
        )
        painter.drawText(
            top, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), title
        )
        painter.drawLine(QPointF(0, header_h * 0.75), QPointF(width, header_h * 0.75))
    painter.drawText(
        QRectF(0, height - header_h * 0.7, width, header_h * 0.7),
        int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter),
        f"{page} / {total}",
    )
    if data.marking:
        bold = QFont(font)
        bold.setBold(True)
        bold.setPointSizeF(11 if cover else 9)
        painter.setFont(bold)
        painter.setPen(QColor("#b91c1c"))
        painter.drawText(
            top, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter), data.marking
        )


def write_pdf(data: DossierData, path: str | Path, *, paper: str = "A4") -> PdfResult:
    """Render ``data`` to the PDF file ``path``."""
    t0 = time.perf_counter()
    path = Path(path)
    check_writable(path)
    ensure_gui()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(RESOLUTION)
    writer.setPdfVersion(QPagedPaintDevice.PdfVersion.PdfVersion_1_6)
    writer.setTitle(data.title)
    writer.setAuthor(data.author)
    writer.setCreator("Dossier Desk")
    writer.setDocumentXmpMetadata(QByteArray(_xmp(data, dt.datetime.now(dt.UTC))))
    pages, toc = render(data, writer, paper=paper)
    del writer  # flushes the PDF trailer into the buffer
    buffer.close()
    write_bytes(path, bytes(buffer.data().data()))
    seconds = time.perf_counter() - t0
    log.info("export: pdf of %d pages in %.2f s", pages, seconds)
    return PdfResult(str(path), pages, toc, seconds)
