"""Mention detection: recognisers propose typed spans, a pipeline merges them.

``extract_texts(texts, gazetteer)`` runs everything over a batch of texts (the
model batches them); ``extractor_status()`` says whether typing is degraded.
"""

from __future__ import annotations

import importlib.util
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from desktop.core.extract import ner
from desktop.core.extract.gazetteer import Gazetteer, GazetteerEntry
from desktop.core.extract.ner import is_fitted, ner_status, recognise_many
from desktop.core.extract.pipeline import Found, analyse

__all__ = [
    "ExtractorPool",
    "ExtractorStatus",
    "Found",
    "Gazetteer",
    "GazetteerEntry",
    "extract_texts",
    "extractor_installed",
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


def extractor_installed() -> ExtractorStatus:
    """What :func:`extractor_status` says, without loading the model when it
    is not loaded yet: whether spaCy and the model package are installed.

    Loading the model costs a second of CPU and a hundred megabytes, and the
    window only needs to know whether to warn; an installed model that then
    fails to load is logged (and reported as degraded) by the extraction."""
    if ner._nlp is not None or ner._error is not None:
        return extractor_status()
    missing = [name for name in ("spacy", ner.MODEL) if importlib.util.find_spec(name) is None]
    if missing:
        return ExtractorStatus(
            ner_available=False,
            degraded=True,
            message=f"entity typing degraded: {', '.join(missing)} not installed",
        )
    return ExtractorStatus(
        ner_available=True, degraded=False, message=f"spaCy model {ner.MODEL} installed"
    )


def extract_texts(
    texts: Sequence[str],
    gazetteer: Gazetteer | None = None,
    *,
    use_ner: bool = True,
    n_process: int = 1,
) -> list[list[Found]]:
    """Mentions found in each text, in text order."""
    ner = recognise_many(texts, n_process=n_process) if use_ner else [[] for _ in texts]
    backed = use_ner and is_fitted()
    return [
        analyse(t, spans, gazetteer, backed_only=backed)
        for t, spans in zip(texts, ner, strict=True)
    ]


_worker_gazetteer: Gazetteer | None = None
_QUIET_TRACKER = "ignore::UserWarning:multiprocessing.resource_tracker"


class _QuietOnceOrphaned:
    """The worker's stderr: silent once the parent is gone. When the parent
    is killed, a worker finishing an article gets a broken pipe sending it
    back, and multiprocessing prints that traceback on the terminal the user
    is typing in; there is nobody left to report to."""

    def __init__(self, stream: Any, parent: int) -> None:
        self._stream, self._parent = stream, parent

    def write(self, text: str) -> int:
        if os.getppid() != self._parent:
            return len(text)
        return int(self._stream.write(text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _exit_when_orphaned(parent: int) -> None:
    # A worker waiting for work never learns that its parent died (it holds
    # both ends of the task pipe): it would wait forever.
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


def _init_worker(entries: list[GazetteerEntry]) -> None:
    global _worker_gazetteer
    parent = os.getppid()
    sys.stderr = _QuietOnceOrphaned(sys.stderr, parent)
    # Ctrl-C reaches the whole process group; the parent handles it (and ends
    # the pool), so workers print no KeyboardInterrupt tracebacks of their own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_when_orphaned, args=(parent,), daemon=True).start()
    _worker_gazetteer = Gazetteer(entries)
    from desktop.core.extract.ner import load

    load()


def _work(text: str) -> list[Found]:
    return extract_texts([text], _worker_gazetteer)[0]


class ExtractorPool:
    """Worker processes that each load the model once and run the whole
    extraction (model and rules) on one article at a time.

    ``processes <= 1`` runs in this process. Workers are started with "spawn",
    which is safe from a threaded (GUI) program; they cost a model load each,
    once per pool, so use one pool for a whole run.
    """

    def __init__(self, entries: list[GazetteerEntry], processes: int = 1) -> None:
        self.processes = processes
        self._gazetteer = Gazetteer(entries)
        self._pool: Any = None
        if processes > 1:
            # multiprocessing's resource tracker warns about "leaked semaphore
            # objects" when it cleans up after a killed parent: that cleanup is
            # what it is for, so it does it without the warning.
            if _QUIET_TRACKER not in sys.warnoptions:
                sys.warnoptions.append(_QUIET_TRACKER)
            ctx = multiprocessing.get_context("spawn")
            self._pool = ctx.Pool(processes, initializer=_init_worker, initargs=(entries,))

    def extract(self, texts: Sequence[str]) -> list[list[Found]]:
        return self.submit(texts)()

    def submit(self, texts: Sequence[str]) -> Callable[[], list[list[Found]]]:
        """Start extracting ``texts``; the returned function waits for the result.
        With workers, the caller can link one batch while the next is extracted."""
        if self._pool is None:
            return lambda: extract_texts(texts, self._gazetteer)
        pending = self._pool.map_async(_work, list(texts), chunksize=4)
        return lambda: pending.get()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None

    def __enter__(self) -> ExtractorPool:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is not None and self._pool is not None:
            self._pool.terminate()
        self.close()
