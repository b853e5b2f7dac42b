"""Mention detection: recognisers propose typed spans, a pipeline merges them.

``extract_texts(texts, gazetteer)`` runs everything over a batch of texts (the
model batches them); ``extractor_status()`` says whether typing is degraded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from desktop.core.extract.gazetteer import Gazetteer, GazetteerEntry
from desktop.core.extract.ner import ner_status, recognise_many
from desktop.core.extract.pipeline import Found, analyse

__all__ = [
    "ExtractorStatus",
    "Found",
    "Gazetteer",
    "GazetteerEntry",
    "extract_texts",
    "extractor_status",
]


@dataclass(frozen=True)
class ExtractorStatus:
    ner_available: bool
    degraded: bool
    message: str


def extractor_status() -> ExtractorStatus:
    ok, message = ner_status()
    return ExtractorStatus(ner_available=ok, degraded=not ok, message=message)


def extract_texts(
    texts: Sequence[str],
    gazetteer: Gazetteer | None = None,
    *,
    use_ner: bool = True,
    n_process: int = 1,
) -> list[list[Found]]:
    """Mentions found in each text, in text order."""
    ner = recognise_many(texts, n_process=n_process) if use_ner else [[] for _ in texts]
    return [analyse(t, spans, gazetteer) for t, spans in zip(texts, ner, strict=True)]
