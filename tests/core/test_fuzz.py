"""Fuzzing the readers, the name normaliser and the matcher (a few hundred
cases; the benchmark tests/benchmarks/test_fuzz.py runs more than 10,000).

No input may crash them: a reader returns an article or raises our own error
naming the file, the name functions and the matcher accept any text, and no
case takes longer than fuzz_targets.case_limit(). See tests/core/fuzz_targets.py.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.core.ingest import IngestError
from desktop.core.ingest.readers import read_bytes
from tests.core import fuzz_targets as fz

# Our own timer bounds each case; hypothesis's deadline would flag the first
# PDF parse (imports) as slow.
FUZZ = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@settings(FUZZ, max_examples=150)
@given(fmt=st.sampled_from(fz.FORMATS), rnd=st.randoms(use_true_random=False))
def test_readers_survive_damaged_and_hostile_files(fmt: str, rnd: random.Random) -> None:
    data = fz.reader_input(fmt, rnd)
    assert fz.check_reader(fmt, data) is None


@settings(FUZZ, max_examples=100)
@given(fmt=st.sampled_from(fz.FORMATS), data=st.binary(max_size=2048))
def test_readers_survive_random_bytes(fmt: str, data: bytes) -> None:
    assert fz.check_reader(fmt, data) is None


@settings(FUZZ, max_examples=200)
@given(text=st.text(max_size=80), other=st.text(max_size=40))
def test_name_functions_accept_any_text(text: str, other: str) -> None:
    assert fz.check_names(text, other) is None


@settings(FUZZ, max_examples=60)
@given(
    name_lists=st.lists(
        st.lists(st.text(max_size=30), min_size=1, max_size=3), min_size=1, max_size=8
    ),
    types=st.lists(st.sampled_from(fz.TYPES), min_size=1, max_size=4),
    query=st.text(max_size=30),
)
def test_matcher_accepts_any_names(
    name_lists: list[list[str]], types: list[str], query: str
) -> None:
    assert fz.check_matcher(name_lists, types, query) is None


@settings(FUZZ, max_examples=60)
@given(rnd=st.randoms(use_true_random=False))
def test_matcher_on_near_names(rnd: random.Random) -> None:
    lists = [[fz.random_text(rnd) for _ in range(rnd.randint(1, 3))] for _ in range(8)]
    assert fz.check_matcher(lists, list(fz.TYPES), fz.random_text(rnd)) is None


def test_the_checks_catch_what_they_should() -> None:
    """The harness itself: a hang, a foreign exception and an error that does
    not name the file are each reported."""

    def spin() -> None:
        while True:
            pass

    assert "hang" in str(fz._timed("spin", spin, seconds=0.1)[1])
    assert isinstance(fz._timed("x", lambda: 1 / 0)[0], ZeroDivisionError)
    assert fz.check_reader("pdf", b"%PDF-1.4 junk") is None
    with pytest.raises(IngestError, match=r"fuzz-case\.pdf"):
        read_bytes(b"%PDF-1.4 junk", "fuzz-case.pdf", "pdf")


@pytest.mark.parametrize("fmt", fz.FORMATS)
def test_hostile_shapes_of_each_format(fmt: str) -> None:
    rnd = random.Random(fmt)
    for _ in range(3):
        assert fz.check_reader(fmt, fz.hostile(fmt, rnd)) is None


@settings(FUZZ, max_examples=60)
@given(text=st.text(max_size=500))
def test_paste_accepts_any_text(text: str) -> None:
    assert fz.check_paste(text) is None
