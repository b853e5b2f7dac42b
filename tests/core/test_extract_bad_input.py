"""Hostile articles: no crash and bounded work."""

from __future__ import annotations

import random
import time

import pytest

from desktop.core.extract import extract_texts
from desktop.core.extract.ner import MAX_NER_CHARS, chunks

# Generous bounds for a shared 2-core machine; typical times are far lower.
LIMIT_S = 60


def _timed(text: str):  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    out = extract_texts([text])[0]
    return out, time.perf_counter() - t0


@pytest.mark.slow
def test_one_megabyte_article() -> None:
    para = (
        "Police in Quetta said Naji Zaheer of Lashkar-e-Taiba (LeT) had met officials. "
        "Zaheer denied it, and LeT said nothing.\n\n"
    )
    text = (para * (1_000_000 // len(para) + 1))[:1_000_000]
    out, took = _timed(text)
    assert took < LIMIT_S
    assert out
    # The model only reads the first MAX_NER_CHARS; the rules cover the rest.
    assert any(f.start > MAX_NER_CHARS for f in out)


def test_no_sentence_breaks() -> None:
    words = ["the", "men", "met", "Naji", "Zaheer", "in", "Quetta", "and", "then", "left"]
    text = " ".join(words[i % len(words)] for i in range(25_000))
    pieces = list(chunks(text))
    assert all(len(p) <= 20_000 for _, p in pieces)
    assert "".join(p for _, p in pieces) == text[:MAX_NER_CHARS]
    out, took = _timed(text)
    assert took < LIMIT_S
    assert any(f.text == "Naji Zaheer" for f in out)


def test_urdu_script_only() -> None:
    text = "مولانا مسعود اظہر نے بہاولپور میں خطاب کیا۔ " * 500
    out, took = _timed(text)
    assert took < LIMIT_S
    assert isinstance(out, list)


def test_five_thousand_capitalised_words() -> None:
    rng = random.Random(4)
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = [
        "".join(rng.choice(letters) for _ in range(rng.randint(3, 9))).title() for _ in range(5000)
    ]
    text = " ".join(words)
    out, took = _timed(text)
    assert took < LIMIT_S
    # A run of capitalised words is not one giant name.
    assert all(len(f.text.split()) <= 8 for f in out)


def test_empty_and_whitespace() -> None:
    assert extract_texts(["", "   \n\n  ", "((((", "a (BC) d"]) is not None
