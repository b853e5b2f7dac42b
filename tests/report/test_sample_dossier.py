"""A dossier an editor can use, built the way a user builds one: the shipped
samples and a pasted news page (menus, dateline, a repeated headline) imported
and linked by the real pipeline; Hamas, Lashkar-e-Taiba, Jaish-e-Mohammed and
Masood Azhar with an excerpt and a note between them; exported as PDF and read
back with PDFium. Page images go to ``tmp_path/pages`` for looking at."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlmodel import select

from desktop.core import models as m
from desktop.core.dossier import Options, assemble
from desktop.core.services import dossiers as ds
from desktop.core.services import pipeline
from desktop.resources import samples_dir

pytest.importorskip("PySide6.QtGui")  # the core-only run blocks Qt
from desktop.report.pdf import write_pdf

from .conftest import normalise, pdf_pages, render_pages, squeeze  # type: ignore[import-not-found]

pytestmark = [pytest.mark.gui, pytest.mark.slow]

PASTE = Path(__file__).parents[1] / "fixtures" / "text" / "pasted_news_page.txt"
NAMES = ("Hamas", "Lashkar-e-Taiba", "Jaish-e-Mohammed", "Masood Azhar")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from desktop.core.store import open_store

    folder = tmp_path_factory.mktemp("sample-dossier")
    store = open_store(folder / "library.sqlite")
    pipeline.import_and_extract(store, [samples_dir()], processes=1)
    paste_id, _ = pipeline.paste_and_extract(store, PASTE.read_text(encoding="utf-8"))
    with store.session() as s:
        ids = {}
        for name in NAMES:
            e = s.exec(
                select(m.Entity).where(m.Entity.name == name).where(m.Entity.merged_into_id == None)  # noqa: E711
            ).first()
            assert e is not None, f"{name} was not found in the samples"
            ids[name] = e.id
        body = s.get(m.Article, paste_id).body
    d = ds.create_dossier(
        store, "Kashmir groups and Hamas", subtitle="Rawalakot", author="Desk", marking="INTERNAL"
    )
    ds.add_entity(store, d.id, ids["Hamas"])
    ds.add_entity(store, d.id, ids["Lashkar-e-Taiba"])
    quote = "A senior Lashkar-e-Taiba commander, identified as Zaheer"
    start = body.index(quote)
    ds.add_excerpt(store, d.id, paste_id, start, start + len(quote))
    ds.add_note(store, d.id, "Check the Zaheer identification with a second source.")
    ds.add_entity(store, d.id, ids["Jaish-e-Mohammed"])
    ds.add_entity(store, d.id, ids["Masood Azhar"])
    yield store, d.id, folder
    store.close()


def _export(built, name: str, options: Options | None = None):  # type: ignore[no-untyped-def]
    store, dossier_id, folder = built
    data = assemble(store, dossier_id, options)
    out = folder / f"{name}.pdf"
    write_pdf(data, out)
    pages = pdf_pages(out)
    render_pages(out, folder / "pages")
    return data, " ".join(pages)


def _between(text: str, start: str, end: str | None) -> str:
    i = text.index(start, text.index("Mentions in context") if start == "" else 0)
    return text[i : text.index(end, i) if end else None]


def test_evidence_is_whole_sentences_without_repeats(built):  # type: ignore[no-untyped-def]
    data, text = _export(built, "default")
    sections = {s.name: s for s in data.entity_sections()}
    hamas = sections["Hamas"]
    quotes = [c.context for c in hamas.mentions]
    # Each quote is a sentence (or two) of the article, never a window that
    # begins in the page's menus or mid-word.
    titles = {src.title for src in data.sources}
    for q in quotes:
        assert q[0].isupper(), q
        # A headline is quoted as it stands: it is the body's first line.
        assert q in titles or q.rstrip("”\"'").endswith((".", "!", "?")), q
        assert "HomeGo" not in q
        assert "Subscribe" not in q
    # The repeated headline ("Also Read: ...") is not quoted twice, and no
    # quote is repeated.
    assert len(quotes) == len({re.sub(r"\W+", " ", q.casefold()) for q in quotes})
    # "Hamas" twice in one sentence is one quote with two highlights.
    rally = next(c for c in hamas.mentions if "thanked the Hamas delegation" in c.context)
    assert rally.context.startswith("Officials said Talha Saif")
    # In the PDF: every quote, once in the section.
    section = text[text.index("Hamas Organisation") : text.index("Lashkar-e-Taiba Organisation")]
    for q in quotes:
        # A quoted headline is also printed as the title of its source.
        assert squeeze(section).count(squeeze(q)) == 1 or q in titles, q
    assert "Friday, January 9, 2026 HomeGo" not in text
    # Ordered by article (date) and position in it.
    order = [(c.date or "9999", c.article_id) for c in hamas.mentions]
    assert order == sorted(order)


def test_unreviewed_mentions_are_left_out_or_apart(built):  # type: ignore[no-untyped-def]
    data, text = _export(built, "default")
    let = next(s for s in data.entity_sections() if s.name == "Lashkar-e-Taiba")
    assert let.unreviewed_count > 0
    assert let.unreviewed == []
    # The suggested spelling from the samples is nowhere in the evidence.
    assert all("Lashkar-e-Tayyiba" not in c.context for c in let.mentions)
    assert "Lashkar-e-Tayyiba in the early 1990s" not in text
    assert f"{let.unreviewed_count} unreviewed (left out)" in text
    assert "Unreviewed mentions" not in text

    data, text = _export(built, "with-unreviewed", Options(include_unreviewed=True))
    let = next(s for s in data.entity_sections() if s.name == "Lashkar-e-Taiba")
    assert let.unreviewed
    section = text[text.index("Lashkar-e-Taiba Organisation") :]
    box = section[section.index("Unreviewed mentions") :]
    assert "nobody has confirmed" in box
    assert "Lashkar-e-Tayyiba in the early 1990s" in box
    # ...and not among the confirmed evidence before it.
    assert "Lashkar-e-Tayyiba in the early 1990s" not in section[: section.index("Unreviewed")]


def test_no_internal_ids(built):  # type: ignore[no-untyped-def]
    _, text = _export(built, "default")
    assert not re.search(r"#\s?\d", text)
    assert "entity #" not in text
    assert "article #" not in text


def test_sources_are_full_citations(built):  # type: ignore[no-untyped-def]
    data, text = _export(built, "default")
    sources = text[text.rindex("Sources") :]
    for src in data.sources:
        entry = sources[sources.index(f"[{src.citation}] {normalise(src.title)}") :]
        entry = entry[: entry.index(src.sha256) + 64]
        for value in (src.publication, src.author, src.url or src.file_name):
            if value:
                assert normalise(value) in entry, (value, entry)
        if src.date:
            assert src.date in entry
        else:
            assert "No date stated" in entry
    assert "undated" not in text
    # The pasted page's date line ("Friday, January 9, 2026") is read on
    # import as its date.
    pasted = next(s for s in data.sources if s.title.startswith("Rawalakot"))
    assert pasted.date == "2026-01-09"
    assert "2026-01-09" in sources


def test_figure_edges_are_weighted_by_sentences(built):  # type: ignore[no-untyped-def]
    data, text = _export(built, "default")
    for s in data.entity_sections():
        # Every link is a shared sentence or a recorded relation.
        assert all(c.sentences + 2 * c.relations == c.weight >= 1 for c in s.co_mentions)
        assert "HomeGo" not in {c.name for c in s.co_mentions}
    jem = next(s for s in data.entity_sections() if s.name == "Jaish-e-Mohammed")
    # Many single co-mentions and a few strong links: the single ones go.
    assert len(jem.co_mentions) >= 3
    assert min(c.weight for c in jem.co_mentions) >= 2
    hamas = next(s for s in data.entity_sections() if s.name == "Hamas")
    co = {c.name: c for c in hamas.co_mentions}
    # Two sentences of the pasted page and one of the sample page
    # 09-hamas-pakistan-rallies name Hamas beside Jaish-e-Mohammed; the pasted
    # page's headline ("... Hamas leaders on stage with Lashkar ...") is one
    # more beside Lashkar-e-Taiba.
    assert co["Jaish-e-Mohammed"].sentences == 3
    assert co["Lashkar-e-Taiba"].sentences == 3
    assert "Shared articles" not in text
    line = "Lines join entities named in the same sentence or tied by a recorded relation: "
    assert line + "Rawalakot (4 shared sentences); 3 shared sentences each: Jaish-e-Mohammed" in (
        text
    )
    # The figure labels a count only where counts differ.
    figure = text[text.index("Co-mentioned entities", text.index("Hamas Organisation")) :]
    assert "Jaish-e-Mohammed (3)" in figure


def test_excerpt_and_note_print_where_the_user_put_them(built):  # type: ignore[no-untyped-def]
    _, text = _export(built, "default")
    body = text[text.index("Hamas Organisation") :]
    let = body.index("Lashkar-e-Taiba Organisation")
    excerpt = body.index("Excerpt from “Rawalakot rally")
    note = body.index("Analyst's note Check the Zaheer identification")
    jem = body.index("Jaish-e-Mohammed Organisation")
    assert let < excerpt < note < jem
    assert "“A senior Lashkar-e-Taiba commander, identified as Zaheer”" in body
