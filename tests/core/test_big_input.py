"""Bounded work on big input (issue 13): the candidate cap is told to the
user, long texts are analysed window by window, and a very large page is read
in one streaming pass. The 49 MB measurements are a benchmark
(tests/benchmarks/test_big_input.py)."""

from __future__ import annotations

import pytest

from desktop.cli import run
from desktop.core.extract import pipeline
from desktop.core.ingest import html
from desktop.core.ingest.readers import read_bytes
from desktop.core.services import extraction
from desktop.core.services.ingest import import_paths

NAMES = ["Masood Azhar", "Hafiz Saeed", "Syed Salahuddin", "Naim Qassem", "Abdul Rauf"]


def _long_text(paragraphs: int) -> str:
    return "\n\n".join(
        f"Police in Kabul said on Monday that {NAMES[i % 5]} met officials near the border. "
        f"Residents of Quetta said the meeting lasted an hour."
        for i in range(paragraphs)
    )


def test_the_cap_is_reported_with_the_article(monkeypatch) -> None:
    monkeypatch.setattr(pipeline, "MAX_CANDIDATES", 3)
    found = pipeline.analyse(_long_text(20), [])
    assert found.capped
    assert len(found) <= 3
    assert not pipeline.analyse("Police in Kabul said Masood Azhar left.", []).capped


def test_the_cap_message_names_the_cap_and_the_articles() -> None:
    message = extraction.capped_message([7, 12])
    assert "2 articles (7, 12)" in message
    assert pipeline.MAX_CANDIDATES == 20_000
    assert "held more than 20,000 possible names" in message
    assert "only the first 20,000 of each" in message
    assert "not linked" in message
    assert extraction.capped_message([]) == ""


def test_import_tells_the_user_on_stderr_and_in_the_report(monkeypatch, capsys, db_path, tmp_path):
    monkeypatch.setattr(pipeline, "MAX_CANDIDATES", 3)
    path = tmp_path / "long.txt"
    path.write_text("A long report\n\n" + _long_text(20) + "\n", encoding="utf-8")
    code = run(["--db", str(db_path), "import", str(path)])
    out, err = capsys.readouterr()
    assert code == 0
    assert "Imported 1 article" in out
    assert "warning: 1 article (1) held more than" in err
    assert "only the first" in err


def test_the_window_summary_shows_the_note(monkeypatch, store, tmp_path) -> None:
    from desktop.core.services import pipeline as services

    monkeypatch.setattr(pipeline, "MAX_CANDIDATES", 3)
    path = tmp_path / "long.txt"
    path.write_text("A long report\n\n" + _long_text(20) + "\n", encoding="utf-8")
    outcome = services.import_and_extract(store, [path])
    assert outcome.extraction is not None
    assert outcome.extraction.capped == outcome.report.imported
    assert outcome.report.notes == [outcome.extraction.capped_message()]


def test_a_long_text_is_analysed_window_by_window_with_true_offsets(monkeypatch) -> None:
    text = _long_text(60)
    whole = pipeline.analyse(text, [])
    monkeypatch.setattr(pipeline, "WINDOW_CHARS", 1500)
    assert len(pipeline._windows(text)) > 3
    windowed = pipeline.analyse(text, [])
    assert not windowed.capped
    for f in windowed:
        assert text[f.start : f.end] == f.text
    assert {(f.start, f.end) for f in windowed} == {(f.start, f.end) for f in whole}


def test_a_window_that_reaches_the_cap_stops_the_work(monkeypatch) -> None:
    monkeypatch.setattr(pipeline, "WINDOW_CHARS", 1500)
    monkeypatch.setattr(pipeline, "MAX_CANDIDATES", 10)
    text = _long_text(200)
    found = pipeline.analyse(text, [])
    assert found.capped
    assert len(found) <= 10
    assert max(f.end for f in found) < len(text) // 10


def test_a_very_large_page_is_read_in_one_streaming_pass(monkeypatch) -> None:
    monkeypatch.setattr(html, "LARGE_PAGE_CHARS", 500)
    paragraphs = "".join(f"<p>{p}</p>\n" for p in _long_text(8).split("\n\n"))
    page = (
        '<html lang="en-GB"><head><title>Border talks</title>'
        '<meta property="article:published_time" content="2024-03-07">'
        "<script>var secret = 'do not import me';</script></head><body>"
        "<nav><a href='/'>Home</a> Subscribe now</nav><article>"
        f"{paragraphs}</article><footer>Copyright footer text</footer></body></html>"
    ).encode()
    raw = read_bytes(page, "big.html", "html")
    assert raw.extra["extractor"] == "large page"
    assert raw.title == "Border talks"
    assert str(raw.published) == "2024-03-07"
    assert raw.language == "en"
    assert "Masood Azhar met officials" in raw.body
    for hidden in ("do not import me", "Subscribe now", "Copyright footer"):
        assert hidden not in raw.body


@pytest.mark.parametrize("size", [0, 1])
def test_small_pages_still_go_through_trafilatura(size) -> None:
    page = (
        b"<html><head><title>T</title></head><body><article><p>"
        + (b"Police in Kabul said the road was open again on Monday morning. " * (5 + size))
        + b"</p></article></body></html>"
    )
    raw = read_bytes(page, "small.html", "html")
    assert raw.extra.get("extractor") != "large page"
    assert "road was open" in raw.body


def test_import_paths_of_a_long_text_keeps_every_paragraph(store, tmp_path) -> None:
    path = tmp_path / "long.txt"
    body = _long_text(300)
    path.write_text("A long report\n\n" + body + "\n", encoding="utf-8")
    report = import_paths(store, [path])
    assert report.imported
