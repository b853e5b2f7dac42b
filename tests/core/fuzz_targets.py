"""What the fuzz tests feed and what they require.

Targets: the import readers (``read_bytes`` for each format, the entry point a
batch import uses), the name normaliser (desktop.core.names) and the matcher
(desktop.core.matching). Inputs: random bytes and text, and the sample
articles mutated (truncated, bits flipped, spliced, chunks deleted or
repeated), plus a few hostile shapes (deep nesting, huge headers, zips full
of junk).

Each ``check_*`` function runs one case and returns None when it passed, or a
message saying what went wrong: an exception that is not one of the
project's own errors, an error message that does not name the file, a broken
property, or a case that used more CPU time than :func:`case_limit` allows
(5 s, plus a linear allowance for inputs above 100 KB: reading a 2 MB text is
legitimately slower than a 2 KB one; a hang or super-linear blow-up is not).
An alarm stops a case at three times its limit, so a hang cannot stall the run.

Used with hypothesis in tests/core/test_fuzz.py (a few hundred cases) and by
a seeded loop in tests/benchmarks/test_fuzz.py (more than 10,000 cases).
"""

from __future__ import annotations

import contextlib
import io
import random
import signal
import time
import traceback
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

from desktop.core import matching, names
from desktop.core.errors import DossierDeskError
from desktop.core.ingest import RawArticle
from desktop.core.ingest.readers import read_bytes, read_pasted
from desktop.resources import samples_dir

CASE_SECONDS = 5.0
# CPU seconds allowed per MB of input above the first 100 KB.
SECONDS_PER_MB = 15.0


def case_limit(size: int = 0) -> float:
    """CPU seconds one case of ``size`` bytes (or characters) may take."""
    return CASE_SECONDS + SECONDS_PER_MB * max(0, size - 100_000) / 1_000_000


FORMATS = ("txt", "md", "html", "pdf", "docx", "eml")


class Hang(Exception):
    """A case ran longer than CASE_SECONDS."""


@contextlib.contextmanager
def time_limit(seconds: float = CASE_SECONDS) -> Iterator[None]:
    """Raise :class:`Hang` in this (main) thread after ``seconds``."""

    def alarm(_sig: int, _frame: object) -> None:
        raise Hang(f"still running after {seconds:.0f} s")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _samples() -> dict[str, list[bytes]]:
    by_fmt: dict[str, list[bytes]] = {f: [] for f in FORMATS}
    for path in sorted(samples_dir().iterdir()):
        fmt = {".txt": "txt", ".md": "md", ".html": "html", ".pdf": "pdf"}.get(path.suffix)
        fmt = fmt or {".docx": "docx", ".eml": "eml"}.get(path.suffix)
        if fmt:
            by_fmt[fmt].append(path.read_bytes())
    return by_fmt


SAMPLES = _samples()


# ------------------------------------------------------------------ mutation

MUTATIONS = ("truncate", "flip", "splice", "delete", "repeat", "insert", "none")


def mutate(data: bytes, rnd: random.Random, rounds: int = 1) -> bytes:
    """``data`` damaged the ways downloads, disks and attackers damage files."""
    buf = bytearray(data)
    for _ in range(rounds):
        kind = rnd.choice(MUTATIONS)
        n = len(buf)
        if n == 0 or kind == "none":
            continue
        i = rnd.randrange(n)
        j = min(n, i + rnd.randint(1, max(1, n // 8)))
        if kind == "truncate":
            del buf[i:]
        elif kind == "flip":
            for _ in range(rnd.randint(1, 16)):
                k = rnd.randrange(len(buf))
                buf[k] ^= 1 << rnd.randrange(8)
        elif kind == "splice":
            # A piece of the file copied over another place of it.
            k = rnd.randrange(n)
            buf[k : k + (j - i)] = buf[i:j]
        elif kind == "delete":
            del buf[i:j]
        elif kind == "repeat":
            buf[i:i] = bytes(buf[i:j]) * rnd.randint(2, 50)
        elif kind == "insert":
            buf[i:i] = rnd.randbytes(rnd.randint(1, 64))
    return bytes(buf)


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return out.getvalue()


def mutate_docx_parts(data: bytes, rnd: random.Random) -> bytes:
    """Damage inside the zip (document.xml, content types), not just its bytes:
    what a broken Word or a crafted file holds while the zip itself is valid."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {info.filename: z.read(info.filename) for info in z.infolist()}
    target = rnd.choice(sorted(parts))
    parts[target] = mutate(parts[target], rnd, rounds=rnd.randint(1, 3))
    if rnd.random() < 0.2:
        del parts[rnd.choice(sorted(parts))]
    return _zip(parts)


def hostile(fmt: str, rnd: random.Random) -> bytes:
    """A crafted input of ``fmt``: deep nesting, huge headers, junk zips."""
    depth = rnd.choice([100, 1000, 10_000, 50_000])
    if fmt == "html":
        tag = rnd.choice(["div", "span", "table", "b", "p"])
        return (f"<html><body>{f'<{tag}>' * depth}Jaish-e-Mohammed{f'</{tag}>' * depth}").encode()
    if fmt == "eml":
        header = rnd.choice(["Subject", "From", "To", "Content-Type", "X-Junk"])
        value = "a" * rnd.choice([1000, 100_000, 1_000_000])
        nested = "".join(
            f'Content-Type: multipart/mixed; boundary="b{i}"\n\n--b{i}\n'
            for i in range(rnd.choice([1, 50, 500]))
        )
        return f"{header}: {value}\nFrom: a@b.c\n{nested}\nbody text here\n".encode()
    if fmt == "docx":
        return _zip(
            {
                "[Content_Types].xml": rnd.randbytes(rnd.randint(0, 200)),
                "word/document.xml": b"<w:document>" + b"<w:p>" * depth,
                "_rels/.rels": rnd.randbytes(rnd.randint(0, 200)),
            }
        )
    if fmt == "pdf":
        body = b"[" * depth + b"]" * depth
        return b"%PDF-1.4\n1 0 obj\n" + body + b"\nendobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    text = "Jaish-e-Mohammed " * rnd.choice([1, 1000, 100_000])
    return rnd.choice([text, "\u0000" * depth, "\u202e" * depth + text]).encode("utf-8")


def reader_input(fmt: str, rnd: random.Random) -> bytes:
    """One input for the ``fmt`` reader: mostly mutated samples, some random
    bytes, some hostile shapes."""
    roll = rnd.random()
    if roll < 0.12:
        return rnd.randbytes(rnd.randint(0, 2048))
    if roll < 0.2:
        return hostile(fmt, rnd)
    sample = rnd.choice(SAMPLES[fmt])
    if fmt == "docx" and roll < 0.5:
        return mutate_docx_parts(sample, rnd)
    return mutate(sample, rnd, rounds=rnd.randint(1, 4))


def paste_input(rnd: random.Random) -> str:
    """Pasted text: a sample article damaged, names, or junk characters."""
    roll = rnd.random()
    if roll < 0.5:
        data = mutate(rnd.choice(SAMPLES["txt"] + SAMPLES["md"]), rnd, rounds=rnd.randint(1, 4))
        return data.decode("utf-8", "replace")
    if roll < 0.8:
        return "\n".join(random_text(rnd, 200) for _ in range(rnd.randint(0, 20)))
    return hostile("txt", rnd).decode("utf-8")


# -------------------------------------------------------------------- checks


def _failure(what: str, exc: BaseException) -> str:
    tb = traceback.extract_tb(exc.__traceback__)
    where = f"{tb[-1].filename}:{tb[-1].lineno}" if tb else "?"
    return f"{what}: {type(exc).__name__}: {str(exc)[:200]} (at {where})"


def _timed(
    what: str, fn: Callable[[], object], seconds: float = CASE_SECONDS
) -> tuple[object, str | None]:
    """(result or the exception raised, None) or (None, a problem: too slow).

    The limit is on CPU time, so that other work on a busy machine does not
    fail a case; the wall-clock alarm at three times the limit catches hangs
    that wait rather than compute."""
    start = time.process_time()
    try:
        with time_limit(3 * seconds):
            result = fn()
    except Hang as exc:
        return None, f"{what}: hang ({exc})"
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        return exc, None
    elapsed = time.process_time() - start
    if elapsed > seconds:
        return None, f"{what}: took {elapsed:.1f} s of CPU (limit {seconds:.1f} s)"
    return result, None


def outcome_kind(result: object) -> str:
    """How a reader ended: ``article``, ``error`` (one of our messages), or
    ``wrapped:<type>`` (a parser's own exception caught by the safety net in
    ``read_bytes``: named and clear enough, but worth a message of our own
    when it is common)."""
    if isinstance(result, RawArticle):
        return "article"
    if isinstance(result, DossierDeskError):
        cause = result.__cause__
        # The wording of the catch-all in desktop.core.ingest.readers.read_bytes.
        if cause is not None and "cannot read this" in str(result):
            return f"wrapped:{type(cause).__name__}"
        return "error"
    return "crash"


def check_reader(fmt: str, data: bytes, kinds: Counter[str] | None = None) -> str | None:
    """The reader returns an article or raises our error naming the file."""
    name = f"fuzz-case.{fmt}"
    what = f"read {fmt} ({len(data)} bytes)"
    result, problem = _timed(what, lambda: read_bytes(data, name, fmt), case_limit(len(data)))
    return _judge_article(what, name, data, result, problem, kinds)


def check_paste(text: str, kinds: Counter[str] | None = None) -> str | None:
    """Pasted text: an article, or our error naming the source."""
    name = "fuzz-case.paste"
    what = f"paste ({len(text)} characters)"
    result, problem = _timed(what, lambda: read_pasted(text, source=name), case_limit(len(text)))
    original = text.encode("utf-8", "surrogatepass")
    return _judge_article(what, name, original, result, problem, kinds)


def _judge_article(
    what: str,
    name: str,
    data: bytes,
    result: object,
    problem: str | None,
    kinds: Counter[str] | None,
) -> str | None:
    if problem:
        return problem
    if kinds is not None:
        kinds[outcome_kind(result)] += 1
    if isinstance(result, DossierDeskError):
        if name not in str(result):
            return f"{what}: error message does not name the file: {result}"
        return None
    if isinstance(result, BaseException):
        return _failure(what, result)
    if not isinstance(result, RawArticle):
        return f"{what}: returned {type(result).__name__}"
    if not result.body.strip():
        return f"{what}: returned an article with an empty body"
    if result.original != data:
        return f"{what}: the stored original is not the input"
    return None


NAME_FUNCS: dict[str, Callable[[str], object]] = {
    "alias_key": names.alias_key,
    "normalise": names.normalise,
    "tokens": names.tokens,
    "parse_name": names.parse_name,
    "content_tokens": names.content_tokens,
    "skeleton_tokens": names.skeleton_tokens,
    "variant_key": names.variant_key,
    "sorted_variant_key": names.sorted_variant_key,
    "match_form": names.match_form,
    "looks_like_acronym": names.looks_like_acronym,
    "acronym_key": names.acronym_key,
    "acronym_keys": names.acronym_keys,
    "split_parenthesised_acronym": names.split_parenthesised_acronym,
    "ascii_fold": names.ascii_fold,
}


def check_names(text: str, other: str) -> str | None:
    """Every public name function accepts any text; normalising is idempotent
    and gives lower-case ASCII words."""
    for label, fn in NAME_FUNCS.items():
        result, problem = _timed(f"{label}({text[:40]!r})", lambda fn=fn: fn(text))  # type: ignore[misc]
        if problem:
            return problem
        if isinstance(result, BaseException):
            return _failure(f"{label}({text[:60]!r})", result)
    for label, fn2 in (
        ("acronym_of", names.acronym_of),
        ("acronym_matches", names.acronym_matches),
    ):
        result, problem = _timed(label, lambda fn2=fn2: fn2(text, other))  # type: ignore[misc]
        if problem:
            return problem
        if isinstance(result, BaseException):
            return _failure(f"{label}({text[:40]!r}, {other[:40]!r})", result)
    norm = names.normalise(text)
    if names.normalise(norm) != norm:
        return f"normalise is not idempotent on {text[:60]!r}: {norm!r}"
    if not norm.isascii() or norm != norm.lower() or "  " in norm or norm != norm.strip():
        return f"normalise({text[:60]!r}) = {norm!r} is not lower-case ASCII words"
    key = names.alias_key(text)
    if names.alias_key(key) != key:
        return f"alias_key is not idempotent on {text[:60]!r}: {key!r}"
    return None


TYPES = ("PER", "ORG", "LOC", "MISC")


def check_matcher(name_lists: list[list[str]], types: list[str], query: str) -> str | None:
    """Scoring, suggestion and candidate lookup accept any names; scores stay
    in 0-100; settled pairs are never suggested; a record's own name finds it."""
    records = [
        matching.EntityRecord(
            id=i + 1,
            name=ns[0],
            type=types[i % len(types)],
            names=tuple(ns),
            weak=frozenset(n for n in ns[1:] if names.looks_like_acronym(n)),
        )
        for i, ns in enumerate(name_lists)
        if ns
    ]
    if not records:
        return None
    settled = {(1, 2)}

    def run() -> tuple[list[matching.Suggestion], list[matching.Candidate]]:
        for a in records[:4]:
            for b in records[:4]:
                s = matching.score_names(matching.NameInfo.of(a.name), matching.NameInfo.of(b.name))
                if not 0 <= s.score <= 100:
                    raise AssertionError(f"score {s.score} for {a.name!r} / {b.name!r}")
        pairs = matching.suggest_pairs(records, settled, min_score=0, limit=None)
        index = matching.CandidateIndex(records)
        return pairs, matching.candidates_for_name(index, query, types[0])

    what = f"matcher on {[r.names for r in records][:3]!r}"
    result, problem = _timed(what, run)
    if problem:
        return problem
    if isinstance(result, BaseException):
        return _failure(what, result)
    pairs, cands = result  # type: ignore[misc]
    for p in pairs:
        if not 0 <= p.score <= 100:
            return f"{what}: suggestion score {p.score}"
        if (min(p.a, p.b), max(p.a, p.b)) in settled:
            return f"{what}: suggested the settled pair {p.a}/{p.b}"
    for c in cands:
        if not 0 <= c.score <= 100:
            return f"{what}: candidate score {c.score}"
    return None


def random_text(rnd: random.Random, max_len: int = 60) -> str:
    """Names and near-names: real ones mutated, mixed scripts, junk."""
    base = rnd.choice(
        [
            "Jaish-e-Mohammed",
            "JeM",
            "Masood Azhar",
            "Maulana Masood Azhar",
            "Hafiz Muhammad Saeed",
            "Lashkar-e-Taiba (LeT)",
            "محمد مسعود اظہر",
            "Абу Бакр аль-Багдади",
            "Tehreek-e-Taliban Pakistan",
            "al-Qaeda in the Arabian Peninsula",
            "",
        ]
    )
    roll = rnd.random()
    if roll < 0.3:
        return base
    if roll < 0.6:
        chars = [chr(rnd.choice([rnd.randrange(32, 127), rnd.randrange(0x80, 0x3000)]))]
        chars += [chr(rnd.randrange(0, 0x110000)) for _ in range(rnd.randint(0, 3))]
        chars = [c for c in chars if not 0xD800 <= ord(c) <= 0xDFFF]
        k = rnd.randint(0, len(base))
        return base[:k] + "".join(chars) + base[k:]
    if roll < 0.8:
        pool = " -'()().,&/\u0300\u0301\u200b\u00a0ǅﬁ①Ⅳİıßẞ" + "aeiouJMKLTHS"
        return "".join(rnd.choice(pool) for _ in range(rnd.randint(0, max_len)))
    return "".join(
        chr(c)
        for c in (rnd.randrange(0, 0x30000) for _ in range(rnd.randint(0, max_len)))
        if not 0xD800 <= c <= 0xDFFF
    )


def sample_path(fmt: str) -> Path:
    return next(p for p in sorted(samples_dir().iterdir()) if p.suffix.lstrip(".") == fmt)
