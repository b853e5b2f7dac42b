"""The window on a large library (10,000 articles, 100,000 entities) as a
user waits for it.

    pytest -m benchmark tests/benchmarks/test_window.py -s

Each run starts the app the way a user does (``desktop.app.main`` with
``--db``, so the stylesheet, logging, settings, the start-up backup and the
wiring are all in) in a fresh process on a real X display: an Xvfb server the
benchmark starts (the test is skipped, saying so, when Xvfb is not installed:
``apt-get install -y xvfb``). Every figure is wall time:

- start: from just before the process is launched until the library's table
  has painted its rows (an event filter on its viewport; the child prints the
  clock after the paint);
- open: ``open_article`` of the article with 500 mentions until the article
  body has repainted (the first open in the process separately);
- filter: a key pressed in the entity sidebar's filter (QTest key events) with
  the whole library (100,000 entities) listed, until the tree has repainted;
- stalls: a 5 ms precise timer on the GUI thread records the gaps between its
  turns (what a keystroke would wait) over the first 10 s after the launch,
  during the switch of the sidebar to "Whole library" and during a background
  import of 50 articles (from the File menu's action until the views have
  reloaded);
- the same figures less the time the GUI thread waited for a CPU (the
  kernel's schedstat): on a shared machine that wait is other work's, and
  the difference is roughly what an idle machine shows;
- memory: resident set of the window's process at the first paint, after
  10 s and at the end, and the peak of its process tree during the import
  (the import runs in a worker process of the window, whose extraction loads
  the language model: the model's memory is in that figure, not in the
  window's own).

``WINDOW_BENCH_RUNS`` runs (default 5, each a new process on a new copy of the
library) give min / median / max. The machine's load average is recorded at
the start and the end: on a shared machine a high load inflates every wall
time, so the targets (issue 20, medians: start < 1.5 s, open < 50 ms, first
open < 100 ms, filter < 30 ms per keystroke and max < 60 ms, no stall over
100 ms) are recorded as met or not in the results file, not asserted. The
X display needs Qt's xcb libraries (README, "A real Qt window").
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.store import open_store

ARTICLES = 10_000
ENTITIES = 100_000
MENTIONS_PER_ARTICLE = 20
BIG_ARTICLE_MENTIONS = 500
RESULTS = Path(__file__).with_name("results") / "window.json"
RUNS = int(os.environ.get("WINDOW_BENCH_RUNS", "5"))
IMPORT_ARTICLES = 50

FILLER = (
    "officials said the inquiry into the attack was continuing while police questioned "
    "several people about the funding of the group and its links across the border "
    "a court heard evidence on monday that money moved through charities and banks "
    "the ministry declined to comment on the report which cited intelligence sources"
)
WORDS = FILLER.split()
SYLLABLES = ("ka", "ra", "mo", "ha", "li", "za", "sha", "bad", "dur", "ni", "qa", "mir", "tan")
TYPES = ("PER", "ORG", "LOC")
NOW = "2026-01-01 00:00:00.000000"


def _name(rng: random.Random) -> str:
    def word() -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()

    return " ".join(word() for _ in range(rng.randint(1, 3)))


def _body(rng: random.Random, names: list[tuple[int, str, str]]) -> tuple[str, list[tuple]]:
    """Filler text with the given entity names placed in it; returns the body
    and the mention spans (start, end, text, type, entity id)."""
    parts: list[str] = []
    spans = []
    pos = 0
    for eid, name, etype in names:
        filler = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 14))) + " "
        parts.append(filler)
        pos += len(filler)
        parts.append(name)
        spans.append((pos, pos + len(name), name, etype, eid))
        pos += len(name)
        # Paragraphs of ten names or so, as in a real article.
        sep = ".\n" if len(spans) % 10 == 0 else (". " if rng.random() < 0.3 else " ")
        parts.append(sep)
        pos += len(sep)
    tail = " ".join(rng.choice(WORDS) for _ in range(30)) + "."
    parts.append(tail)
    return "".join(parts), spans


def build_library(path: Path) -> dict[str, int]:
    open_store(path).close()  # schema, FTS table and triggers from the migrations
    rng = random.Random(20261125)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    entities = [(i, _name(rng), TYPES[i % 3]) for i in range(1, ENTITIES + 1)]
    with conn:
        conn.executemany(
            "INSERT INTO entity (id, name, type, description, notes, merged_into_id, "
            "properties, created_at, updated_at) VALUES (?, ?, ?, '', '', NULL, '{}', ?, ?)",
            ((i, n, t, NOW, NOW) for i, n, t in entities),
        )
        conn.executemany(
            "INSERT INTO alias (entity_id, name, key, kind, origin, confirmed, created_at) "
            "VALUES (?, ?, ?, ?, 'import', 1, ?)",
            (
                (i, alias, alias.casefold(), kind, NOW)
                for i, n, _t in entities
                for alias, kind in ((n, "name"), (n.split()[-1] + " " + str(i), "alias"))
            ),
        )
        # A Zipf-like choice: a few entities are everywhere, most are rare.
        weights = [1.0 / (k**0.8) for k in range(1, ENTITIES + 1)]
        big_id = ARTICLES // 2
        mention_rows = []
        article_rows = []
        for aid in range(1, ARTICLES + 1):
            n = BIG_ARTICLE_MENTIONS if aid == big_id else MENTIONS_PER_ARTICLE
            chosen = rng.choices(entities, weights=weights, k=n)
            body, spans = _body(rng, chosen)
            published = f"{2015 + aid % 10}-{1 + aid % 12:02d}-{1 + aid % 28:02d}"
            article_rows.append(
                (
                    aid,
                    f"Report {aid}: " + " ".join(rng.choice(WORDS) for _ in range(6)),
                    rng.choice(("Daily Ledger", "The Courier", "Frontier Post", "Wire")),
                    published,
                    body,
                    f"{aid:064x}",
                    NOW,
                )
            )
            for start, end, text, etype, eid in spans:
                status = "suggested" if rng.random() < 0.25 else "confirmed"
                mention_rows.append((aid, start, end, text, etype, eid, status, NOW))
        conn.executemany(
            "INSERT INTO article (id, title, publication, author, published, url, source_path, "
            "format, language, body, original, original_size, sha256, imported_at, extra) "
            "VALUES (?, ?, ?, '', ?, '', '', 'txt', '', ?, x'', 0, ?, ?, '{}')",
            article_rows,
        )
        conn.executemany(
            'INSERT INTO mention (article_id, start, "end", text, type, entity_id, method, '
            "confidence, status, title, reason, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, 'gazetteer', 1.0, ?, '', '', ?)",
            mention_rows,
        )
    conn.execute("ANALYZE")
    conn.close()
    return {"big_article": big_id, "mentions": len(mention_rows)}


def write_import_folder(folder: Path, count: int, seed: int) -> None:
    """``count`` news-like text files naming people, organisations and places
    (new names, so extraction has work to do)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    for n in range(count):
        names = [(0, _name(rng), rng.choice(TYPES)) for _ in range(25)]
        body, _spans = _body(rng, names)
        title = f"Dispatch {seed}-{n}: " + " ".join(rng.choice(WORDS) for _ in range(5))
        (folder / f"dispatch-{n:03d}.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")


@pytest.fixture
def x_display(tmp_path: Path) -> Iterator[str]:
    """A private Xvfb display for the benchmark, stopped afterwards."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        pytest.skip(
            "Xvfb is not installed (apt-get install -y xvfb): the window benchmark needs a display"
        )
    number = next(
        n
        for n in range(140, 400)
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists()
    )
    log = (tmp_path / "xvfb.log").open("w")
    server = subprocess.Popen(
        [xvfb, f":{number}", "-screen", "0", "1600x1000x24", "-nolisten", "tcp", "-noreset"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 15
        while not Path(f"/tmp/.X11-unix/X{number}").exists():
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.skip(f"Xvfb did not start: {(tmp_path / 'xvfb.log').read_text()[-500:]}")
            time.sleep(0.05)
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


CHILD = r"""
import json, os, sys, time

T_LAUNCH = float(sys.argv[5])
db, import_dir = sys.argv[1], sys.argv[4]
big, other = int(sys.argv[2]), int(sys.argv[3])
from pathlib import Path

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer
from PySide6.QtTest import QTest

import desktop.ui.application as application

out = {}


def sched():
    # (ms on a CPU, ms waiting for one) of the calling thread, from the
    # scheduler: on a loaded machine the wait is what other work cost us.
    try:
        with open("/proc/thread-self/schedstat") as f:
            run_ns, wait_ns = f.read().split()[:2]
        return int(run_ns) / 1e6, int(wait_ns) / 1e6
    except (OSError, ValueError):
        return 0.0, 0.0


def rss_mb(pid="self"):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def tree_rss_mb():
    # The window's process and its descendants, found through each task's
    # children list: scanning all of /proc on a busy machine took tens of ms
    # of the GUI thread every sample and showed up as the window's own stall.
    total, todo, seen = 0.0, [os.getpid()], set()
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        total += rss_mb(pid)
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for tid in tasks:
            try:
                with open(f"/proc/{pid}/task/{tid}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
            except (OSError, ValueError):
                pass
    return total


class Monitor(QObject):
    # The gaps between turns of the GUI thread's event loop, as a 5 ms timer sees them.
    def __init__(self):
        super().__init__()
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(5)
        self.timer.timeout.connect(self.tick)
        self.memory = QTimer(self)
        self.memory.setInterval(250)
        self.memory.timeout.connect(self.sample)
        self.phase, self.last, self.last_wait = None, 0.0, 0.0
        self.longest, self.long_gaps, self.peak_tree = {}, {}, 0.0
        # The longest gap less the time the GUI thread waited for a CPU in it.
        self.longest_own = {}

    def start(self, phase, memory=False):
        self.phase = phase
        self.longest[phase] = 0.0
        self.longest_own[phase] = 0.0
        self.long_gaps[phase] = []
        self.last = time.perf_counter()
        self.last_wait = sched()[1]
        self.timer.start()
        if memory:
            self.memory.start()

    def stop(self):
        self.tick()
        self.timer.stop()
        self.memory.stop()
        self.phase = None

    def tick(self):
        now, wait = time.perf_counter(), sched()[1]
        gap, self.last = (now - self.last) * 1000, now
        waited, self.last_wait = wait - self.last_wait, wait
        if self.phase is None:
            return
        self.longest[self.phase] = max(self.longest[self.phase], gap)
        self.longest_own[self.phase] = max(self.longest_own[self.phase], gap - waited)
        if gap > 50:
            self.long_gaps[self.phase].append(
                [round(time.time() - T_LAUNCH, 2), round(gap, 1), round(waited, 1)]
                + ([sampler.between(now - gap / 1000, now)] if sampler else [])
            )

    def sample(self):
        self.peak_tree = max(self.peak_tree, tree_rss_mb())


class PaintProbe(QObject):
    # Paint events of the watched viewports; "painted" is taken once the paint
    # has returned (a zero timer after it), i.e. the pixels are in the window.
    def __init__(self):
        super().__init__()
        self.target, self.cond, self.loop, self.painted_at, self.then = None, None, None, None, None
        self.sched_at, self.last_cpu, self.last_wait = (0.0, 0.0), 0.0, 0.0

    def watch(self, widget):
        widget.installEventFilter(self)

    def eventFilter(self, obj, event):
        if (
            event.type() == QEvent.Type.Paint
            and obj is self.target
            and self.painted_at is None
            and (self.cond is None or self.cond())
        ):
            self.target = None
            QTimer.singleShot(0, self._painted)
        return False

    def _painted(self):
        self.painted_at = time.perf_counter()
        self.sched_at = sched()
        if self.then is not None:
            then, self.then = self.then, None
            then()
        if self.loop is not None:
            self.loop.quit()

    def expect(self, widget, cond=None, then=None):
        self.target, self.cond, self.painted_at, self.then = widget, cond, None, then

    def timed(self, widget, action, cond=None, timeout_ms=30000):
        # ms from calling action() until widget has repainted (None: no repaint in time).
        self.expect(widget, cond)
        loop = QEventLoop()
        self.loop = loop
        guard = QTimer()
        guard.setSingleShot(True)
        guard.timeout.connect(loop.quit)
        s0 = sched()
        t0 = time.perf_counter()
        action()
        if self.painted_at is None:
            guard.start(timeout_ms)
            loop.exec()
        guard.stop()
        self.loop, self.target = None, None
        if self.painted_at is None:
            return None
        run, wait = (b - a for a, b in zip(s0, self.sched_at))
        self.last_cpu, self.last_wait = round(run, 1), round(wait, 1)
        return round((self.painted_at - t0) * 1000, 1)


def wait(ms):
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_signal(signal, timeout_ms):
    loop = QEventLoop()
    got = []
    signal.connect(lambda *a: (got.append(a), loop.quit()))
    QTimer.singleShot(timeout_ms, loop.quit)
    if not got:
        loop.exec()
    return bool(got)


monitor, probe = Monitor(), PaintProbe()


class Sampler:
    # WINDOW_BENCH_PROFILE=1: a thread samples the GUI thread's Python stack
    # every 2 ms, so that each long gap can be put down to the code that ran
    # in it (the innermost frames of ours, counted over the gap).
    def __init__(self):
        import threading

        self.samples, self.main = [], threading.main_thread().ident
        threading.Thread(target=self.run, daemon=True).start()

    def run(self):
        while True:
            frame = sys._current_frames().get(self.main)
            where = []
            while frame is not None and len(where) < 6:
                name = frame.f_code.co_filename
                if "/desktop/" in name:
                    short = name.rsplit("/desktop/", 1)[1]
                    where.append(f"{short}:{frame.f_lineno} {frame.f_code.co_name}")
                frame = frame.f_back
            self.samples.append((time.perf_counter(), " < ".join(where[:4])))
            time.sleep(0.002)

    def between(self, t0, t1):
        from collections import Counter

        seen = Counter(w for t, w in self.samples if t0 <= t <= t1 and w)
        return seen.most_common(3)


sampler = Sampler() if os.environ.get("WINDOW_BENCH_PROFILE") else None


def scenario(window):
    # The first 10 s after the launch: the user reads; nothing is driven.
    monitor.start("first_10s")
    wait(max(0, int((T_LAUNCH + 10 - time.time()) * 1000)))
    monitor.stop()
    out["rss_after_10s_mb"] = round(rss_mb(), 1)

    body = window.article.body.viewport()
    probe.watch(body)
    out["first_open_ms"] = probe.timed(body, lambda: window.open_article(big))
    out["first_open_waiting_for_cpu_ms"] = probe.last_wait
    assert window.article.highlighted_count() == 500, window.article.highlighted_count()
    opens, waits = [], []
    for _ in range(7):
        probe.timed(body, lambda: window.open_article(other))
        opens.append(probe.timed(body, lambda: window.open_article(big)))
        waits.append(probe.last_wait)
    out["open_ms"] = opens
    out["open_waiting_for_cpu_ms"] = waits

    sidebar = window.sidebar
    tree = sidebar.tree.viewport()
    probe.watch(tree)
    monitor.start("scope_switch")
    library_scope = sidebar.scope.findData("library")
    out["scope_switch_ms"] = probe.timed(
        tree,
        lambda: sidebar.scope.setCurrentIndex(library_scope),
        cond=lambda: not sidebar.loading and sidebar.model.visible_count() >= 100_000,
    )
    wait(200)
    monitor.stop()
    assert sidebar.model.visible_count() == 100_000, sidebar.model.visible_count()

    window.activateWindow()
    sidebar.filter.setFocus()
    keys = []
    for key in "karam" + "\b" * 5 + "sha" + "\b" * 3:
        code = Qt.Key.Key_Backspace if key == "\b" else getattr(Qt.Key, "Key_" + key.upper())
        ms = probe.timed(tree, lambda: QTest.keyClick(sidebar.filter, code), timeout_ms=2000)
        matches = sidebar.model.visible_count()
        keys.append(
            {
                "text": sidebar.filter.text(),
                "ms": ms,
                "waiting_for_cpu_ms": probe.last_wait,
                "matches": matches,
            }
        )
        wait(30)  # a fast typist's pace between keys
    out["filter_keystrokes"] = keys
    assert sidebar.filter.text() == ""

    for phase, folder in (("import_50", import_dir),):
        monitor.start(phase, memory=True)
        t0 = time.perf_counter()
        assert window.import_paths([Path(folder)])
        done = wait_signal(window.importer.finished, 600_000)
        out[phase + "_s"] = round(time.perf_counter() - t0, 2) if done else None
        if window.importer.summary is not None:
            window.importer.summary.close()
        wait(2000)  # the views reload after the import
        monitor.stop()
    out["rss_end_mb"] = round(rss_mb(), 1)
    out["peak_tree_rss_mb"] = round(monitor.peak_tree, 1)
    out["model_loaded_in_window_process"] = "spacy" in sys.modules
    out["stalls_ms"] = {k: round(v, 1) for k, v in monitor.longest.items()}
    out["stalls_less_cpu_wait_ms"] = {k: round(v, 1) for k, v in monitor.longest_own.items()}
    out["long_gaps"] = monitor.long_gaps
    window.close()


real_build = application.build_window


def build_window(store, **kwargs):
    window = real_build(store, **kwargs)
    viewport = window.library.table.viewport()
    probe.watch(viewport)

    def first_paint():
        out["start_s"] = round(time.time() - T_LAUNCH, 3)
        # The main thread is the process's first: its wait covers the whole start.
        out["start_waiting_for_cpu_s"] = round(sched()[1] / 1000, 3)
        out["start_cpu_s"] = round(time.process_time(), 3)
        out["rss_at_start_mb"] = round(rss_mb(), 1)
        QTimer.singleShot(0, lambda: scenario(window))

    probe.expect(viewport, cond=lambda: window.library.model.rowCount() > 0, then=first_paint)
    return window


application.build_window = build_window
from desktop.app import main

rc = main(["--db", db])
print("RESULT " + json.dumps({"rc": rc, **out}), flush=True)
"""


def _autogroup() -> str:
    try:
        return Path("/proc/self/autogroup").read_text(encoding="utf-8").strip()
    except OSError:
        return "unknown"


def _spread(xs: list[float]) -> dict[str, float]:
    return {
        "min": round(min(xs), 3),
        "median": round(statistics.median(xs), 3),
        "max": round(max(xs), 3),
        "n": len(xs),
    }


@pytest.mark.benchmark
def test_window_as_a_user_waits_for_it(tmp_path: Path, x_display: str) -> None:
    # WINDOW_BENCH_LIBRARY names a file to keep the generated library in
    # between runs of the benchmark (building it takes half a minute).
    kept = os.environ.get("WINDOW_BENCH_LIBRARY")
    pristine = Path(kept) if kept else tmp_path / "big.sqlite"
    t = time.perf_counter()
    if kept and pristine.exists():
        with sqlite3.connect(pristine) as conn:
            big = conn.execute(
                "SELECT article_id FROM mention GROUP BY article_id ORDER BY count(*) DESC LIMIT 1"
            ).fetchone()[0]
            mentions = conn.execute("SELECT count(*) FROM mention").fetchone()[0]
        info = {"big_article": big, "mentions": mentions}
    else:
        info = build_library(pristine)
    build_s = time.perf_counter() - t
    loads = [os.getloadavg()]
    runs = []
    for run in range(RUNS):
        home = tmp_path / f"run{run}"
        home.mkdir()
        db = home / "library.sqlite"
        shutil.copyfile(pristine, db)
        write_import_folder(home / "import50", IMPORT_ARTICLES, seed=1000 + run)
        env = {
            **os.environ,
            "DISPLAY": x_display,
            "QT_QPA_PLATFORM": "xcb",
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_STATE_HOME": str(home / "state"),
            "XDG_CACHE_HOME": str(home / "cache"),
            "XDG_RUNTIME_DIR": str(home / "runtime"),
        }
        (home / "runtime").mkdir(mode=0o700)
        launched = time.time()
        proc = subprocess.run(
            [
                sys.executable,
                "-c",
                CHILD,
                str(db),
                str(info["big_article"]),
                str(info["big_article"] + 1),
                str(home / "import50"),
                repr(launched),
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=900,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr[-3000:]
        line = next(x for x in proc.stdout.splitlines() if x.startswith("RESULT "))
        result = json.loads(line[len("RESULT ") :])
        result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
        runs.append(result)
        loads.append(os.getloadavg())
        print(json.dumps(result), flush=True)

    keystrokes = [k["ms"] for r in runs for k in r["filter_keystrokes"]]
    assert all(ms is not None for ms in keystrokes), "a keystroke never repainted the tree"
    opens = [ms for r in runs for ms in r["open_ms"]]
    # The same figures less the time the GUI thread spent waiting for a CPU
    # (the scheduler's own count): what an idle machine would show, roughly.
    own_keys = [k["ms"] - k["waiting_for_cpu_ms"] for r in runs for k in r["filter_keystrokes"]]
    own_opens = [
        ms - w
        for r in runs
        for ms, w in zip(r["open_ms"], r["open_waiting_for_cpu_ms"], strict=True)
    ]
    summary = {
        "library": {
            "articles": ARTICLES,
            "entities": ENTITIES,
            "aliases": ENTITIES * 2,
            "mentions": info["mentions"],
            "build_s": round(build_s, 1),
        },
        "how": "real start-up path (desktop.app.main) under Xvfb, wall time until repainted; "
        "see the docstring of tests/benchmarks/test_window.py",
        "runs": RUNS,
        "start_to_painted_library_s": _spread([r["start_s"] for r in runs]),
        "first_open_500_mentions_ms": _spread([r["first_open_ms"] for r in runs]),
        "open_500_mentions_ms": _spread(opens),
        "sidebar_filter_keystroke_100k_ms": _spread(keystrokes),
        "scope_switch_to_100k_ms": _spread([r["scope_switch_ms"] for r in runs]),
        "less_time_waiting_for_a_cpu": {
            "start_to_painted_library_s": _spread(
                [r["start_s"] - r["start_waiting_for_cpu_s"] for r in runs]
            ),
            "first_open_500_mentions_ms": _spread(
                [r["first_open_ms"] - r["first_open_waiting_for_cpu_ms"] for r in runs]
            ),
            "open_500_mentions_ms": _spread(own_opens),
            "sidebar_filter_keystroke_100k_ms": _spread(own_keys),
            "longest_gui_stall_ms": {
                phase: _spread([r["stalls_less_cpu_wait_ms"][phase] for r in runs])
                for phase in ("first_10s", "scope_switch", "import_50")
            },
        },
        "start_cpu_s": _spread([r["start_cpu_s"] for r in runs]),
        "longest_gui_stall_ms": {
            phase: _spread([r["stalls_ms"][phase] for r in runs])
            for phase in ("first_10s", "scope_switch", "import_50")
        },
        "import_50_articles_s": _spread([r["import_50_s"] for r in runs]),
        "memory_mb": {
            "window_at_first_paint": _spread([r["rss_at_start_mb"] for r in runs]),
            "window_after_10s": _spread([r["rss_after_10s_mb"] for r in runs]),
            "window_at_end": _spread([r["rss_end_mb"] for r in runs]),
            "peak_with_import_process_and_model": _spread([r["peak_tree_rss_mb"] for r in runs]),
        },
        "targets": {
            "start_s": 1.5,
            "first_open_ms": 100,
            "open_ms": 50,
            "filter_ms": 30,
            "filter_max_ms": 60,
            "stall_ms": 100,
        },
        "targets_met": {},
        "targets_met_less_time_waiting_for_a_cpu": {},
        "machine": {
            "cpus": os.cpu_count(),
            "python": sys.version.split()[0],
            # The machine is shared: a high load inflates every wall time.
            "load_average_before_and_after_each_run": [[round(x, 2) for x in la] for la in loads],
            # Linux puts each session in a scheduling group; a benchmark run
            # with its group's nice lowered competes with other sessions less.
            "scheduling_group": _autogroup(),
        },
        "per_run": runs,
    }
    stalls = summary["longest_gui_stall_ms"]
    summary["targets_met"] = {
        "start": summary["start_to_painted_library_s"]["median"] < 1.5,
        "first_open": summary["first_open_500_mentions_ms"]["median"] < 100,
        "open": summary["open_500_mentions_ms"]["median"] < 50,
        "filter": summary["sidebar_filter_keystroke_100k_ms"]["median"] < 30,
        "filter_max": summary["sidebar_filter_keystroke_100k_ms"]["max"] < 60,
        "no_stall_over_100ms": all(v["max"] <= 100 for v in stalls.values()),
    }
    own = summary["less_time_waiting_for_a_cpu"]
    summary["targets_met_less_time_waiting_for_a_cpu"] = {
        "start": own["start_to_painted_library_s"]["median"] < 1.5,
        "first_open": own["first_open_500_mentions_ms"]["median"] < 100,
        "open": own["open_500_mentions_ms"]["median"] < 50,
        "filter": own["sidebar_filter_keystroke_100k_ms"]["median"] < 30,
        "filter_max": own["sidebar_filter_keystroke_100k_ms"]["max"] < 60,
        "no_stall_over_100ms": all(v["max"] <= 100 for v in own["longest_gui_stall_ms"].values()),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in summary.items() if k != "per_run"}, indent=2))
    # The language model loads in the import's worker process, never in the window's.
    assert not any(r["model_loaded_in_window_process"] for r in runs)
