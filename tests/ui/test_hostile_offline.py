"""The window offline: a saved page full of remote images, stylesheets,
fonts and scripts is imported, shown and exported (PDF and HTML) with the
network blocked. Qt's own sockets are C++ and invisible to the Python block,
so the Qt side is checked where it would fetch: every text document asks our
``loadResource`` and is refused, and Qt's network module is never loaded."""

from __future__ import annotations

import sys
from pathlib import Path

from lxml import html as lxml_html
from sqlmodel import select

from desktop.core import models as m
from desktop.core.store import Store

PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Border &lt;report&gt; with remote assets</title>
<link rel="stylesheet" href="https://192.0.2.1/site.css">
<style>@font-face { font-family: R; src: url(http://192.0.2.1/r.woff2); }
body { background-image: url("http://192.0.2.1/bg.jpg"); }</style>
<script src="http://192.0.2.1/analytics.js"></script></head>
<body><article><h1>Border report with remote assets</h1>
<p>Police in Quetta said on Tuesday that two men linked to Lashkar-e-Jhangvi
had been arrested after a raid on a house near the city's eastern bypass,
and that documents seized there named Hafiz Saeed.</p>
<img src="http://192.0.2.1/raid.jpg" alt="raid">
<picture><source srcset="https://192.0.2.1/raid.webp"></picture>
<p>The provincial home department said the investigation into the group's
funding would continue, with officials from Islamabad expected next week.</p>
<iframe src="https://192.0.2.1/video"></iframe>
</article></body></html>
"""


def test_window_imports_shows_and_exports_offline(qtbot, store: Store, tmp_path: Path, no_network):
    from desktop.ui.application import build_window
    from desktop.ui.settings import Settings
    from desktop.ui.tasks import TaskRunner

    page = tmp_path / "remote.html"
    page.write_text(PAGE, encoding="utf-8")
    window = build_window(
        store, settings=Settings(tmp_path / "s.ini"), runner=TaskRunner(synchronous=True)
    )
    qtbot.addWidget(window)
    window.show()
    assert window.import_paths([page])
    window.importer.summary.close()
    with store.session() as s:
        article = s.exec(select(m.Article)).one()
        article_id = article.id
        assert "Quetta" in article.body
        assert "192.0.2.1" not in article.body
    window.open_article(article_id)
    window.grab()  # paint it all
    assert "Quetta" in window.article.body.toPlainText()
    assert window.article.body.document().refused == []

    workspace = window.wiring.dossiers  # type: ignore[attr-defined]
    workspace.create_dossier("Offline <check>")
    workspace.add_article(article_id)
    for name in ("offline.pdf", "offline.html"):
        with qtbot.waitSignal(workspace.exportFinished, timeout=30000):
            workspace.export(tmp_path / name)
    assert (tmp_path / "offline.pdf").read_bytes().startswith(b"%PDF")
    tree = lxml_html.fromstring((tmp_path / "offline.html").read_text(encoding="utf-8"))
    assert tree.xpath("//img | //script[@src] | //link | //iframe") == []
    assert "192.0.2.1" not in (tmp_path / "offline.html").read_text(encoding="utf-8")
    assert workspace.suggested_file_name(workspace.current_dossier_id()) == "Offline _check_.pdf"
    window.close()

    assert no_network == []
    assert "PySide6.QtNetwork" not in sys.modules


def test_window_start_up_opens_the_log(monkeypatch, tmp_path: Path, qapp):
    from desktop.core import logs
    from desktop.core.errors import DossierDeskError
    from desktop.ui import application

    monkeypatch.setenv("DOSSIER_DESK_LOG_DIR", str(tmp_path / "logs"))

    def refuse(db, **_options):  # type: ignore[no-untyped-def]
        raise DossierDeskError(f"{db}: not a database")

    class NoTheme:  # the shared test QApplication keeps its look
        def __init__(self, *args: object) -> None:
            pass

        def apply(self) -> None:
            pass

    import desktop.ui.theme

    monkeypatch.setattr(desktop.ui.theme, "ThemeManager", NoTheme)
    shown: list[str] = []
    monkeypatch.setattr(application, "open_library", refuse)
    monkeypatch.setattr(application.QMessageBox, "critical", lambda *a: shown.append(a[2]))
    try:
        assert application.run_window(tmp_path / "x.sqlite", debug=False) == 1
    finally:
        logs.shutdown_logging()
    text = (tmp_path / "logs" / "dossier-desk.log").read_text(encoding="utf-8")
    assert "log opened: dossier-desk" in text
    assert "debug off" in text
    assert shown
