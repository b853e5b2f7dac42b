"""Running work off the GUI thread (after Picard's ``util/thread.py``).

``TaskRunner.run(fn, on_done, on_error)`` runs ``fn()`` on a QThreadPool and
delivers its result (or exception) to the callbacks *on the GUI thread*, via a
queued signal. ``fn`` must not touch widgets; it opens its own sessions through
the services. Tests use ``TaskRunner(synchronous=True)``, which runs everything
inline so results are there when ``run`` returns.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import threading
import traceback
from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


class ProgressRelay(QObject):
    """Carries ``progress(done, total, message)`` calls from a worker to the GUI
    thread: connect ``advanced``, hand ``report`` to the service."""

    advanced = Signal(int, int, str)

    def report(self, done: int, total: int, message: str) -> None:
        self.advanced.emit(done, total, message)


class _Relay(QObject):
    # Lives on the GUI thread; emitting from a worker queues the call there.
    done = Signal(object, object)  # (callback, value)


class _Job(QRunnable):
    def __init__(
        self,
        fn: Callable[[], Any],
        relay: _Relay,
        on_done: Callable[[Any], None] | None,
        on_error: Callable[[BaseException], None] | None,
    ) -> None:
        super().__init__()
        self.fn, self.relay, self.on_done, self.on_error = fn, relay, on_done, on_error

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:  # delivered to the GUI, never lost in the pool
            exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            self.relay.done.emit(self.on_error, exc)
        else:
            self.relay.done.emit(self.on_done, result)


class TaskRunner(QObject):
    def __init__(self, parent: QObject | None = None, *, synchronous: bool = False) -> None:
        super().__init__(parent)
        self.synchronous = synchronous
        self.pool = QThreadPool(self)
        # SQLite takes one writer at a time; two workers are enough for reading
        # while one writes, and keep the second core free for the GUI.
        self.pool.setMaxThreadCount(2)
        self._relay = _Relay(self)
        self._relay.done.connect(self._deliver)

    @Slot(object, object)
    def _deliver(self, callback: Callable[[Any], None] | None, value: Any) -> None:
        if callback is not None:
            callback(value)
        elif isinstance(value, BaseException):
            raise value

    def run(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        if self.synchronous:
            try:
                result = fn()
            except BaseException as exc:
                if on_error is None:
                    raise
                on_error(exc)
            else:
                if on_done is not None:
                    on_done(result)
            return
        self.pool.start(_Job(fn, self._relay, on_done, on_error))

    def wait(self, msecs: int = -1) -> bool:
        """Block until every queued task has finished (shutdown and tests)."""
        return self.pool.waitForDone(msecs)


def _child(
    fn: Callable[..., Any], args: tuple[Any, ...], conn: Any, cancel: Any, report: bool
) -> None:
    def progress(done: int, total: int, message: str) -> None:
        conn.send(("progress", (done, total, message)))

    kwargs = {"progress": progress, "should_cancel": cancel.is_set} if report else {}
    try:
        result = fn(*args, **kwargs)
    except BaseException as exc:
        try:
            conn.send(("error", exc))
        except Exception:  # an exception that does not pickle: its text then
            conn.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
    else:
        conn.send(("done", result))
    finally:
        conn.close()


def run_in_process(
    fn: Callable[..., Any],
    *args: Any,
    progress: Callable[[int, int, str], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> Any:
    """``fn(*args)`` in a new process; returns its result or raises its error.

    For CPU-heavy Python work (an import: parsing, extraction, linking against
    the whole library) started from a task: in a thread of the window's process
    it holds the GIL, and every Python call the GUI thread makes (each row a
    view paints asks the model) waits for it, so the window froze for seconds.
    ``fn`` and ``args`` must pickle (``fn`` at module level). With ``progress``
    or ``should_cancel`` given, ``fn`` gets both as keywords: progress calls
    come back here, a cancel is passed on. Blocks the calling thread, so call
    it from a task, never from the GUI thread.
    """
    ctx = multiprocessing.get_context("spawn")
    here, there = ctx.Pipe(duplex=False)
    cancel = ctx.Event()
    report = progress is not None or should_cancel is not None
    # Not a daemon: the extraction inside may start worker processes of its own.
    proc = ctx.Process(target=_child, args=(fn, args, there, cancel, report), name="dossier-task")
    proc.start()
    there.close()
    try:
        while True:
            if should_cancel is not None and should_cancel():
                cancel.set()
            if not here.poll(0.1):
                if not proc.is_alive() and not here.poll(0):
                    raise RuntimeError(f"the worker process ended (exit code {proc.exitcode})")
                continue
            try:
                kind, value = here.recv()
            except EOFError:
                proc.join(5)
                raise RuntimeError(
                    f"the worker process ended (exit code {proc.exitcode})"
                ) from None
            if kind == "progress":
                if progress is not None:
                    progress(*value)
            elif kind == "error":
                raise value
            else:
                return value
    finally:
        if proc.is_alive():
            cancel.set()  # left early (an error here): the child stops at its next check
        here.close()
        proc.join()


_gc_lock = threading.Lock()
_gc_pauses = 0


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a worker builds a large structure
    (the 100,000 entities of the library): every few thousand allocations the
    collector would walk all of them holding the GIL, and the GUI thread waits
    (70-200 ms stalls). Reference counting still frees everything meanwhile.
    When the last pause ends, what was made meanwhile is frozen (see
    :func:`keep_out_of_gc`) before the collector resumes: otherwise its first
    pass would walk all of it at once."""
    global _gc_pauses
    with _gc_lock:
        _gc_pauses += 1
        gc.disable()
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0:
                gc.freeze()
                gc.enable()


def keep_out_of_gc() -> None:
    """Move everything alive now out of the collector's sight: what the
    window keeps (modules, widgets, the library's rows and entities) is then
    not walked by every full collection. Objects are still freed by reference
    counting when dropped; call it on the GUI thread after a large load."""
    gc.freeze()
