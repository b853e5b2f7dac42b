"""Screenshots of the window's main views, for the README and for review.

    python -m desktop.ui.screenshots packaging/screenshots

Runs offscreen on a temporary library: the sample articles imported and read by
the real extraction pipeline, as on a first run, plus a small watch list whose
records duplicate some of the library's, so the review queue has pairs to show.
Nothing is written outside OUTDIR and a temporary folder.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QWidget

from desktop.core.services import resolve
from desktop.core.services.pipeline import import_and_extract
from desktop.core.store import Store, open_store
from desktop.resources import samples_dir
from desktop.ui.application import make_application
from desktop.ui.entity_picker import EntityPicker
from desktop.ui.main_window import MainWindow
from desktop.ui.settings import Settings
from desktop.ui.tasks import TaskRunner
from desktop.ui.wiring import Wiring, install

# A watch list loaded beside the samples: its records duplicate entities of the
# library, so the review queue has pairs to show.
WATCH_LIST = (
    "name,type,aliases\n"
    "Jaish-e-Muhammad,ORG,JeM;Army of Muhammad\n"
    "Hafiz Mohammad Saeed,PER,\n"
    "Lashkar-e-Tayyaba,ORG,LeT\n"
    "Sepah-e Pasdaran-e Enghelab-e Eslami,ORG,\n"
    "Islamic Revolutionary Guards Corps,ORG,\n"
    "IRGC,ORG,\n"
)

SIZE = (1440, 880)


def _settle(app: QApplication) -> None:
    for _ in range(3):
        app.processEvents()


def _save(widget: QWidget, path: Path, app: QApplication) -> Path:
    _settle(app)
    widget.grab().save(str(path))
    print(path)
    return path


_made = [0]


def _window(store: Store, tmp: Path, theme: str) -> MainWindow:
    # A fresh settings file each time: one picture's layout must not leak into the next.
    _made[0] += 1
    settings = Settings(tmp / f"settings-{_made[0]}.ini")
    window = MainWindow(store, settings=settings, runner=TaskRunner(synchronous=True))
    install(window)
    window.set_theme_mode(theme)
    window.resize(*SIZE)
    window.show()
    return window


def _open_busiest(window: MainWindow) -> None:
    model = window.library.model
    best = max(range(model.rowCount()), key=lambda r: model.article_at(r).entities)
    article_id = model.article_at(best).id
    window.open_article(article_id)
    window.library.select_article(article_id)
    cursor = window.article.body.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.Start)
    window.article.body.setTextCursor(cursor)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m desktop.ui.screenshots OUTDIR", file=sys.stderr)
        return 2
    out = Path(args[0])
    out.mkdir(parents=True, exist_ok=True)
    app = make_application()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        store = open_store(tmp / "library.sqlite")
        import_and_extract(store, [samples_dir()])
        watch = tmp / "watch-list.csv"
        watch.write_text(WATCH_LIST, encoding="utf-8")
        resolve.import_entities(store, watch)

        for theme in ("light", "dark"):
            window = _window(store, tmp, theme)
            _open_busiest(window)
            first = window.sidebar.model.index(0, 0, window.sidebar.model.index(0, 0))
            entity = window.sidebar.model.entity_at(first)
            if entity is not None:
                window.select_entity(entity.id)
            suffix = "" if theme == "light" else "-dark"
            _save(window, out / f"main-window{suffix}.png", app)
            window.close()

        window = _window(store, tmp, "light")
        window.sidebar.set_scope("library")
        window.sidebar.filter.setText("lashkar")
        window.library.search.setText("Lashkar")
        window.library.apply_filter()
        window.select_entity(_entity_id(store, "Lashkar-e-Taiba"))
        _save(window, out / "search-and-filter.png", app)
        profile = window.views["profileDock"]
        profile.setFloating(True)
        profile.resize(900, 560)
        _save(profile, out / "entity-profile.png", app)
        picker = EntityPicker(store, window, text="lashkar")
        picker.resize(620, 320)
        picker.show()
        _save(picker, out / "link-to-entity.png", app)
        picker.close()
        window.close()

        window = _window(store, tmp, "light")
        _open_busiest(window)
        wiring = window.wiring  # type: ignore[attr-defined]
        assert isinstance(wiring, Wiring)
        wiring.show_review()
        _save(window, out / "review-queue.png", app)
        clusters = wiring.review.open_cluster()
        if clusters is not None:
            clusters.resize(1000, 480)
            _save(clusters, out / "cluster-review.png", app)
            clusters.close()
        wiring.show_mention_queue()
        _save(window, out / "suggested-links.png", app)
        window.close()

        bad = tmp / "to-import"
        bad.mkdir()
        for sample in samples_dir().iterdir():
            (bad / sample.name).write_bytes(sample.read_bytes())
        (bad / "empty-note.txt").write_bytes(b"")
        (bad / "scan.jpg").write_bytes(b"\xff\xd8\xff\xe0")
        (bad / "envoy-visit.txt").write_text(
            "Envoy visits Kabul for talks\n\nThe special envoy met officials in Kabul "
            "on Sunday to discuss border crossings.",
            encoding="utf-8",
        )
        window = _window(store, tmp, "light")
        window.import_paths([bad])
        summary = window.importer.summary
        assert summary is not None
        summary.resize(720, 320)
        _save(summary, out / "import-summary.png", app)
        summary.close()
        window.close()

        empty = open_store(tmp / "empty.sqlite")
        window = _window(empty, tmp, "light")
        _save(window, out / "first-run.png", app)
        window.close()
        empty.close()
        store.close()
    app.processEvents()
    return 0


def _entity_id(store: Store, name: str) -> int:
    from desktop.core.services.library import list_entities

    return next(e.id for e in list_entities(store) if e.name == name)


if __name__ == "__main__":
    raise SystemExit(main())
