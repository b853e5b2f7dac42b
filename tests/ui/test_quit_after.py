"""The hidden self-closing option the smoke test of the frozen app uses."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from desktop.ui.application import schedule_quit


def test_window_announces_itself_then_closes(qtbot, capsys) -> None:  # type: ignore[no-untyped-def]
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    assert schedule_quit(widget, "50")
    qtbot.waitUntil(lambda: not widget.isVisible(), timeout=5000)
    assert capsys.readouterr().out == "dossier-desk: window shown\n"


def test_no_timer_without_a_whole_number(qtbot) -> None:  # type: ignore[no-untyped-def]
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    assert not schedule_quit(widget, None)
    assert not schedule_quit(widget, "soon")
    qtbot.wait(50)
    assert widget.isVisible()
    widget.close()
